"""Tables that would otherwise grow without bound: delivery ids already seen, sent messages and
old audit entries. The daily purge calls these; each returns how many rows went."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import (
    AuditEntry,
    Contribution,
    Credit,
    DeliveryState,
    Idea,
    Meeting,
    MeetingParticipant,
    OutboxDelivery,
    ProcessedDelivery,
    ReportLink,
    StatusChange,
)
from storage.results import rows_changed


async def forget_seen_deliveries(*, session: AsyncSession, before: datetime) -> int:
    """Delivery ids older than any platform retries or replays (Slack retries within an hour
    and signatures expire after five minutes)."""
    result = await session.execute(
        delete(ProcessedDelivery).where(col(ProcessedDelivery.processed_at) < before)
    )
    return rows_changed(result)


async def forget_sent_messages(*, session: AsyncSession, before: datetime) -> int:
    """Outbox rows delivered or given up on (their words are already blanked)."""
    result = await session.execute(
        delete(OutboxDelivery).where(
            col(OutboxDelivery.status).in_((DeliveryState.DELIVERED, DeliveryState.FAILED)),
            col(OutboxDelivery.created_at) < before,
        )
    )
    return rows_changed(result)


async def forget_report_links(*, session: AsyncSession, before: datetime) -> int:
    """Sign-in links long past use: each works for minutes, and the row only stops its reuse."""
    result = await session.execute(delete(ReportLink).where(col(ReportLink.issued_at) < before))
    return rows_changed(result)


async def forget_old_audit(*, session: AsyncSession, workspace_id: int, before: datetime) -> int:
    result = await session.execute(
        delete(AuditEntry).where(
            col(AuditEntry.workspace_id) == workspace_id, col(AuditEntry.at) < before
        )
    )
    return rows_changed(result)


async def purge_withdrawn_ideas(
    *, session: AsyncSession, workspace_id: int, before: datetime
) -> int:
    """Withdrawn ideas last changed before `before`, with their history and follows; credits
    that named them stay, unlinked."""
    query = select(Idea.id).where(
        col(Idea.workspace_id) == workspace_id,
        col(Idea.status) == "withdrawn",
        col(Idea.updated_at) < before,
    )
    ids = [i for i in (await session.exec(query)).all() if i is not None]
    if ids:
        await session.execute(
            update(Credit).where(col(Credit.idea_id).in_(ids)).values(idea_id=None)
        )
        await session.execute(delete(Contribution).where(col(Contribution.idea_id).in_(ids)))
        await session.execute(delete(StatusChange).where(col(StatusChange.idea_id).in_(ids)))
        await session.execute(delete(Idea).where(col(Idea.id).in_(ids)))
    return len(ids)


async def purge_closed_answers(
    *, session: AsyncSession, workspace_id: int, before: datetime
) -> int:
    """Who answered what for reflection windows closed before `before`."""
    closed = select(Meeting.id).where(
        col(Meeting.workspace_id) == workspace_id, col(Meeting.closed_at) < before
    )
    result = await session.execute(
        delete(MeetingParticipant).where(col(MeetingParticipant.meeting_id).in_(closed))
    )
    return rows_changed(result)
