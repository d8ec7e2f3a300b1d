"""Repository functions for agenda items and votes."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import AgendaItem, AgendaVote
from storage.upserts import insert_if_absent


async def proposed_items(*, session: AsyncSession, workspace_id: int) -> list[AgendaItem]:
    """Items still open for votes, oldest first."""
    query = (
        select(AgendaItem)
        .where(col(AgendaItem.workspace_id) == workspace_id, col(AgendaItem.status) == "proposed")
        .order_by(col(AgendaItem.id))
    )
    return list((await session.exec(query)).all())


async def add_item(
    *, session: AsyncSession, workspace_id: int, proposer_id: int, text: str, now: datetime
) -> AgendaItem:
    item = AgendaItem(workspace_id=workspace_id, proposer_id=proposer_id, text=text, created_at=now)
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
