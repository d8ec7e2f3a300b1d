"""Repository functions for ideas and their status history."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import update
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Idea, StatusChange, Workspace


async def next_idea_number(*, session: AsyncSession, workspace_id: int) -> int:
    """Atomically take the next reference number in a workspace (safe across processes)."""
    statement = (
        update(Workspace)
        .where(Workspace.id == workspace_id)  # type: ignore[arg-type]
        .values(last_idea_number=Workspace.last_idea_number + 1)
        .returning(Workspace.last_idea_number)
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
        StatusChange(idea_id=idea.id, status="new", changed_by_id=author_id, changed_at=now)
    )
    return idea


async def get_idea(*, session: AsyncSession, workspace_id: int, number: int) -> Idea | None:
    """The idea with this reference number in this workspace, if any."""
    query = select(Idea).where(Idea.workspace_id == workspace_id, Idea.number == number)
    return (await session.exec(query)).first()


async def ideas_by_author(*, session: AsyncSession, author_id: int) -> Sequence[Idea]:
    """A person's own ideas, newest first."""
    query = select(Idea).where(Idea.author_id == author_id).order_by(Idea.number.desc())
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
        idea_id=idea.id, status=status, note=note, changed_by_id=changed_by_id, changed_at=now
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
        .where(StatusChange.idea_id.in_(idea_ids))  # type: ignore[attr-defined]
        .order_by(StatusChange.id)
    )
    steps: dict[int, list[StatusChange]] = {idea_id: [] for idea_id in idea_ids}
    for step in (await session.exec(query)).all():
        steps[step.idea_id].append(step)
    return steps
