"""Insert-if-absent that is safe under concurrency on both SQLite and PostgreSQL."""

from __future__ import annotations

from functools import cache
from typing import Any

from sqlalchemy import Executable
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import table_of
from storage.statements import dialect_of, run


async def insert_if_absent(
    session: AsyncSession, model: type[SQLModel], values: dict[str, Any], keys: list[str]
) -> bool:
    """Insert one row unless one with the same `keys` exists; True when this call inserted it.

    ON CONFLICT DO NOTHING waits for a concurrent inserter to finish instead of failing, so two
    processes racing on the same platform delivery never both win.
    """
    statement = _insert_if_absent(dialect_of(session), model, tuple(keys))
    return bool((await run(session, statement, values)).rowcount)


@cache
def _insert_if_absent(dialect: str, model: type[SQLModel], keys: tuple[str, ...]) -> Executable:
    # Built once per table: on the path of every event, building it cost more than running it.
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return insert(table_of(model)).on_conflict_do_nothing(index_elements=list(keys))
