"""When prompts, reminders and window closes happen: time zones, quiet hours, weekends, DST."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.sessions.durations import parse_duration, parse_quiet_hours
from bot.sessions.reflection_timing import reflection_times

LONDON = ZoneInfo("Europe/London")


def at(text: str, zone: ZoneInfo = LONDON) -> datetime:
    """A local wall-clock time as UTC."""
    return datetime.fromisoformat(text).replace(tzinfo=zone).astimezone(UTC)


def times(ended: datetime, **overrides: str):  # type: ignore[no-untyped-def]
    settings = {
        "timezone": "Europe/London",
        "delay": "next-morning",
        "quiet_hours": "20:00-09:00",
        "reminder_after": "2d",
        "window": "7d",
    }
    settings.update(overrides)
    return reflection_times(ended, **settings)


@pytest.mark.parametrize(
    ("ended", "prompt"),
    [
        ("2026-11-24 15:00", "2026-11-25 10:00"),  # Tuesday afternoon → Wednesday morning
        ("2026-11-27 15:00", "2026-11-30 10:00"),  # Friday → Monday, not the weekend
        ("2026-11-28 11:00", "2026-11-30 10:00"),  # a Saturday meeting → Monday
        ("2026-11-24 23:30", "2026-11-25 10:00"),  # a late meeting → next morning
    ],
)
def test_next_morning_is_the_next_working_day_at_ten(ended: str, prompt: str) -> None:
    assert times(at(ended)).prompt_at == at(prompt)


def test_next_morning_is_ten_in_the_workspaces_own_time_zone() -> None:
    new_york = ZoneInfo("America/New_York")
    ended = at("2026-11-24 16:00", new_york)
    assert times(ended, timezone="America/New_York").prompt_at == at("2026-11-25 10:00", new_york)
    # the same instant, for a London workspace, is already the evening of the 24th there
    assert times(ended).prompt_at == at("2026-11-25 10:00")


def test_clocks_changing_overnight_keep_ten_oclock_local() -> None:
    # UK clocks go forward on Sunday 29 March 2026
    prompt = times(at("2026-03-27 15:00")).prompt_at
    assert prompt == at("2026-03-30 10:00") and prompt.hour == 9  # 10:00 BST is 09:00 UTC


def test_a_delay_that_lands_in_quiet_hours_waits_for_them_to_end() -> None:
    result = times(at("2026-11-24 19:00"), delay="2h")
    assert result.prompt_at == at("2026-11-25 09:00")


def test_a_delay_outside_quiet_hours_is_exact() -> None:
    assert times(at("2026-11-24 11:00"), delay="90m").prompt_at == at("2026-11-24 12:30")


def test_quiet_hours_keep_prompts_off_weekends_too() -> None:
    assert times(at("2026-11-27 18:00"), delay="1d").prompt_at == at("2026-11-30 09:00")


def test_quiet_hours_off_sends_at_any_hour_and_any_day() -> None:
    result = times(at("2026-11-28 22:00"), delay="30m", quiet_hours="off")
    assert result.prompt_at == at("2026-11-28 22:30")


def test_quiet_hours_within_one_day() -> None:
    result = times(at("2026-11-24 11:30"), delay="1h", quiet_hours="12:00-14:00")
    assert result.prompt_at == at("2026-11-24 14:00")


def test_reminder_and_window_follow_the_prompt() -> None:
    result = times(at("2026-11-24 15:00"))
    assert result.reminder_at == at("2026-11-27 10:00")
    assert result.closes_at == at("2026-12-02 10:00")


def test_reminder_on_a_weekend_moves_to_monday_morning() -> None:
    result = times(at("2026-11-26 15:00"))  # Thursday → prompt Friday 10:00
    assert result.prompt_at == at("2026-11-27 10:00")
    assert result.reminder_at == at("2026-11-30 09:00")


def test_the_reminder_never_comes_after_the_window_closes() -> None:
    result = times(
        at("2026-11-24 11:00"), delay="1h", reminder_after="3d", window="1d", quiet_hours="off"
    )
    assert result.reminder_at == result.closes_at == at("2026-11-25 12:00")


def test_durations_and_quiet_hours_parse_what_people_type() -> None:
    assert parse_duration("90m") == timedelta(minutes=90)
    assert parse_duration("2h") == timedelta(hours=2)
    assert parse_duration("1d") == timedelta(days=1)
    assert parse_duration("10s") == timedelta(seconds=10)
    assert parse_duration("soon") is None and parse_duration("0h") is None
    assert parse_quiet_hours("off") is None
    with pytest.raises(ValueError):
        parse_quiet_hours("20:00-25:00")
