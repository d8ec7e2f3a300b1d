"""Meeting times as people write them, in English and Welsh, read by a kept library.

Each case fixes its own "now" (never today's date), including awkward ones: the night British
Summer Time ends, and New Year's Eve.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from bot.sessions.when import split_title_and_when

LONDON = ZoneInfo("Europe/London")
SUNDAY = datetime(2026, 11, 29, 9, 0, tzinfo=LONDON)
NIGHT_BST_ENDS = datetime(2027, 10, 30, 23, 30, tzinfo=LONDON)
NEW_YEARS_EVE = datetime(2027, 12, 31, 23, 30, tzinfo=LONDON)


@pytest.mark.parametrize(
    ("now", "typed", "title", "local"),
    [
        (SUNDAY, "Check in next tuesday 10:00", "Check in", datetime(2026, 12, 1, 10, 0)),
        (SUNDAY, "Check in fri 2pm", "Check in", datetime(2026, 12, 4, 14, 0)),
        (SUNDAY, "Planning fri 2pm", "Planning", datetime(2026, 12, 4, 14, 0)),
        (SUNDAY, "Review 12 January 14:00", "Review", datetime(2027, 1, 12, 14, 0)),
        (SUNDAY, "Review 12/01/2027 10:00", "Review", datetime(2027, 1, 12, 10, 0)),
        (SUNDAY, "Winter catch-up 2027-01-12 14:00", "Winter catch-up", datetime(2027, 1, 12, 14)),
        (SUNDAY, "Tea and talk tomorrow at 3pm", "Tea and talk", datetime(2026, 11, 30, 15, 0)),
        (SUNDAY, "Cyfarfod dydd Gwener 14:00", "Cyfarfod", datetime(2026, 12, 4, 14, 0)),
        (SUNDAY, "Te a sgwrs yfory 10:00", "Te a sgwrs", datetime(2026, 11, 30, 10, 0)),
        (NIGHT_BST_ENDS, "Review tomorrow 10:00", "Review", datetime(2027, 10, 31, 10, 0)),
        (NEW_YEARS_EVE, "Review tomorrow 10:00", "Review", datetime(2028, 1, 1, 10, 0)),
        (NEW_YEARS_EVE, "Review 12 January 14:00", "Review", datetime(2028, 1, 12, 14, 0)),
    ],
)
def test_a_meeting_time_is_read_the_way_people_write_it(
    now: datetime, typed: str, title: str, local: datetime
) -> None:
    parsed = split_title_and_when(typed, now=now, zone=LONDON)
    assert parsed is not None
    assert parsed[0] == title
    assert parsed[1] == local.replace(tzinfo=LONDON)


@pytest.mark.parametrize(
    "typed",
    [
        "Review 12/01/2027",  # no time of day: not midnight, ask
        "2pm debrief",  # the time must come last
        "Just a title",
        "fri 10:00",  # no title
    ],
)
def test_what_is_not_a_title_and_a_time_is_not_guessed(typed: str) -> None:
    assert split_title_and_when(typed, now=SUNDAY, zone=LONDON) is None
