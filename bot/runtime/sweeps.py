"""Scheduled work that runs over every workspace, one workspace at a time.

Each workspace gets its own transaction: a failure in one (a setting it should never have been
able to store, a row that breaks a rule) is logged by id and type, and the others still run.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from sqlmodel.ext.asyncio.session import AsyncSession

from storage.database import Database
from storage.models import Workspace
from storage.people import get_workspace, workspace_ids

log = logging.getLogger("coproduce.sweeps")

Work = Callable[[AsyncSession, Workspace], Awaitable[int]]


async def for_each_workspace(database: Database, name: str, work: Work) -> int:
    """Run `work` for every workspace in its own transaction; the sum of what each returned."""
    async with database.reading() as session:
        ids = await workspace_ids(session=session)
    total = 0
    for workspace_id in ids:
        try:
            async with database.transaction() as session:
                workspace = await get_workspace(session=session, workspace_id=workspace_id)
                if workspace is not None:
                    total += await work(session, workspace)
        except Exception as error:
            log.warning(
                "sweep failed for one workspace",
                extra={"sweep": name, "workspace": workspace_id, "error": type(error).__name__},
            )
    return total
