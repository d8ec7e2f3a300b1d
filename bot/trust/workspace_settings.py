"""`/coproduce settings [<name> <value>]`: each group's rhythm, and the workspace's own few.

Group settings are set in the group's channel (or in a DM, for one's only group) by its
facilitators; the workspace settings (time zone, retention, quiet voices) by admins, anywhere.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.groups.groups import group_here
from bot.i18n import N_, _
from bot.seam.messages import Block, Context, Facts, Heading, Message, Reply, simple
from bot.sessions.durations import parse_duration, parse_quiet_hours
from bot.sessions.reflection_timing import NEXT_MORNING
from bot.sessions.when import WEEKDAYS
from bot.trust.roles import facilitators_only
from bot.turn import Turn
from storage.models import Group, Workspace, column_length


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


Setting = tuple[str, Callable[[str], str | None], str]
# name → (attribute, validator returning the stored form or None, what it accepts).
# Every duration has a range, and the refusal states it: an unbounded one once let a single
# workspace's "999999999d" stop the sweeps of every workspace.
WORKSPACE_SETTINGS: dict[str, Setting] = {
    "timezone": ("timezone", _timezone, N_("an IANA time zone, such as Europe/London")),
    "quiet-voices": (
        "quiet_voices_after",
        _within(timedelta(days=7), timedelta(days=365), off=True),
        N_(
            "the days before a kind note to someone who has not taken part: from 7 days to 365 "
            "days (such as 28d), or off"
        ),
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
GROUP_SETTINGS: dict[str, Setting] = {
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
}
SETTINGS = {**GROUP_SETTINGS, **WORKSPACE_SETTINGS}


def _digest_channel(turn: Turn, group: Group, value: str) -> Reply:
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
    if target.id == group.channel_id:
        group.digest_channel, group.digest_address = None, None  # its own channel, as ever
    else:
        group.digest_channel, group.digest_address = target.id, target.address
    return Reply(simple(_("Thank you: the weekly post will go to that channel.")))


def _shown(value: object) -> str:
    if isinstance(value, bool):
        return "on" if value else "off"
    return str(value)


def group_facts(group: Group) -> tuple[tuple[str, str], ...]:
    """A group's settings as name and value, as people set them."""
    return tuple(
        (name, _shown(getattr(group, attr)))
        for name, (attr, _check, _accepts) in GROUP_SETTINGS.items()
    )


def _overview(turn: Turn, group: Group | None) -> Reply:
    blocks: list[Block] = []
    if group is not None:
        blocks += [
            Heading(_("Settings of the group \u201c{name}\u201d", name=group.name)),
            Facts(group_facts(group)),
        ]
    workspace = tuple(
        (name, _shown(getattr(turn.workspace, attr)))
        for name, (attr, _check, _accepts) in WORKSPACE_SETTINGS.items()
    )
    blocks += [Heading(_("Workspace settings")), Facts(workspace)]
    blocks.append(Context(_("Change one with /coproduce settings <name> <value>.")))
    if group is None:
        blocks.append(Context(_("To see a group's settings, type this in its channel.")))
    return Reply(Message(summary=_("Settings"), blocks=tuple(blocks)))


async def _group_for_settings(turn: Turn, *, make: bool) -> Group | None:
    """In a channel, its group (made now by a facilitator setting one: the channel is meant to
    be a group); in a DM, the person's only group. None when they do not run it."""
    if turn.event.conversation.kind == "group":
        group = turn.group or (await group_here(turn) if make else None)
    else:
        group = await turn.working_group()
    if group is not None and not await turn.facilitates(group.id):
        return None
    return group


def _refused(name: str, accepts: str) -> Reply:
    return Reply(
        simple(
            _(
                "{name} needs {accepts}. Nothing has been changed.",
                name=name,
                accepts=_(accepts),
            )
        )
    )


async def settings_command(turn: Turn, text: str) -> Reply:
    refusal = facilitators_only(turn, _("change settings"))
    if refusal:
        return refusal
    name, _space, value = text.strip().partition(" ")
    if not name:
        return _overview(turn, await _group_for_settings(turn, make=False))
    name, value = name.lower(), value.strip()
    if name not in SETTINGS and name != "digest-channel":
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
    if name in WORKSPACE_SETTINGS and not turn.is_admin:
        return Reply(
            simple(
                _(
                    "{name} is a workspace setting, so only admins can change it. Nothing "
                    "has been changed.",
                    name=name,
                )
            )
        )
    stored: str | None = None
    if name != "digest-channel":
        attribute, check, accepts = SETTINGS[name]
        stored = check(value) if value else None
        owner = Workspace if name in WORKSPACE_SETTINGS else Group
        if stored is None or len(stored) > column_length(owner, attribute):
            return _refused(name, accepts)
    target: Workspace | Group | None = turn.workspace
    if name == "digest-channel" and turn.group is None:
        # "Send our group's post here": this channel is where it goes, not a group of its own.
        group = await turn.working_group()
        target = group if group is not None and await turn.facilitates(group.id) else None
    elif name not in WORKSPACE_SETTINGS:
        target = await _group_for_settings(turn, make=True)
    if target is None:
        return Reply(
            simple(
                _(
                    "{name} belongs to a group. Please type this in the group's channel. "
                    "Nothing has been changed.",
                    name=name,
                )
            )
        )
    if name == "digest-channel":
        assert isinstance(target, Group)
        return _digest_channel(turn, target, value)
    assert stored is not None
    setattr(target, attribute, stored == "on" if check is _on_off else stored)
    return Reply(simple(_("Thank you: {name} is now {value}.", name=name, value=stored)))
