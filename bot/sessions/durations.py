"""Parsing the durations and clock times people type in settings: `90m`, `2h`, `20:00-09:00`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import time, timedelta

_DURATION = re.compile(r"^\s*([0-9]{1,6})\s*([smhd])\s*$", re.IGNORECASE)
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}
_CLOCK = re.compile(r"^([01]?[0-9]|2[0-3]):([0-5][0-9])$")


def parse_duration(text: str) -> timedelta | None:
    """`90m`, `2h`, `1d`, `30s`; None when it is not one of those."""
    match = _DURATION.match(text)
    if not match or int(match.group(1)) == 0:
        return None
    return timedelta(**{_UNITS[match.group(2).lower()]: int(match.group(1))})


_SPOKEN = re.compile(r"^\s*([0-9]{1,3})\s*(d|w|days?|weeks?|months?)\s*$", re.IGNORECASE)
_SPOKEN_DAYS = {"d": 1, "day": 1, "days": 1, "w": 7, "week": 7, "weeks": 7}


def parse_days(text: str) -> timedelta | None:
    """A while in days, as people say it: `3 days`, `2 weeks`, `1 month`, `10d`, `2w`."""
    match = _SPOKEN.match(text)
    if not match or int(match.group(1)) == 0:
        return None
    unit = match.group(2).lower()
    days = 30 if unit.startswith("month") else _SPOKEN_DAYS[unit]
    return timedelta(days=int(match.group(1)) * days)


def parse_clock(text: str) -> time | None:
    match = _CLOCK.match(text.strip())
    return time(int(match.group(1)), int(match.group(2))) if match else None


@dataclass(frozen=True)
class QuietHours:
    """A daily span when nobody is messaged; it may run past midnight (20:00-09:00)."""

    start: time
    end: time

    def contains(self, moment: time) -> bool:
        if self.start <= self.end:
            return self.start <= moment < self.end
        return moment >= self.start or moment < self.end


def parse_quiet_hours(text: str) -> QuietHours | None:
    """`20:00-09:00` → QuietHours; raises ValueError for anything but that or `off`."""
    if text.strip().lower() == "off":
        return None
    start, _space, end = text.partition("-")
    parsed = parse_clock(start), parse_clock(end)
    if parsed[0] is None or parsed[1] is None or parsed[0] == parsed[1]:
        raise ValueError(text)
    return QuietHours(parsed[0], parsed[1])


def describe(delta: timedelta) -> str:
    """A duration in words: `2 days`, `90 minutes`."""
    seconds = int(delta.total_seconds())
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds % size == 0 and seconds >= size:
            count = seconds // size
            return f"{count} {unit}{'s' if count != 1 else ''}"
    return f"{seconds} seconds"
