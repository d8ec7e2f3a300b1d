"""Repository functions for ideas and their status history."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import update
from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Idea, StatusChange, Workspace, id_of


async def next_idea_number(*, session: AsyncSession, workspace_id: int) -> int:
    """Atomically take the next reference number in a workspace (safe across processes)."""
    statement = (
        update(Workspace)
        .where(col(Workspace.id) == workspace_id)
        .values(last_idea_number=col(Workspace.last_idea_number) + 1)
        .returning(col(Workspace.last_idea_number))
    )
    return int((await session.execute(statement)).scalar_one())


async def create_idea(
    *,
    session: AsyncSession,
    workspace_id: int,
    author_id: int,
    text: str,
    anonymous: bool,
    source: str,
    now: datetime,
    meeting_id: int | None = None,
) -> Idea:
    """Store a new idea with its first history entry; the caller's transaction commits it."""
    number = await next_idea_number(session=session, workspace_id=workspace_id)
    idea = Idea(
        workspace_id=workspace_id,
        number=number,
        author_id=author_id,
        text=text,
        anonymous=anonymous,
        source=source,
        meeting_id=meeting_id,
        created_at=now,
        updated_at=now,
    )
    session.add(idea)
    await session.flush()
    session.add(
        StatusChange(idea_id=id_of(idea), status="new", changed_by_id=author_id, changed_at=now)
    )
    return idea


async def get_idea(*, session: AsyncSession, workspace_id: int, number: int) -> Idea | None:
    """The idea with this reference number in this workspace, if any."""
    query = select(Idea).where(col(Idea.workspace_id) == workspace_id, col(Idea.number) == number)
    return (await session.exec(query)).first()


async def ideas_by_author(*, session: AsyncSession, author_id: int) -> Sequence[Idea]:
    """A person's own ideas, newest first."""
    query = select(Idea).where(col(Idea.author_id) == author_id).order_by(col(Idea.number).desc())
    return (await session.exec(query)).all()


async def record_status(
    *,
    session: AsyncSession,
    idea: Idea,
    status: str,
    note: str | None,
    changed_by_id: int,
    now: datetime,
) -> StatusChange:
    """Move an idea to a new status and keep the step in its history."""
    idea.status = status
    idea.updated_at = now
    change = StatusChange(
        idea_id=id_of(idea), status=status, note=note, changed_by_id=changed_by_id, changed_at=now
    )
    session.add(change)
    await session.flush()
    return change


async def history(
    *, session: AsyncSession, idea_ids: Sequence[int]
) -> dict[int, list[StatusChange]]:
    """Status history of several ideas, oldest step first."""
    if not idea_ids:
        return {}
    query = (
        select(StatusChange)
        .where(col(StatusChange.idea_id).in_(idea_ids))
        .order_by(col(StatusChange.id))
    )
    steps: dict[int, list[StatusChange]] = {idea_id: [] for idea_id in idea_ids}
    for step in (await session.exec(query)).all():
        steps[step.idea_id].append(step)
    return steps


async def get_by_id(*, session: AsyncSession, idea_id: int) -> Idea | None:
    return await session.get(Idea, idea_id)


async def in_statuses(
    *, session: AsyncSession, workspace_id: int, statuses: tuple[str, ...], limit: int | None = None
) -> list[Idea]:
    """The workspace's ideas in any of `statuses`, by number."""
    query = (
        select(Idea)
        .where(col(Idea.workspace_id) == workspace_id, col(Idea.status).in_(statuses))
        .order_by(col(Idea.number))
    )
    if limit is not None:
        query = query.limit(limit)
    return list((await session.exec(query)).all())


async def count_in_statuses(
    *, session: AsyncSession, workspace_id: int, statuses: tuple[str, ...]
) -> int:
    query = select(func.count()).where(
        col(Idea.workspace_id) == workspace_id, col(Idea.status).in_(statuses)
    )
    return int((await session.exec(query)).one())
