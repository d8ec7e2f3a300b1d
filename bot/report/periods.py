"""The periods a report covers: calendar quarters in the workspace's time zone (what boards
and finance teams report by), and the last twelve months."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from babel.dates import format_date

from bot.i18n import _
from bot.sessions.dates import locale

LAST_YEAR = "12m"
QUARTERS_OFFERED = 8


@dataclass(frozen=True)
class Period:
    key: str  # "2026-Q4", or "12m"
    start: datetime  # UTC, inclusive
    end: datetime  # UTC, exclusive
    label: str


def _quarter_start(year: int, quarter: int, zone: ZoneInfo) -> datetime:
    while quarter > 4:
        year, quarter = year + 1, quarter - 4
    while quarter < 1:
        year, quarter = year - 1, quarter + 4
    return datetime(year, 3 * quarter - 2, 1, tzinfo=zone)


def _quarter(year: int, quarter: int, zone: ZoneInfo) -> Period:
    start = _quarter_start(year, quarter, zone)
    end = _quarter_start(year, quarter + 1, zone)
    last_month = end - timedelta(days=1)
    return Period(
        key=f"{year}-Q{quarter}",
        start=start.astimezone(ZoneInfo("UTC")),
        end=end.astimezone(ZoneInfo("UTC")),
        label=_(
            "{first} to {last}",
            first=format_date(start, "MMMM", locale=locale()),
            last=format_date(last_month, "MMMM y", locale=locale()),
        ),
    )


def choices(now: datetime, zone: ZoneInfo) -> list[Period]:
    """This quarter first, then the ones before it, then the last twelve months."""
    local = now.astimezone(zone)
    this = (local.month - 1) // 3 + 1
    quarters = [_quarter(local.year, this - back, zone) for back in range(QUARTERS_OFFERED)]
    return [*quarters, last_twelve_months(now, zone)]


def last_twelve_months(now: datetime, zone: ZoneInfo) -> Period:
    local = now.astimezone(zone)
    day = 28 if (local.month, local.day) == (2, 29) else local.day
    start = local.replace(year=local.year - 1, day=day, hour=0, minute=0, second=0, microsecond=0)
    return Period(
        key=LAST_YEAR,
        start=start.astimezone(ZoneInfo("UTC")),
        end=now,
        label=_("The last 12 months"),
    )


def chosen(key: str | None, now: datetime, zone: ZoneInfo) -> Period | None:
    """The period a report link or form names; this quarter when none is named; None when the
    name is not one we offer."""
    offered = choices(now, zone)
    if not key:
        return offered[0]
    return next((period for period in offered if period.key == key), None)
