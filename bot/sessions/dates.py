"""Dates as people read them, in the workspace's time zone and the person's language (Babel)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_time

from bot.i18n import _, current
from storage.models import as_utc

_LOCALES = {"en": "en", "cy": "cy"}


def locale() -> str:
    """The Babel locale of the language being spoken."""
    return _LOCALES.get(current(), "en")


def short_date(value: datetime, zone: ZoneInfo) -> str:
    """`3 Nov 2026` (`3 Tach 2026`)."""
    return format_date(as_utc(value).astimezone(zone), "d MMM y", locale=locale())


def day_and_date(value: datetime, zone: ZoneInfo, *, full: bool = False) -> str:
    """`Fri 4 Dec 2026`, or in full `Friday 4 Dec 2026` (`Dydd Gwener 4 Rhag 2026`)."""
    pattern = "EEEE d MMM y" if full else "EEE d MMM y"
    return format_date(as_utc(value).astimezone(zone), pattern, locale=locale())


def moment(value: datetime, zone: ZoneInfo) -> str:
    """`Fri 4 Dec 2026 at 14:00`."""
    local = as_utc(value).astimezone(zone)
    return _(
        "{day} at {time}",
        day=day_and_date(local, zone),
        time=format_time(local, "HH:mm", locale=locale()),
    )
