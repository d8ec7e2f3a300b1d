"""Repository functions for agenda items and votes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, update
from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import AgendaItem, AgendaVote
from storage.results import rows_changed
from storage.upserts import insert_if_absent


async def items_in(*, session: AsyncSession, group_id: int, status: str) -> list[AgendaItem]:
    """A group's items with one status: kept ones in their order, the others oldest first."""
    query = (
        select(AgendaItem)
        .where(col(AgendaItem.group_id) == group_id, col(AgendaItem.status) == status)
        .order_by(col(AgendaItem.position), col(AgendaItem.id))
    )
    return list((await session.exec(query)).all())


async def mark_discussed(*, session: AsyncSession, group_id: int) -> int:
    """A group's session has happened: its kept items are discussed, off the agenda."""
    result = await session.execute(
        update(AgendaItem)
        .where(col(AgendaItem.group_id) == group_id, col(AgendaItem.status) == "kept")
        .values(status="discussed")
    )
    return rows_changed(result)


async def add_item(
    *,
    session: AsyncSession,
    workspace_id: int,
    group_id: int,
    proposer_id: int,
    text: str,
    now: datetime,
) -> AgendaItem:
    item = AgendaItem(
        workspace_id=workspace_id,
        group_id=group_id,
        proposer_id=proposer_id,
        text=text,
        created_at=now,
    )
    session.add(item)
    await session.flush()
    return item


async def get_item(*, session: AsyncSession, item_id: int) -> AgendaItem | None:
    return await session.get(AgendaItem, item_id)


async def add_vote(*, session: AsyncSession, item_id: int, person_id: int) -> bool:
    """One vote per person per item; False when they had voted already."""
    return await insert_if_absent(
        session,
        AgendaVote,
        {"item_id": item_id, "person_id": person_id},
        ["item_id", "person_id"],
    )


async def remove_vote(*, session: AsyncSession, item_id: int, person_id: int) -> bool:
    """Take a vote back; False when there was none."""
    result = await session.execute(
        delete(AgendaVote).where(
            col(AgendaVote.item_id) == item_id, col(AgendaVote.person_id) == person_id
        )
    )
    return rows_changed(result) > 0


async def votes_of(*, session: AsyncSession, person_id: int, item_ids: list[int]) -> set[int]:
    """Which of these items the person has voted for."""
    if not item_ids:
        return set()
    query = select(AgendaVote.item_id).where(
        col(AgendaVote.person_id) == person_id, col(AgendaVote.item_id).in_(item_ids)
    )
    return {int(i) for i in (await session.exec(query)).all()}


async def tallies(*, session: AsyncSession, item_ids: list[int]) -> dict[int, int]:
    """Votes per item, for triage only (tallies stay hidden until then)."""
    if not item_ids:
        return {}
    query = (
        select(AgendaVote.item_id, func.count())
        .where(col(AgendaVote.item_id).in_(item_ids))
        .group_by(col(AgendaVote.item_id))
    )
    return {int(item): int(count) for item, count in (await session.exec(query)).all()}
