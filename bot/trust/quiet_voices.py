"""Gentle invitations for people who have not taken part in a while, at most once a period.

Taking part is sharing an idea, answering a reflection prompt, or being in a meeting; the note
invites and never reports what was noticed, because "we haven't heard from you" reads as being
watched.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.i18n import _, speaking
from bot.loop.notify import queue_private
from bot.runtime.sweeps import for_each_workspace
from bot.seam.messages import Button, Buttons, Message, Paragraph, Reply, simple
from bot.sessions.durations import parse_duration, parse_quiet_hours
from bot.sessions.reflection_timing import polite
from bot.trust.people import person_for
from bot.turn import NO_GROUP, Turn
from storage import people as people_store
from storage.database import Database
from storage.models import Workspace, as_utc, id_of

FINE = "nudge.fine"
STOP = "nudge.stop"
ACTIONS = (FINE, STOP)
# Below this many members, even aggregate participation could point at someone.
MIN_GROUP_FOR_AGGREGATES = 5


def nudge_message() -> Message:
    return Message(
        summary=_("Hello from Coproduce"),
        blocks=(
            Paragraph(
                _(
                    "Hello! Your thoughts on the group's work are always welcome, big or small. "
                    "If something comes to mind, you can just reply here, any time. To leave "
                    "your name off, start with /idea anonymous."
                )
            ),
            Paragraph(_("No pressure at all: nothing to add is a perfectly good answer.")),
            Buttons(
                (
                    Button(_("Nothing to add"), FINE, "1"),
                    Button(_("No more of these"), STOP, "1"),
                )
            ),
        ),
    )


async def sweep(database: Database, now: datetime) -> int:
    """Queue one nudge for each quiet member, in polite hours only; returns how many."""

    async def one(session: AsyncSession, workspace: Workspace) -> int:
        return await _nudge_quiet_members(session, workspace, now)

    return await for_each_workspace(database, "quiet-voices", one)


async def _nudge_quiet_members(session: AsyncSession, workspace: Workspace, now: datetime) -> int:
    queued = 0
    period = parse_duration(workspace.quiet_voices_after)
    if period is None:
        return 0
    zone = ZoneInfo(workspace.timezone)
    if polite(now, zone, parse_quiet_hours(NO_GROUP.quiet_hours)) != now:
        return 0
    people = await people_store.nudgeable(
        session=session,
        workspace_id=id_of(workspace),
        now=now,
    )
    for person in people:
        if as_utc(person.created_at) > now - period:
            continue  # new here: not quiet, just arrived
        if person.last_nudged_at and as_utc(person.last_nudged_at) > now - period:
            continue
        heard = await people_store.last_heard(session=session, person_id=id_of(person))
        if heard is not None and heard > now - period:
            continue
        person.last_nudged_at = now
        with speaking(person.language):
            note = nudge_message()
        queued += await queue_private(
            session,
            person=person,
            key=f"nudge:{person.id}:{now:%Y%m%d}",
            kind="quiet-voice-nudge",
            message=note,
            now=now,
        )
    return queued


def act(turn: Turn, action_id: str) -> Reply:
    if action_id == STOP:
        turn.person.nudges_off = True
        return Reply(
            simple(_("Done: no more of these notes. You're always welcome to send an idea.")),
            replace_original=True,
        )
    return Reply(
        simple(_("Thank you for letting me know. That's always fine.")), replace_original=True
    )


async def participation(turn: Turn) -> Reply:
    """For facilitators: how many of the channel's members were heard from, in aggregate only.

    The members are the channel's roster, not the people the bot happens to have met: someone
    whose only contribution was anonymous must not make the count of members move either.
    """
    if turn.event.conversation.kind != "group" or turn.roster is None:
        return Reply(
            simple(
                _(
                    "Please run /coproduce participation in the group's channel. Then I can "
                    "count the people in it."
                )
            )
        )
    period = parse_duration(turn.workspace.quiet_voices_after) or timedelta(days=28)
    roster = await turn.roster.members(turn.event.conversation)
    members = {turn.person.id: turn.person}
    for actor in roster:
        person = await person_for(turn, actor)
        members[person.id] = person
    if len(members) < MIN_GROUP_FOR_AGGREGATES:
        return Reply(
            simple(
                _(
                    "The group is still small, so I won't show figures for taking part. They "
                    "could point at someone."
                )
            )
        )
    since = turn.now - period
    heard = 0
    for person in members.values():
        moment = await people_store.last_heard(
            session=turn.session,
            person_id=id_of(person),
            named_only=True,
        )
        heard += int(moment is not None and moment > since)
    days = int(period.total_seconds() // 86400)
    return Reply(
        simple(
            _(
                "In the last {days} days, {heard} of the {total} people in this channel took "
                "part with their name. Taking part means an idea, an answer to an afterthought "
                "request, or a meeting. Anonymous ideas are not counted, so this number never "
                "points at who shared them. Nobody is named here.",
                days=days,
                heard=heard,
                total=len(members),
            )
        )
    )
