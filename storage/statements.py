"""Prebuilt Core statements on the hot paths, run past the ORM.

Every event claims its delivery, takes an idea number, inserts rows and settles a reply. Those
statements are built once (building and cache-keying one cost more CPU than running it) and run
on the session's own connection, in its transaction, skipping the ORM's bulk-update and
identity bookkeeping that rows nobody reads back do not need (docs/benchmarks.md).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

from sqlalchemy import CursorResult, Executable
from sqlmodel.ext.asyncio.session import AsyncSession


def dialect_of(session: AsyncSession) -> str:
    """The name of the database this session's transaction runs on: postgresql or sqlite."""
    bind = session.bind
    assert bind is not None, "sessions are always bound to the database's engine"
    return bind.dialect.name


async def run(
    session: AsyncSession, statement: Executable, params: Mapping[str, Any]
) -> CursorResult[Any]:
    """Execute a Core statement in the session's transaction."""
    connection = await session.connection()
    return cast(CursorResult[Any], await connection.execute(statement, dict(params)))
