"""The database handle: URL normalisation, the async engine and sessions."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event, exc
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    async_sessionmaker,
    create_async_engine,
)
from sqlmodel.ext.asyncio.session import AsyncSession

from storage import sqlite_driver


def normalise_url(url: str) -> str:
    """Map the URLs operators write (`postgres://`, `sqlite:///x.db`) to async drivers."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend == "postgresql":
        return parsed.set(drivername="postgresql+asyncpg").render_as_string(hide_password=False)
    if backend == "sqlite":
        return parsed.set(drivername="sqlite+aiosqlite").render_as_string(hide_password=False)
    raise ValueError(f"unsupported database {backend!r}: use sqlite or postgresql")


def _enable_sqlite_wal(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets `serve` and `worker` share one SQLite file; busy_timeout makes writers wait
    # for each other instead of failing with "database is locked".
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA foreign_keys=ON")
    # Deleted rows are overwritten, not left readable in free pages: erasure means erasure.
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.close()
    # We issue BEGIN ourselves (below) instead of the driver's implicit, deferred one.
    dbapi_connection.isolation_level = None


def _begin_sqlite(connection: Any) -> None:
    # A deferred transaction that reads and then writes fails at once with "database is
    # locked" if another process wrote in between; BEGIN IMMEDIATE takes the write lock first,
    # so writers queue on busy_timeout instead. Reads stay deferred and never block.
    options = connection.get_execution_options()
    if options.get("single_statements", False):
        return  # each statement is its own transaction (SQLite's autocommit)
    begin = "BEGIN IMMEDIATE" if options.get("write", False) else "BEGIN"
    connection.connection.dbapi_connection.begin_with_next_statement(begin)


# PostgreSQL connections each process keeps open (DATABASE_POOL_SIZE); a burst may open as
# many again, closed as it passes. SQLAlchemy's default keeps five: with ten requests at once,
# a connection was opened and closed for every other event, and opening one (with asyncpg's
# type set-up) cost as much CPU as the event itself (docs/benchmarks.md).
DEFAULT_POOL_SIZE = 10

# A connection back in the pool for longer than this is pinged before its next use.
IDLE_BEFORE_PING = 2.0


def _ping_after_idle(engine: AsyncEngine) -> None:
    """Find connections a PostgreSQL restart broke, without a round trip on every checkout.

    SQLAlchemy's pool_pre_ping pings at each use, and under load that ping was a tenth of a
    request's CPU (docs/benchmarks.md). A connection used a moment ago cannot have been broken
    by a restart it would have seen, so only one that sat idle is pinged; a failed ping makes
    the pool throw it away and hand out a fresh one, as pool_pre_ping does.
    """
    pool_engine = engine.sync_engine

    @event.listens_for(pool_engine, "checkin")
    def _idle_from(_dbapi_connection: Any, record: Any) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(pool_engine, "checkout")
    def _ping_if_idle(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        idle_since = record.info.get("idle_since")
        if idle_since is None or time.monotonic() - idle_since < IDLE_BEFORE_PING:
            return
        try:
            pool_engine.dialect.do_ping(dbapi_connection)
        except Exception as error:
            raise exc.DisconnectionError("connection lost while idle") from error


class Database:
    """Owns the engine; hands out sessions whose transactions the caller commits."""

    def __init__(self, url: str, *, pool_size: int = DEFAULT_POOL_SIZE) -> None:
        self.url = normalise_url(url)
        self.dialect = make_url(self.url).get_backend_name()
        if self.dialect == "sqlite":
            self.engine: AsyncEngine = create_async_engine(
                self.url, module=sqlite_driver.dbapi(), pool_reset_on_return=None
            )
            event.listen(self.engine.sync_engine, "reset", sqlite_driver.end_open_transaction)
            event.listen(self.engine.sync_engine, "connect", _enable_sqlite_wal)
            event.listen(self.engine.sync_engine, "begin", _begin_sqlite)
        else:
            self.engine = create_async_engine(self.url, pool_size=pool_size, max_overflow=pool_size)
            _ping_after_idle(self.engine)
        self._sessions = async_sessionmaker(
            self.engine, class_=AsyncSession, expire_on_commit=False
        )
        self._write_sessions = async_sessionmaker(
            self.engine.execution_options(write=True), class_=AsyncSession, expire_on_commit=False
        )
        # SQLite has one writer at a time. Queued in-process, writers take turns at once;
        # left to busy_timeout, each waiting writer sleeps and retries, and under load that
        # sleeping cut throughput to a fifth in a measurement (docs/benchmarks.md).
        self._write_turn = asyncio.Lock() if self.dialect == "sqlite" else None

    @property
    def sqlite_path(self) -> Path | None:
        """The file behind a SQLite database (None for PostgreSQL or in-memory)."""
        database = make_url(self.url).database
        if self.dialect != "sqlite" or not database or database == ":memory:":
            return None
        return Path(database).resolve()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """A session inside one transaction: committed on success, rolled back on error."""
        if self._write_turn is None:
            async with self._write_sessions() as session, session.begin():
                yield session
            return
        async with self._write_turn, self._write_sessions() as session, session.begin():
            yield session

    @asynccontextmanager
    async def single_statements(self) -> AsyncIterator[AsyncConnection]:
        """A connection whose every statement commits on its own, with no BEGIN and COMMIT
        around it: for a change that is one statement (settling sent replies), where they
        were two of its three round trips."""
        if self._write_turn is None:
            async with self.engine.connect() as connection:
                await connection.execution_options(isolation_level="AUTOCOMMIT")
                yield connection
            return
        async with (
            self._write_turn,
            self.engine.execution_options(single_statements=True).connect() as connection,
        ):
            yield connection

    @asynccontextmanager
    async def reading(self) -> AsyncIterator[AsyncSession]:
        """A session for reads only."""
        async with self._sessions() as session:
            yield session

    async def refresh_statistics(self) -> None:
        """Let the planner see how the data is spread, at start-up and in the daily job.

        Without statistics SQLite walks a busy workspace's every idea to find one week's. A
        sampled ANALYZE (`analysis_limit`) misjudged that in a measurement; the full one took
        0.14 s on 1.1 million rows. PostgreSQL's autovacuum analyses in time, but not after a
        bulk load (an import, or the benchmark's seed): there the report's newest decisions
        took 106 ms instead of 0.2 ms until ANALYZE ran.
        """
        if self.dialect != "sqlite":
            async with self.engine.connect() as connection:
                await connection.execution_options(isolation_level="AUTOCOMMIT")
                await connection.exec_driver_sql("ANALYZE")
            return
        # ANALYZE writes: take the write lock first (BEGIN IMMEDIATE), waiting for it, as every
        # writer does. A deferred transaction that reads and then writes fails at once if another
        # process wrote in between, as two workers starting together can.
        async with self.engine.execution_options(write=True).begin() as connection:
            await connection.exec_driver_sql("ANALYZE")

    async def prove_writable(self, *, wait: float = 1.0) -> None:
        """Take the write lock, change a row, and roll back: raises if the database cannot be
        written now (read-only, or locked for longer than `wait` seconds). For /readyz, which
        must not say ready when every write would fail."""
        milliseconds = int(wait * 1000)
        async with self.engine.connect() as connection:
            try:
                if self.dialect == "sqlite":
                    await connection.exec_driver_sql(f"PRAGMA busy_timeout={milliseconds}")
                else:
                    await connection.exec_driver_sql(f"SET LOCAL lock_timeout = {milliseconds}")
                await connection.exec_driver_sql(
                    "UPDATE alembic_version SET version_num = version_num"
                )
            finally:
                await connection.rollback()
                if self.dialect == "sqlite":
                    await connection.exec_driver_sql("PRAGMA busy_timeout=10000")
                    await connection.rollback()

    async def scrub(self) -> None:
        """After an erasure on SQLite, copy the WAL into the database and empty it, so the
        erased words are not left in the log file (secure_delete has zeroed the pages)."""
        if self.dialect != "sqlite":
            return
        async with self.engine.connect() as connection:
            await connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")

    async def dispose(self) -> None:
        await self.engine.dispose()
