"""Repository functions for contributors of ideas and the credits people receive."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Contribution, Credit, Idea, Person, id_of
from storage.upserts import insert_if_absent


async def add_contribution(
    *, session: AsyncSession, idea_id: int, person_id: int, kind: str, now: datetime
) -> bool:
    """Make someone a contributor (credited or following); True if they were not already."""
    return await insert_if_absent(
        session,
        Contribution,
        {"idea_id": idea_id, "person_id": person_id, "kind": kind, "created_at": now},
        ["idea_id", "person_id", "kind"],
    )


async def remove_following(*, session: AsyncSession, idea_id: int, person_id: int) -> bool:
    query = select(Contribution).where(
        col(Contribution.idea_id) == idea_id,
        col(Contribution.person_id) == person_id,
        col(Contribution.kind) == "following",
    )
    found = (await session.exec(query)).first()
    if found is None:
        return False
    await session.delete(found)
    return True


async def contributors(*, session: AsyncSession, idea: Idea) -> list[tuple[Person, str]]:
    """Everyone who hears about an idea, once each, with why: author, credited or following."""
    author = await session.get(Person, idea.author_id)
    people: dict[int, tuple[Person, str]] = {}
    if author is not None:
        people[id_of(author)] = (author, "author")
    query = (
        select(Person, Contribution.kind)
        .join(Contribution, col(Contribution.person_id) == Person.id)
        .where(col(Contribution.idea_id) == idea.id)
        .order_by(col(Contribution.kind), col(Person.id))
    )
    for person, kind in (await session.exec(query)).all():
        people.setdefault(id_of(person), (person, kind))
    return list(people.values())


async def add_credit(
    *,
    session: AsyncSession,
    workspace_id: int,
    person_id: int,
    given_by_id: int,
    idea_id: int | None,
    reason: str,
    now: datetime,
    group_id: int | None = None,
) -> Credit:
    credit = Credit(
        workspace_id=workspace_id,
        person_id=person_id,
        given_by_id=given_by_id,
        idea_id=idea_id,
        group_id=group_id,
        reason=reason,
        created_at=now,
    )
    session.add(credit)
    await session.flush()
    return credit


async def credits_for(*, session: AsyncSession, person_id: int) -> Sequence[Credit]:
    """Credits a person received, newest first."""
    query = select(Credit).where(col(Credit.person_id) == person_id).order_by(col(Credit.id).desc())
    return (await session.exec(query)).all()
