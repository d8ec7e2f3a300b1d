"""`coproduce audit`: the audit log for operators, one line an entry, ids only."""

from __future__ import annotations

from sqlmodel import col, select

from adapters.settings import Settings
from storage.database import Database
from storage.models import AuditEntry, Workspace


async def print_audit(settings: Settings, *, limit: int) -> None:
    database = Database(settings.DATABASE_URL, pool_size=settings.DATABASE_POOL_SIZE)
    try:
        async with database.reading() as session:
            rows = (
                await session.exec(
                    select(AuditEntry, Workspace)
                    .join(Workspace, col(Workspace.id) == AuditEntry.workspace_id)
                    .order_by(col(AuditEntry.id).desc())
                    .limit(limit)
                )
            ).all()
    finally:
        await database.dispose()
    if not rows:
        print("The audit log is empty.")
    for entry, workspace in rows:
        actor = f"person {entry.actor_id}" if entry.actor_id is not None else "-"
        subject = (
            f"{entry.subject_type} {entry.subject_id}" if entry.subject_id else entry.subject_type
        )
        detail = f" ({entry.detail})" if entry.detail else ""
        print(
            f"{entry.at:%Y-%m-%d %H:%M:%S} {workspace.platform}:{workspace.external_id} "
            f"{actor} {entry.action} {subject}{detail}"
        )
