"""Reading when a meeting is planned: `2026-12-01 14:00`, `tomorrow 10:30`, `fri 16:00`."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.sessions.durations import parse_clock

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _day(word: str, today: date) -> date | None:
    word = word.lower()
    if word == "today":
        return today
    if word == "tomorrow":
        return today + timedelta(days=1)
    if word[:3] in WEEKDAYS and (
        len(word) == 3
        or word.startswith(
            ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
        )
    ):
        ahead = (WEEKDAYS.index(word[:3]) - today.weekday()) % 7 or 7
        return today + timedelta(days=ahead)
    try:
        return date.fromisoformat(word)
    except ValueError:
        return None


def split_title_and_when(
    text: str, *, now: datetime, zone: ZoneInfo
) -> tuple[str, datetime] | None:
    """The title and the moment (UTC) from `<title> <day> <HH:MM>`; None if no moment found."""
    words = text.split()
    if len(words) < 3:
        return None
    day = _day(words[-2], now.astimezone(zone).date())
    clock = parse_clock(words[-1])
    if day is None or clock is None:
        return None
    local = datetime(day.year, day.month, day.day, clock.hour, clock.minute, tzinfo=zone)
    return " ".join(words[:-2]), local.astimezone(now.tzinfo)
