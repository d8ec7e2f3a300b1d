"""The periods a report covers: calendar quarters in the workspace's time zone, and the last
12 months, at awkward moments too."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.i18n import speaking
from bot.report import periods
from tests.clock import MOMENTS

LONDON = ZoneInfo("Europe/London")


def test_this_quarter_comes_first_then_the_ones_before_it() -> None:
    offered = periods.choices(MOMENTS["ordinary"], LONDON)
    assert [p.key for p in offered[:3]] == ["2026-Q4", "2026-Q3", "2026-Q2"]
    assert offered[0].label == "October to December 2026"
    assert offered[-1].key == "12m" and offered[-1].label == "The last 12 months"
    assert len(offered) == periods.QUARTERS_OFFERED + 1
    # Quarters start at local midnight: 1 July is 23:00 UTC on 30 June in summer time
    assert offered[1].start == datetime(2026, 6, 30, 23, 0, tzinfo=UTC)
    assert offered[1].end == offered[0].start == datetime(2026, 10, 1, tzinfo=LONDON)


def test_new_years_eve_in_london_is_still_the_old_quarter() -> None:
    [this, last] = periods.choices(MOMENTS["new-years-eve"], LONDON)[:2]
    assert (this.key, last.key) == ("2026-Q4", "2026-Q3")
    later = periods.choices(MOMENTS["new-years-eve"], ZoneInfo("Pacific/Auckland"))[0]
    assert later.key == "2027-Q1"  # already 1 January there


@pytest.mark.parametrize("moment", list(MOMENTS.values()))
def test_the_last_12_months_end_now_and_start_a_year_before(moment: datetime) -> None:
    year = periods.last_twelve_months(moment, LONDON)
    assert year.end == moment
    assert 364 <= (year.end - year.start).days <= 366


def test_a_period_we_do_not_offer_is_refused_and_none_means_this_quarter() -> None:
    now = MOMENTS["ordinary"]
    assert periods.chosen("1999-Q1", now, LONDON) is None
    assert periods.chosen("2026-Q5", now, LONDON) is None
    this = periods.chosen(None, now, LONDON)
    assert this is not None and this.key == "2026-Q4"


def test_quarters_are_named_in_welsh_for_a_welsh_speaker() -> None:
    with speaking("cy"):
        this = periods.choices(MOMENTS["ordinary"], LONDON)[0]
    assert this.label == "Hydref i Rhagfyr 2026"
