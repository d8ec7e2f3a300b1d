"""When reflection prompts, reminders and window closes happen. Pure functions of time.

Rules (docs/architecture.md, "Timed work"): by default the prompt goes the next working day at
10:00 in the workspace's time zone. A delay such as `2h` counts from the meeting's end. Nothing
is sent in quiet hours; with quiet hours on, nothing is sent at weekends either: such a moment
moves to the end of quiet hours on the next working day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.sessions.durations import QuietHours, parse_duration, parse_quiet_hours

MORNING = time(10, 0)
NEXT_MORNING = "next-morning"


def _next_working_day(day: datetime) -> datetime:
    day += timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def _at(local: datetime, clock: time, zone: ZoneInfo) -> datetime:
    return datetime(local.year, local.month, local.day, clock.hour, clock.minute, tzinfo=zone)


def polite(moment: datetime, zone: ZoneInfo, quiet: QuietHours | None) -> datetime:
    """The first moment at or after `moment` outside quiet hours and, if quiet hours are on,
    outside weekends."""
    if quiet is None:
        return moment
    local = moment.astimezone(zone)
    if quiet.contains(local.timetz().replace(tzinfo=None)):
        # Quiet until `end`: today if we are past midnight already, otherwise tomorrow.
        day = local if local.time() < quiet.end else local + timedelta(days=1)
        local = _at(day, quiet.end, zone)
    if local.weekday() >= 5:
        local = _at(_next_working_day(local - timedelta(days=1)), quiet.end, zone)
    return local.astimezone(moment.tzinfo)


def outside_quiet_hours(moment: datetime, zone: ZoneInfo, quiet_hours: str) -> datetime:
    """The first moment at or after `moment` outside the quiet hours (`20:00-09:00`, or `off`).
    News may arrive at a weekend; only reflection prompts keep to working days."""
    try:
        quiet = parse_quiet_hours(quiet_hours)
    except ValueError:
        return moment  # a value stored before settings were checked: do not hold news back
    if quiet is None:
        return moment
    local = moment.astimezone(zone)
    if not quiet.contains(local.timetz().replace(tzinfo=None)):
        return moment
    day = local if local.time() < quiet.end else local + timedelta(days=1)
    return _at(day, quiet.end, zone).astimezone(moment.tzinfo)


@dataclass(frozen=True)
class ReflectionTimes:
    prompt_at: datetime
    reminder_at: datetime
    closes_at: datetime


def reflection_times(
    ended_at: datetime,
    *,
    timezone: str,
    delay: str,
    quiet_hours: str,
    reminder_after: str,
    window: str,
) -> ReflectionTimes:
    """All three moments for a meeting that ended at `ended_at` (UTC)."""
    zone = ZoneInfo(timezone)
    quiet = parse_quiet_hours(quiet_hours)
    if delay == NEXT_MORNING:
        local_end = ended_at.astimezone(zone)
        prompt = _at(_next_working_day(local_end), MORNING, zone).astimezone(ended_at.tzinfo)
    else:
        prompt = ended_at + (parse_duration(delay) or timedelta(hours=2))
    prompt = polite(prompt, zone, quiet)
    reminder = polite(prompt + (parse_duration(reminder_after) or timedelta(days=2)), zone, quiet)
    closes = prompt + (parse_duration(window) or timedelta(days=7))
    return ReflectionTimes(prompt_at=prompt, reminder_at=min(reminder, closes), closes_at=closes)
