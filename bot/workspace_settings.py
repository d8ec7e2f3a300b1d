"""`/coproduce settings [<name> <value>]`: how the workspace's reflection rhythm is set."""

from __future__ import annotations

from collections.abc import Callable
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.durations import parse_duration, parse_quiet_hours
from bot.messages import Context, Facts, Heading, Message, Reply, simple
from bot.reflection_timing import NEXT_MORNING
from bot.roles import facilitators_only
from bot.turn import Turn


def _timezone(value: str) -> str | None:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        return None
    return value


def _delay(value: str) -> str | None:
    return value.lower() if value.lower() == NEXT_MORNING or parse_duration(value) else None


def _quiet(value: str) -> str | None:
    try:
        parse_quiet_hours(value)
    except ValueError:
        return None
    return value.lower()


def _duration(value: str) -> str | None:
    return value.lower() if parse_duration(value) else None


def _duration_or_off(value: str) -> str | None:
    return "off" if value.lower() == "off" else _duration(value)


def _digest(value: str) -> str | None:
    from bot.digest_schedule import parse_schedule

    if value.lower() == "off":
        return "off"
    return value.lower() if parse_schedule(value) else None


def _on_off(value: str) -> str | None:
    return value.lower() if value.lower() in ("on", "off") else None


# name → (workspace attribute, validator returning the stored form or None, what it accepts)
SETTINGS: dict[str, tuple[str, Callable[[str], str | None], str]] = {
    "timezone": ("timezone", _timezone, "an IANA time zone, such as Europe/London"),
    "reflection-delay": (
        "reflection_delay",
        _delay,
        "next-morning, or a duration such as 90m, 2h or 1d",
    ),
    "quiet-hours": ("quiet_hours", _quiet, "a span such as 20:00-09:00, or off"),
    "reminder-after": ("reminder_after", _duration, "a duration such as 2d"),
    "reflection-window": ("reflection_window", _duration, "a duration such as 7d"),
    "anonymous-default": ("anonymous_default", _on_off, "on or off"),
    "quiet-voices": (
        "quiet_voices_after",
        _duration_or_off,
        "how long before a gentle note to someone not heard from (such as 28d), or off",
    ),
    "digest": ("digest_schedule", _digest, "a day and time such as fri 16:00, or off"),
    "retention": (
        "retention",
        _duration,
        "how long withdrawn ideas and closed reflection records are kept, such as 365d",
    ),
}


def _digest_channel(turn: Turn, value: str) -> Reply:
    event = turn.event
    channels = getattr(event, "channels", ())
    if value.lower() == "here" and event.conversation.kind == "group":
        target = event.conversation
    elif channels:
        target = channels[0]
    else:
        return Reply(
            simple(
                "digest-channel needs `here` (run it in the group's channel) or a channel "
                "mention. Nothing has been changed."
            )
        )
    turn.workspace.digest_channel = target.id
    turn.workspace.digest_address = target.address
    return Reply(simple("Thank you: digests will be posted to that channel."))


def _shown(value: object) -> str:
    if isinstance(value, bool):
        return "on" if value else "off"
    return str(value)


def _overview(turn: Turn) -> Reply:
    facts = tuple(
        (name, _shown(getattr(turn.workspace, attr))) for name, (attr, _, _) in SETTINGS.items()
    )
    return Reply(
        Message(
            summary="Workspace settings",
            blocks=(
                Heading("Workspace settings"),
                Facts(facts),
                Context("Change one with /coproduce settings <name> <value>."),
            ),
        )
    )


async def settings_command(turn: Turn, text: str) -> Reply:
    refusal = facilitators_only(turn, "change workspace settings")
    if refusal:
        return refusal
    name, _, value = text.strip().partition(" ")
    if not name:
        return _overview(turn)
    if name.lower() == "digest-channel":
        return _digest_channel(turn, value.strip())
    if name.lower() not in SETTINGS:
        known = ", ".join([*SETTINGS, "digest-channel"])
        return Reply(
            simple(f"There's no setting called \u201c{name}\u201d. The settings are {known}.")
        )
    attribute, check, accepts = SETTINGS[name.lower()]
    stored = check(value.strip()) if value.strip() else None
    if stored is None:
        return Reply(simple(f"{name} needs {accepts}. Nothing has been changed."))
    setattr(turn.workspace, attribute, stored == "on" if check is _on_off else stored)
    return Reply(simple(f"Thank you: {name} is now {stored}."))
