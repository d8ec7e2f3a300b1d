"""Reading when a meeting is planned: `2026-12-01 14:00`, `tomorrow 10:30`, `fri 2pm`, `next
Tuesday 10:00`, `12 January 14:00`, `dydd Gwener 14:00`."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import dateparser
from dateparser.search import search_dates

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


# Dates are read the British way (12/01/2027 is 12 January), in English or Welsh.
LANGUAGES = ["en", "cy"]
# How many words to the left of a found time may still belong to it ("dydd Gwener 14:00").
WIDEN = 3
# Small words that end titles ("Check in", "Drop in", "Sign off") more often than they start
# a time; search_dates already finds a whole "in 2 days".
TITLE_WORDS = frozenset({"in", "on", "at", "for", "by", "from", "to", "off", "up"})


def _settings(base: datetime) -> dict[str, object]:
    return {
        "PREFER_DATES_FROM": "future",
        "RELATIVE_BASE": base,
        "DATE_ORDER": "DMY",
        "RETURN_AS_TIMEZONE_AWARE": False,
    }


def split_title_and_when(
    text: str, *, now: datetime, zone: ZoneInfo
) -> tuple[str, datetime] | None:
    """The title and the moment (UTC) from `<title> <when>`, the time last: "Check in next
    Tuesday 10:00", "Planning fri 2pm", "Review 12 January 14:00", "Review 12/01/2027 10:00",
    "Cyfarfod dydd Gwener 14:00". None when no moment with a time of day ends the text.

    dateparser (a kept library that reads natural phrases in many languages) finds the time;
    the title is everything before it.
    """
    words = text.split()
    if len(words) < 2:
        return None
    base = now.astimezone(zone).replace(tzinfo=None)
    settings = _settings(base)
    found = search_dates(text, languages=LANGUAGES, settings=settings)
    if not found:
        return None
    phrase, moment = found[-1]
    if not text.rstrip().endswith(phrase):
        return None  # the time must come last, or a title like "2pm debrief" would be cut
    start = len(words) - len(phrase.split())
    # "Check in fri 2pm": the "in" is the title's, unless it starts a span ("in 2 days").
    if (
        start < len(words) - 1
        and words[start].lower() in TITLE_WORDS
        and not words[start + 1][:1].isdigit()
    ):
        start += 1
    # search_dates may find only part of a phrase ("14:00" of "dydd Gwener 14:00"): take in
    # the widest run of words to its left that still reads as a moment and changes it,
    # keeping at least one word of title ("in" of "Check in next Tuesday" changes nothing).
    found_moment = moment
    for widened in range(start - 1, max(start - WIDEN, 1) - 1, -1):
        if words[widened].lower() in TITLE_WORDS:
            continue
        longer = dateparser.parse(" ".join(words[widened:]), languages=LANGUAGES, settings=settings)
        if longer is not None and longer != found_moment:
            start, moment = widened, longer
    title = " ".join(words[:start])
    if not title or not _has_time_of_day(" ".join(words[start:]), moment):
        return None
    local = moment.replace(tzinfo=zone)
    return title, local.astimezone(now.tzinfo)


def _has_time_of_day(phrase: str, moment: datetime) -> bool:
    """A date alone ("12/01/2027") would plan the meeting for midnight: ask for the time."""
    if moment.hour or moment.minute:
        return True
    lowered = phrase.lower()
    return "00" in lowered.replace("/", " ") or "midnight" in lowered or "12am" in lowered
