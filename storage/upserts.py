"""Insert-if-absent that is safe under concurrency on both SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import CursorResult, Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession


async def insert_if_absent(
    session: AsyncSession, model: type[SQLModel], values: dict[str, Any], keys: list[str]
) -> bool:
    """Insert one row unless one with the same `keys` exists; True when this call inserted it.

    ON CONFLICT DO NOTHING waits for a concurrent inserter to finish instead of failing, so two
    processes racing on the same platform delivery never both win.
    """
    table: Table = model.__table__  # type: ignore[attr-defined]
    bind = session.bind
    assert bind is not None, "sessions are always bound to the database's engine"
    insert = postgresql.insert if bind.dialect.name == "postgresql" else sqlite.insert
    statement = insert(table).values(**values).on_conflict_do_nothing(index_elements=keys)
    result = cast(CursorResult[Any], await session.execute(statement))
    return bool(result.rowcount)
