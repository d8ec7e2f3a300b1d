"""Gentle nudges for people the group has not heard from in a while, at most once a period."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel import col, func, select

from bot.durations import parse_duration, parse_quiet_hours
from bot.messages import Button, Buttons, Context, Message, Paragraph, Reply, simple
from bot.notify import queue_private
from bot.reflection_timing import polite
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


async def last_heard(session, person_id: int) -> datetime | None:  # type: ignore[no-untyped-def]
    """When the person last shared an idea or answered a reflection prompt."""
    idea = (
        await session.exec(select(func.max(Idea.created_at)).where(Idea.author_id == person_id))
    ).one()
    answer = (
        await session.exec(
            select(func.max(MeetingParticipant.responded_at)).where(
                MeetingParticipant.person_id == person_id
            )
        )
    ).one()
    moments = [as_utc(m) for m in (idea, answer) if m is not None]
    return max(moments) if moments else None


async def sweep(database: Database, now: datetime) -> int:
    """Queue one nudge for each quiet member, in polite hours only; returns how many."""
    queued = 0
    async with database.transaction() as session:
        for workspace in (await session.exec(select(Workspace))).all():
            period = parse_duration(workspace.quiet_voices_after)
            if period is None:
                continue
            zone = ZoneInfo(workspace.timezone)
            if polite(now, zone, parse_quiet_hours(workspace.quiet_hours)) != now:
                continue
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
    """For facilitators: how many members were heard from, in aggregate only."""
    period = parse_duration(turn.workspace.quiet_voices_after) or parse_duration("28d")
    members = (
        await turn.session.exec(
            select(Person).where(
                Person.workspace_id == turn.workspace.id, Person.external_id != ERASED_ID
            )
        )
    ).all()
    if len(members) < MIN_GROUP_FOR_AGGREGATES:
        return Reply(
            simple(
                "The group is still small, so I won't show participation figures: they could "
                "point at someone."
            )
        )
    since = turn.now - period  # type: ignore[operator]
    heard = 0
    for person in members:
        moment = await last_heard(turn.session, person.id)  # type: ignore[arg-type]
        heard += int(moment is not None and moment > since)
    days = int(period.total_seconds() // 86400)  # type: ignore[union-attr]
    return Reply(
        simple(
            f"In the last {days} days, {heard} of {len(members)} members shared something. "
            "Quiet members get one gentle private note per period; nobody is named here."
        )
    )
