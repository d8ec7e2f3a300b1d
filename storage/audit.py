"""The audit log's one writer: ids and action names only, never content."""

from __future__ import annotations

from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import AuditEntry


async def add_entry(
    *,
    session: AsyncSession,
    workspace_id: int,
    actor_id: int | None,
    action: str,
    subject_type: str,
    subject_id: int | None,
    detail: str | None,
    at: datetime,
) -> None:
    session.add(
        AuditEntry(
            workspace_id=workspace_id,
            actor_id=actor_id,
            action=action,
            subject_type=subject_type,
            subject_id=subject_id,
            detail=detail,
            at=at,
        )
    )
