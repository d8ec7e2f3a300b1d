"""What one period's "You said, we did" digest is made of, read in a few bounded queries.

A busy workspace's week is counted in the database, never loaded whole: each section reads its
first `limit` rows and a count (docs/benchmarks.md has the timings on 100,000 ideas).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import exists
from sqlalchemy.orm import aliased
from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import AgendaItem, Credit, Idea, Meeting, Person, StatusChange


@dataclass(frozen=True)
class Section:
    rows: list[Any]
    total: int


@dataclass(frozen=True)
class Period:
    new_ideas: Section  # of Idea
    decisions: Section  # of (StatusChange, Idea)
    in_progress: Section  # of Idea
    credits: Section  # of (Credit, [every Person thanked with it])


async def _first_and_count(
    session: AsyncSession, query: Any, limit: int, *conditions: Any
) -> Section:
    rows = list((await session.exec(query.where(*conditions).limit(limit))).all())
    if len(rows) < limit:
        return Section(rows, len(rows))
    counted = select(func.count()).select_from(*query.get_final_froms()).where(*conditions)
    return Section(rows, int((await session.exec(counted)).one()))


async def period(
    *,
    session: AsyncSession,
    group_id: int,
    since: datetime,
    now: datetime,
    decision_statuses: tuple[str, ...],
    limit: int,
) -> Period:
    new_ideas = await _first_and_count(
        session,
        select(Idea).order_by(col(Idea.number)),
        limit,
        col(Idea.group_id) == group_id,
        col(Idea.created_at) >= since,
        col(Idea.created_at) < now,
        col(Idea.status) != "withdrawn",
    )
    # An idea moved twice in a week is one line, at its latest step: that is the news.
    later = aliased(StatusChange)
    latest_step = ~exists(
        select(later.id).where(
            col(later.idea_id) == StatusChange.idea_id,
            col(later.id) > StatusChange.id,
            col(later.changed_at) < now,
            col(later.status).in_(decision_statuses),
        )
    )
    decisions = await _first_and_count(
        session,
        select(StatusChange, Idea)
        .join(Idea, col(Idea.id) == StatusChange.idea_id)
        # In the order they were made, by the time index: ordered by id alone, PostgreSQL's
        # planner walked the whole history from its first step to find a week's twelve.
        .order_by(col(StatusChange.changed_at), col(StatusChange.id)),
        limit,
        col(Idea.group_id) == group_id,
        col(StatusChange.changed_at) >= since,
        col(StatusChange.changed_at) < now,
        col(StatusChange.status).in_(decision_statuses),
        col(Idea.status) != "withdrawn",
        latest_step,
    )
    in_progress = await _first_and_count(
        session,
        select(Idea).order_by(col(Idea.number)),
        limit,
        col(Idea.group_id) == group_id,
        col(Idea.status) == "in-progress",
    )
    credits = await _credits(session, group_id, since, now, limit)
    return Period(new_ideas, decisions, in_progress, credits)


async def _credits(
    session: AsyncSession, group_id: int, since: datetime, now: datetime, limit: int
) -> Section:
    """One `/credit` to several people is one thank-you: rows given together (same giver,
    reason, idea and moment) are grouped, and the count is of thank-yous, not rows."""
    conditions = (
        col(Credit.group_id) == group_id,
        col(Credit.created_at) >= since,
        col(Credit.created_at) < now,
    )
    together = (
        col(Credit.given_by_id),
        col(Credit.reason),
        col(Credit.idea_id),
        col(Credit.created_at),
    )
    first_groups = (
        select(*together).where(*conditions).group_by(*together).order_by(func.min(Credit.id))
    ).limit(limit)
    groups = list((await session.exec(first_groups)).all())
    total = len(groups)
    if total == limit:
        counted = select(func.count()).select_from(
            select(*together).where(*conditions).group_by(*together).subquery()
        )
        total = int((await session.exec(counted)).one())
    rows: list[tuple[Credit, list[Person]]] = []
    for given_by, reason, idea_id, created_at in groups:
        people = (
            await session.exec(
                select(Credit, Person)
                .join(Person, col(Person.id) == Credit.person_id)
                .where(
                    *conditions,
                    col(Credit.given_by_id) == given_by,
                    col(Credit.reason) == reason,
                    col(Credit.idea_id) == idea_id
                    if idea_id is not None
                    else col(Credit.idea_id).is_(None),
                    col(Credit.created_at) == created_at,
                )
                .order_by(col(Credit.id))
            )
        ).all()
        rows.append((people[0][0], [person for _, person in people]))
    return Section(rows, total)


async def next_planned_meeting(
    *, session: AsyncSession, group_id: int, now: datetime
) -> Meeting | None:
    query = (
        select(Meeting)
        .where(
            col(Meeting.group_id) == group_id,
            col(Meeting.status) == "scheduled",
            col(Meeting.scheduled_for) >= now,
        )
        .order_by(col(Meeting.scheduled_for))
    )
    return (await session.exec(query)).first()


async def open_reflection_windows(*, session: AsyncSession, group_id: int) -> list[Meeting]:
    query = select(Meeting).where(
        col(Meeting.group_id) == group_id,
        col(Meeting.prompts_sent_at).is_not(None),
        col(Meeting.closed_at).is_(None),
    )
    return list((await session.exec(query)).all())


async def proposed_agenda_count(*, session: AsyncSession, group_id: int) -> int:
    query = select(func.count()).where(
        col(AgendaItem.group_id) == group_id, col(AgendaItem.status) == "proposed"
    )
    return int((await session.exec(query)).one())
