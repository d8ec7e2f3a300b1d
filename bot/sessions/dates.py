"""Dates as people read them, in the workspace's time zone."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from storage.models import as_utc


def short_date(value: datetime, zone: ZoneInfo) -> str:
    """`3 Nov 2026`."""
    local = as_utc(value).astimezone(zone)
    return f"{local.day} {local:%b %Y}"
