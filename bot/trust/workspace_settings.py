"""`/coproduce settings [<name> <value>]`: how the workspace's reflection rhythm is set."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.i18n import N_, _
from bot.seam.messages import Context, Facts, Heading, Message, Reply, simple
from bot.sessions.durations import parse_duration, parse_quiet_hours
from bot.sessions.reflection_timing import NEXT_MORNING
from bot.sessions.when import WEEKDAYS
from bot.trust.roles import facilitators_only
from bot.turn import Turn
from storage.models import Workspace, column_length


def _timezone(value: str) -> str | None:
    try:
        key = ZoneInfo(value).key
    except (ZoneInfoNotFoundError, ValueError):
        return None
    return key if len(key) <= 64 else None


def _within(low: timedelta, high: timedelta, *, off: bool = False) -> Callable[[str], str | None]:
    """A duration between `low` and `high`, stored in one canonical form (`90m`, `2d`)."""

    def check(value: str) -> str | None:
        if off and value.lower() == "off":
            return "off"
        parsed = parse_duration(value)
        if parsed is None or not low <= parsed <= high:
            return None
        return value.strip().lower().lstrip("0").replace(" ", "")

    return check


def _delay(value: str) -> str | None:
    if value.lower() == NEXT_MORNING:
        return NEXT_MORNING
    return _within(timedelta(seconds=1), timedelta(days=7))(value)


def _quiet(value: str) -> str | None:
    try:
        hours = parse_quiet_hours(value)
    except ValueError:
        return None
    return "off" if hours is None else f"{hours.start:%H:%M}-{hours.end:%H:%M}"


def _digest(value: str) -> str | None:
    from bot.loop.digest_schedule import parse_schedule

    if value.lower() == "off":
        return "off"
    parsed = parse_schedule(value)
    if parsed is None:
        return None
    day, hour, minute = parsed
    return f"{WEEKDAYS[day]} {hour:02d}:{minute:02d}"


def _count(low: int, high: int) -> Callable[[str], str | None]:
    def check(value: str) -> str | None:
        return str(int(value)) if value.isdigit() and low <= int(value) <= high else None

    return check


def _one_of(*choices: str) -> Callable[[str], str | None]:
    def check(value: str) -> str | None:
        return value.lower() if value.lower() in choices else None

    return check


def _on_off(value: str) -> str | None:
    return value.lower() if value.lower() in ("on", "off") else None


# name → (workspace attribute, validator returning the stored form or None, what it accepts).
# Every duration has a range, and the refusal states it: an unbounded one once let a single
# workspace's "999999999d" stop the sweeps of every workspace.
SETTINGS: dict[str, tuple[str, Callable[[str], str | None], str]] = {
    "timezone": ("timezone", _timezone, N_("an IANA time zone, such as Europe/London")),
    "reflection-delay": (
        "reflection_delay",
        _delay,
        N_("next-morning, or a duration from 1 second to 7 days, such as 90m, 2h or 1d"),
    ),
    "quiet-hours": ("quiet_hours", _quiet, N_("a span such as 20:00-09:00, or off")),
    "reminder-after": (
        "reminder_after",
        _within(timedelta(hours=1), timedelta(days=30)),
        N_("a duration from 1 hour to 30 days, such as 2d"),
    ),
    "reflection-window": (
        "reflection_window",
        _within(timedelta(days=1), timedelta(days=90)),
        N_("a duration from 1 day to 90 days, such as 7d"),
    ),
    "anonymous-default": ("anonymous_default", _on_off, N_("on or off")),
    "quiet-voices": (
        "quiet_voices_after",
        _within(timedelta(days=7), timedelta(days=365), off=True),
        N_(
            "the days before a kind note to someone who has not taken part: from 7 days to 365 "
            "days (such as 28d), or off"
        ),
    ),
    "digest": ("digest_schedule", _digest, N_("a day and time such as fri 16:00, or off")),
    "channel-language": (
        "channel_language",
        _one_of("en", "cy", "both"),
        N_("en, cy or both: the language of posts in the group's channel (Welsh first in both)"),
    ),
    "agenda-votes": (
        "agenda_votes",
        _count(1, 10),
        N_("how many agenda items each person can vote for, from 1 to 10 (3 unless set)"),
    ),
    "retention": (
        "retention",
        _within(timedelta(days=30), timedelta(days=3650)),
        N_(
            "how long withdrawn ideas and closed reflection records are kept, from 30 days to "
            "3650 days (10 years), such as 365d"
        ),
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
                _(
                    "digest-channel needs the word here (run it in the group's channel) or a "
                    "channel mention. Nothing has been changed."
                )
            )
        )
    turn.workspace.digest_channel = target.id
    turn.workspace.digest_address = target.address
    return Reply(simple(_("Thank you: the weekly post will go to that channel.")))


def _shown(value: object) -> str:
    if isinstance(value, bool):
        return "on" if value else "off"
    return str(value)


def _overview(turn: Turn) -> Reply:
    facts = tuple(
        (name, _shown(getattr(turn.workspace, attr)))
        for name, (attr, _check, _accepts) in SETTINGS.items()
    )
    return Reply(
        Message(
            summary=_("Workspace settings"),
            blocks=(
                Heading(_("Workspace settings")),
                Facts(facts),
                Context(_("Change one with /coproduce settings <name> <value>.")),
            ),
        )
    )


async def settings_command(turn: Turn, text: str) -> Reply:
    refusal = facilitators_only(turn, _("change workspace settings"))
    if refusal:
        return refusal
    name, _space, value = text.strip().partition(" ")
    if not name:
        return _overview(turn)
    if name.lower() == "digest-channel":
        return _digest_channel(turn, value.strip())
    if name.lower() not in SETTINGS:
        known = ", ".join([*SETTINGS, "digest-channel"])
        return Reply(
            simple(
                _(
                    "There's no setting called \u201c{name}\u201d. The settings are {known}.",
                    name=name,
                    known=known,
                )
            )
        )
    attribute, check, accepts = SETTINGS[name.lower()]
    stored = check(value.strip()) if value.strip() else None
    if stored is None or len(stored) > column_length(Workspace, attribute):
        return Reply(
            simple(
                _(
                    "{name} needs {accepts}. Nothing has been changed.",
                    name=name,
                    accepts=_(accepts),
                )
            )
        )
    setattr(turn.workspace, attribute, stored == "on" if check is _on_off else stored)
    return Reply(simple(_("Thank you: {name} is now {value}.", name=name, value=stored)))
