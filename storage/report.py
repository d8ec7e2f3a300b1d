"""What the impact report is made of, for one group and one period, counted in the database.

A busy group's quarter holds thousands of ideas and many more status steps (docs/benchmarks.md
times it on 100,000 ideas and 1,000,000 steps): each figure is one aggregate or one narrow
list, never whole rows, and the time indexes find the period.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, case, delete, distinct, literal, or_, union, update
from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import (
    Credit,
    DeliveryState,
    GroupMember,
    Guest,
    Idea,
    IdeaStatus,
    Meeting,
    MeetingParticipant,
    OutboxDelivery,
    Person,
    ReportLink,
    StatusChange,
    TimeSpent,
    as_utc,
)
from storage.people import ERASED_PERSON
from storage.results import rows_changed

# A status that answers an idea: what its contributors wait to hear.
DECISIONS = (
    IdeaStatus.GREEN_LIT,
    IdeaStatus.IN_PROGRESS,
    IdeaStatus.DONE,
    IdeaStatus.PARKED,
)


def _within(column: Any, start: datetime, end: datetime) -> tuple[Any, Any]:
    """The two conditions that put a timestamp in the period: from `start`, before `end`."""
    return col(column) >= start, col(column) < end


# Sign-in links ------------------------------------------------------------------------------


async def add_link(*, session: AsyncSession, nonce: str, person_id: int, now: datetime) -> None:
    session.add(ReportLink(nonce=nonce, person_id=person_id, issued_at=now))


async def link(*, session: AsyncSession, nonce: str) -> ReportLink | None:
    return await session.get(ReportLink, nonce)


async def use_link(*, session: AsyncSession, nonce: str, now: datetime) -> bool:
    """Mark the link used; False when it already was (two tabs, or someone else's replay)."""
    result = await session.execute(
        update(ReportLink)
        .where(col(ReportLink.nonce) == nonce, col(ReportLink.used_at).is_(None))
        .values(used_at=now)
    )
    return rows_changed(result) == 1


async def forget_links(*, session: AsyncSession, person_id: int) -> None:
    await session.execute(delete(ReportLink).where(col(ReportLink.person_id) == person_id))


# The report ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class IdeaLine:
    """One idea received in the period, as the report and ideas.csv need it."""

    number: int
    created_at: datetime
    status: str
    decided_at: datetime | None
    anonymous: bool
    author_name: str | None  # None for an erased author as well
    text: str


@dataclass(frozen=True)
class MeetingLine:
    id: int
    title: str
    started_at: datetime
    ended_at: datetime | None
    present: int
    participants: int
    afterthoughts: int


@dataclass(frozen=True)
class PersonLine:
    """One named person's involvement in the period: for the involvement CSV."""

    person_id: int
    name: str
    platform_id: str
    email: str | None  # a guest's: the way a finance team can reach someone with no chat account
    meetings: int
    meeting_minutes: int
    other_minutes: int
    credits: int


async def _first_decisions(
    session: AsyncSession, group_id: int, start: datetime, end: datetime
) -> dict[int, datetime]:
    """When each idea the group received in the period was first decided. Grouped, not a
    correlated `min()`: that tempts PostgreSQL to walk the whole time index for every idea."""
    query = (
        select(StatusChange.idea_id, func.min(StatusChange.changed_at))
        .join(Idea, col(Idea.id) == StatusChange.idea_id)
        .where(
            col(Idea.group_id) == group_id,
            *_within(Idea.created_at, start, end),
            col(StatusChange.status).in_(DECISIONS),
        )
        .group_by(col(StatusChange.idea_id))
    )
    return {int(i): as_utc(at) for i, at in (await session.exec(query)).all()}


@dataclass(frozen=True)
class Received:
    idea_id: int
    created_at: datetime
    status: str
    decided_at: datetime | None


async def ideas_received(
    *, session: AsyncSession, group_id: int, start: datetime, end: datetime
) -> list[Received]:
    """Each idea the group received in the period, with when it was first decided; withdrawn
    ones left out, as the digest leaves them out."""
    query = select(Idea.id, Idea.created_at, Idea.status).where(
        col(Idea.group_id) == group_id,
        *_within(Idea.created_at, start, end),
        col(Idea.status) != IdeaStatus.WITHDRAWN,
    )
    decided = await _first_decisions(session, group_id, start, end)
    return [
        Received(idea_id, as_utc(created), status, decided.get(idea_id))
        for idea_id, created, status in (await session.exec(query)).all()
        if idea_id is not None
    ]


async def idea_lines(
    *, session: AsyncSession, group_id: int, start: datetime, end: datetime
) -> list[IdeaLine]:
    """Every idea the group received in the period, oldest first, with its author's name
    only where it was shared with a name by someone who has not been erased."""
    named = and_(col(Idea.anonymous).is_(False), col(Person.external_id) != ERASED_PERSON)
    query = (
        select(  # type: ignore[call-overload]
            Idea.id,
            Idea.number,
            Idea.created_at,
            Idea.status,
            Idea.anonymous,
            case((named, Person.display_name), else_=literal(None)),
            Idea.text,
        )
        .join(Person, col(Person.id) == Idea.author_id)
        .where(
            col(Idea.group_id) == group_id,
            *_within(Idea.created_at, start, end),
            col(Idea.status) != IdeaStatus.WITHDRAWN,
        )
        .order_by(col(Idea.number))
    )
    decided = await _first_decisions(session, group_id, start, end)
    return [
        IdeaLine(
            number=number,
            created_at=as_utc(created),
            status=status,
            decided_at=decided.get(int(idea_id)),
            anonymous=anonymous,
            author_name=name,
            text=text,
        )
        for idea_id, number, created, status, anonymous, name, text in (
            await session.exec(query)
        ).all()
    ]


async def decisions_by_status(
    *, session: AsyncSession, group_id: int, start: datetime, end: datetime
) -> dict[str, int]:
    """How many times the group's ideas were moved to each decision in the period."""
    query = (
        select(StatusChange.status, func.count())
        .join(Idea, col(Idea.id) == StatusChange.idea_id)
        .where(
            col(Idea.group_id) == group_id,
            *_within(StatusChange.changed_at, start, end),
            col(StatusChange.status).in_(DECISIONS),
        )
        .group_by(col(StatusChange.status))
    )
    return {status: int(count) for status, count in (await session.exec(query)).all()}


async def recent_decisions(
    *, session: AsyncSession, group_id: int, start: datetime, end: datetime, limit: int
) -> list[tuple[StatusChange, Idea]]:
    """The period's latest decisions on the group's ideas, newest first (found by time)."""
    query = (
        select(StatusChange, Idea)
        .join(Idea, col(Idea.id) == StatusChange.idea_id)
        .where(
            col(Idea.group_id) == group_id,
            *_within(StatusChange.changed_at, start, end),
            col(StatusChange.status).in_(DECISIONS),
            col(Idea.status) != IdeaStatus.WITHDRAWN,
        )
        .order_by(col(StatusChange.changed_at).desc(), col(StatusChange.id).desc())
        .limit(limit)
    )
    return [(step, idea) for step, idea in (await session.exec(query)).all()]


async def unheard_ideas(*, session: AsyncSession, workspace_id: int) -> set[int]:
    """Ideas whose decision news has not reached everyone yet: a status update still waiting,
    being sent, or given up on. (Delivered rows are purged after a while; these are not.)"""
    waiting = select(OutboxDelivery.idempotency_key).where(
        col(OutboxDelivery.workspace_id) == workspace_id,
        col(OutboxDelivery.kind) == "status-update",
        col(OutboxDelivery.status) != DeliveryState.DELIVERED,
    )
    change_ids = {
        int(key.split(":")[1])
        for key in (await session.exec(waiting)).all()
        if key.count(":") == 2 and key.split(":")[1].isdigit()
    }
    if not change_ids:
        return set()
    ideas = select(StatusChange.idea_id).where(col(StatusChange.id).in_(change_ids))
    return set((await session.exec(ideas)).all())


async def meetings(
    *, session: AsyncSession, group_id: int, start: datetime, end: datetime
) -> list[MeetingLine]:
    """The group's meetings that began in the period, with attendance and afterthoughts."""
    present = func.sum(case((col(MeetingParticipant.present).is_(True), 1), else_=0))
    answered = func.sum(
        case(
            (
                and_(
                    col(MeetingParticipant.present).is_(True),
                    col(MeetingParticipant.response) == "afterthought",
                ),
                1,
            ),
            else_=0,
        )
    )
    query = (
        select(  # type: ignore[call-overload]
            Meeting.id,
            Meeting.title,
            Meeting.started_at,
            Meeting.ended_at,
            func.coalesce(present, 0),
            func.count(col(MeetingParticipant.id)),
            func.coalesce(answered, 0),
        )
        .outerjoin(MeetingParticipant, col(MeetingParticipant.meeting_id) == Meeting.id)
        .where(
            col(Meeting.group_id) == group_id,
            *_within(Meeting.started_at, start, end),
        )
        .group_by(col(Meeting.id))
        .order_by(col(Meeting.started_at))
    )
    return [
        MeetingLine(
            id=meeting_id,
            title=title,
            started_at=as_utc(started),
            ended_at=as_utc(ended) if ended else None,
            present=int(there),
            participants=int(everyone),
            afterthoughts=int(afterthoughts),
        )
        for meeting_id, title, started, ended, there, everyone, afterthoughts in (
            await session.exec(query)
        ).all()
    ]


async def minutes_given(
    *, session: AsyncSession, group_id: int, start: datetime, end: datetime
) -> int:
    """Time people added to their records (`/coproduce time`) for the group in the period."""
    query = select(func.coalesce(func.sum(TimeSpent.minutes), 0)).where(
        col(TimeSpent.group_id) == group_id,
        *_within(TimeSpent.added_at, start, end),
    )
    return int((await session.exec(query)).one())


async def credits_given(
    *, session: AsyncSession, group_id: int, start: datetime, end: datetime
) -> int:
    query = select(func.count()).where(
        col(Credit.group_id) == group_id,
        *_within(Credit.created_at, start, end),
    )
    return int((await session.exec(query)).one())


async def member_count(*, session: AsyncSession, group_id: int) -> int:
    query = select(func.count()).where(col(GroupMember.group_id) == group_id)
    return int((await session.exec(query)).one())


async def named_participants(
    *, session: AsyncSession, group_id: int, start: datetime, end: datetime
) -> int:
    """How many of the group's members took part with their name in the period: an idea with
    their name on it, a meeting they were at, or "nothing to add" to a prompt. Anonymous ideas
    and afterthoughts are left out, so the figure never moves when someone shares anonymously."""
    members = select(GroupMember.person_id).where(col(GroupMember.group_id) == group_id)
    named_ideas = select(Idea.author_id).where(
        col(Idea.group_id) == group_id,
        col(Idea.anonymous).is_(False),
        *_within(Idea.created_at, start, end),
    )
    in_meetings = (
        select(MeetingParticipant.person_id)
        .join(Meeting, col(Meeting.id) == MeetingParticipant.meeting_id)
        .where(
            col(Meeting.group_id) == group_id,
            *_within(Meeting.started_at, start, end),
            or_(
                col(MeetingParticipant.present).is_(True),
                col(MeetingParticipant.response) == "nothing",
            ),
        )
    )
    took_part = union(named_ideas, in_meetings).subquery()
    query = select(func.count(distinct(took_part.c[0]))).where(took_part.c[0].in_(members))
    return int((await session.exec(query)).one())


async def involvement(
    *, session: AsyncSession, group_id: int, start: datetime, end: datetime
) -> list[PersonLine]:
    """One line per named person with anything in the period: meetings they were at (and how
    long those ran), time they added, thanks they received. The erased placeholder and people
    with no name are left out: the file is for paying people, who have names."""
    lines: dict[int, dict[str, int]] = {}

    def line(person_id: int) -> dict[str, int]:
        return lines.setdefault(
            person_id, {"meetings": 0, "meeting_minutes": 0, "other_minutes": 0, "credits": 0}
        )

    attended = (
        select(MeetingParticipant.person_id, Meeting.started_at, Meeting.ended_at)
        .join(Meeting, col(Meeting.id) == MeetingParticipant.meeting_id)
        .where(
            col(Meeting.group_id) == group_id,
            *_within(Meeting.started_at, start, end),
            col(MeetingParticipant.present).is_(True),
        )
    )
    for person_id, started, ended in (await session.exec(attended)).all():
        entry = line(person_id)
        entry["meetings"] += 1
        if started is not None and ended is not None:
            entry["meeting_minutes"] += max(
                0, int((as_utc(ended) - as_utc(started)).total_seconds() // 60)
            )
    given = (
        select(TimeSpent.person_id, func.sum(TimeSpent.minutes))
        .where(
            col(TimeSpent.group_id) == group_id,
            *_within(TimeSpent.added_at, start, end),
        )
        .group_by(col(TimeSpent.person_id))
    )
    for person_id, minutes in (await session.exec(given)).all():
        line(person_id)["other_minutes"] += int(minutes or 0)
    thanked = (
        select(Credit.person_id, func.count())
        .where(
            col(Credit.group_id) == group_id,
            *_within(Credit.created_at, start, end),
        )
        .group_by(col(Credit.person_id))
    )
    for person_id, count in (await session.exec(thanked)).all():
        line(person_id)["credits"] += int(count)
    if not lines:
        return []
    people = await _named(session, list(lines))
    return sorted(
        (
            PersonLine(person_id=pid, name=name, platform_id=external, email=email, **lines[pid])
            for pid, (name, external, email) in people.items()
        ),
        key=lambda entry: (entry.name.casefold(), entry.person_id),
    )


async def _named(
    session: AsyncSession, person_ids: Sequence[int]
) -> dict[int, tuple[str, str, str | None]]:
    query = (
        select(Person.id, Person.display_name, Person.external_id, Guest.email)
        .outerjoin(Guest, col(Guest.person_id) == Person.id)
        .where(
            col(Person.id).in_(person_ids),
            col(Person.display_name).is_not(None),
            col(Person.external_id) != ERASED_PERSON,
        )
    )
    return {
        int(pid): (str(name), str(external), email)
        for pid, name, external, email in (await session.exec(query)).all()
        if pid is not None
    }
