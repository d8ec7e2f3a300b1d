"""Gentle nudges for people the group has not heard from in a while, at most once a period."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.durations import parse_duration, parse_quiet_hours
from bot.messages import Button, Buttons, Context, Message, Paragraph, Reply, simple
from bot.notify import queue_private
from bot.people import person_for
from bot.reflection_timing import polite
from bot.sweeps import for_each_workspace
from bot.turn import Turn
from storage.database import Database
from storage.models import Idea, MeetingParticipant, Person, Workspace, as_utc
from storage.personal_data import ERASED_ID

FINE = "nudge.fine"
STOP = "nudge.stop"
ACTIONS = (FINE, STOP)
# Below this many members, even aggregate participation could point at someone.
MIN_GROUP_FOR_AGGREGATES = 5


def nudge_message() -> Message:
    return Message(
        summary="Hello from Coproduce",
        blocks=(
            Paragraph(
                "Hello! We haven't heard from you for a while, and that's completely fine. If "
                "anything is on your mind about the group's work, big or small, you can just "
                "reply here. You can stay anonymous: start with /idea anonymous."
            ),
            Context("No pressure at all: nothing to add is a perfectly good answer."),
            Buttons(
                (
                    Button("Nothing to add", FINE, "1"),
                    Button("No more of these", STOP, "1"),
                )
            ),
        ),
    )


async def last_heard(session, person_id: int, *, named_only: bool = False) -> datetime | None:  # type: ignore[no-untyped-def]
    """When the person last shared an idea or answered a reflection prompt.

    `named_only` leaves out anonymous ideas and the afterthought answers that go with them: a
    count others see must not change when someone shares anonymously, or it tells who did.
    """
    ideas = select(func.max(Idea.created_at)).where(Idea.author_id == person_id)
    answers = select(func.max(MeetingParticipant.responded_at)).where(
        MeetingParticipant.person_id == person_id
    )
    if named_only:
        ideas = ideas.where(col(Idea.anonymous).is_(False))
        answers = answers.where(MeetingParticipant.response == "nothing")
    idea = (await session.exec(ideas)).one()
    answer = (await session.exec(answers)).one()
    moments = [as_utc(m) for m in (idea, answer) if m is not None]
    return max(moments) if moments else None


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
    if polite(now, zone, parse_quiet_hours(workspace.quiet_hours)) != now:
        return 0
    people = (
        await session.exec(
            select(Person).where(
                Person.workspace_id == workspace.id,
                col(Person.paused).is_(False),
                col(Person.nudges_off).is_(False),
                Person.external_id != ERASED_ID,
            )
        )
    ).all()
    for person in people:
        if as_utc(person.created_at) > now - period:
            continue  # new here: not quiet, just arrived
        if person.last_nudged_at and as_utc(person.last_nudged_at) > now - period:
            continue
        heard = await last_heard(session, person.id)  # type: ignore[arg-type]
        if heard is not None and heard > now - period:
            continue
        person.last_nudged_at = now
        queued += await queue_private(
            session,
            person=person,
            key=f"nudge:{person.id}:{now:%Y%m%d}",
            kind="quiet-voice-nudge",
            message=nudge_message(),
            now=now,
        )
    return queued


def act(turn: Turn, action_id: str) -> Reply:
    if action_id == STOP:
        turn.person.nudges_off = True
        return Reply(
            simple("Done: no more of these notes. You're always welcome to send an idea."),
            replace_original=True,
        )
    return Reply(
        simple("Thank you for letting me know. That's always fine."), replace_original=True
    )


async def participation(turn: Turn) -> Reply:
    """For facilitators: how many of the channel's members were heard from, in aggregate only.

    The members are the channel's roster, not the people the bot happens to have met: someone
    whose only contribution was anonymous must not make the count of members move either.
    """
    if turn.event.conversation.kind != "group" or turn.roster is None:
        return Reply(
            simple(
                "Please run /coproduce participation in the group's channel, so that I count "
                "the people in it."
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
                "The group is still small, so I won't show participation figures: they could "
                "point at someone."
            )
        )
    since = turn.now - period
    heard = 0
    for person in members.values():
        moment = await last_heard(turn.session, person.id, named_only=True)  # type: ignore[arg-type]
        heard += int(moment is not None and moment > since)
    days = int(period.total_seconds() // 86400)
    return Reply(
        simple(
            f"In the last {days} days, {heard} of the {len(members)} people in this channel "
            "shared something with their name on it or answered a reflection prompt. Anonymous "
            "ideas are not counted, so that this number never points at who shared them. "
            "Nobody is named here."
        )
    )
