"""Retention: withdrawn ideas and closed reflection records older than the workspace's period
are purged by a scheduled sweep."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.runtime.sweeps import for_each_workspace
from bot.sessions.durations import parse_duration
from storage import housekeeping
from storage.database import Database
from storage.models import Workspace, id_of

log = logging.getLogger("coproduce.retention")

# How long the bookkeeping is kept (docs/operations.md): long past any retry or replay, and for
# the audit, long enough to answer "who changed this?" for a year after the longest retention.
SEEN_DELIVERIES = timedelta(days=7)
SENT_MESSAGES = timedelta(days=30)
REPORT_LINKS = timedelta(days=1)
AUDIT_BEYOND_RETENTION = timedelta(days=365)


async def purge(database: Database, now: datetime) -> int:
    """Delete what has outlived the retention period; returns how many records went."""

    async def one(session: AsyncSession, workspace: Workspace) -> int:
        return await _purge_workspace(session, workspace, now)

    removed = await for_each_workspace(database, "retention", one)
    async with database.transaction() as session:
        removed += await housekeeping.forget_seen_deliveries(
            session=session, before=now - SEEN_DELIVERIES
        )
        removed += await housekeeping.forget_sent_messages(
            session=session, before=now - SENT_MESSAGES
        )
        removed += await housekeeping.forget_report_links(
            session=session, before=now - REPORT_LINKS
        )
    if removed:
        log.info("retention purge", extra={"removed": removed})
    return removed


async def _purge_workspace(session: AsyncSession, workspace: Workspace, now: datetime) -> int:
    period = parse_duration(workspace.retention)
    if period is None:
        return 0
    cutoff = now - period
    audit = await housekeeping.forget_old_audit(
        session=session,
        workspace_id=id_of(workspace),
        before=cutoff - AUDIT_BEYOND_RETENTION,
    )
    workspace_id = id_of(workspace)
    withdrawn = await housekeeping.purge_withdrawn_ideas(
        session=session, workspace_id=workspace_id, before=cutoff
    )
    answers = await housekeeping.purge_closed_answers(
        session=session, workspace_id=workspace_id, before=cutoff
    )
    return withdrawn + answers + audit
