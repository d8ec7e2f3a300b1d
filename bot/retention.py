"""Retention: withdrawn ideas and closed reflection records older than the workspace's period
are purged by a scheduled sweep."""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import delete, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.durations import parse_duration
from bot.sweeps import for_each_workspace
from storage.database import Database
from storage.models import (
    Contribution,
    Credit,
    Idea,
    Meeting,
    MeetingParticipant,
    StatusChange,
    Workspace,
)

log = logging.getLogger("coproduce.retention")


async def purge(database: Database, now: datetime) -> int:
    """Delete what has outlived the retention period; returns how many records went."""

    async def one(session: AsyncSession, workspace: Workspace) -> int:
        return await _purge_workspace(session, workspace, now)

    removed = await for_each_workspace(database, "retention", one)
    if removed:
        log.info("retention purge", extra={"removed": removed})
    return removed


async def _purge_workspace(session: AsyncSession, workspace: Workspace, now: datetime) -> int:
    period = parse_duration(workspace.retention)
    if period is None:
        return 0
    cutoff = now - period
    withdrawn = list(
        (
            await session.exec(
                select(Idea.id).where(
                    Idea.workspace_id == workspace.id,
                    Idea.status == "withdrawn",
                    col(Idea.updated_at) < cutoff,
                )
            )
        ).all()
    )
    if withdrawn:
        await session.execute(
            update(Credit).where(col(Credit.idea_id).in_(withdrawn)).values(idea_id=None)
        )
        await session.execute(delete(Contribution).where(col(Contribution.idea_id).in_(withdrawn)))
        await session.execute(delete(StatusChange).where(col(StatusChange.idea_id).in_(withdrawn)))
        await session.execute(delete(Idea).where(col(Idea.id).in_(withdrawn)))
    closed = list(
        (
            await session.exec(
                select(Meeting.id).where(
                    Meeting.workspace_id == workspace.id, col(Meeting.closed_at) < cutoff
                )
            )
        ).all()
    )
    answers = 0
    if closed:
        result = await session.execute(
            delete(MeetingParticipant).where(col(MeetingParticipant.meeting_id).in_(closed))
        )
        answers = result.rowcount or 0  # type: ignore[attr-defined]
    return len(withdrawn) + answers
