"""The audit log: role changes, status changes, credits, exports and erasures, by id only."""

from __future__ import annotations

from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from storage.audit import add_entry


async def record(
    session: AsyncSession,
    *,
    workspace_id: int,
    actor_id: int | None,
    action: str,
    subject_type: str,
    subject_id: int | None = None,
    at: datetime,
    detail: str | None = None,
) -> None:
    """One audit entry in the caller's transaction. `detail` is a status or mode, never text."""
    await add_entry(
        session=session,
        workspace_id=workspace_id,
        actor_id=actor_id,
        action=action,
        subject_type=subject_type,
        subject_id=subject_id,
        detail=detail,
        at=at,
    )
