"""aiosqlite as SQLAlchemy drives it, with one thread hand-off per statement instead of four.

aiosqlite runs SQLite in a thread of its own, and each call into it is a hand-off: the event
loop queues the call, the thread wakes, runs it and wakes the loop again. SQLAlchemy's adapter
makes four for every statement (open a cursor, execute, fetch, close), and on the path of a
direct message those hand-offs were a large part of the server's CPU (docs/benchmarks.md).
This cursor does the four in one: the statement runs, its rows are read and the cursor is
closed inside aiosqlite's thread, and the cursor SQLAlchemy sees serves the rows from memory,
as SQLAlchemy's own adapter does once it has fetched them.

It is given to SQLAlchemy's aiosqlite dialect as its DBAPI module (`create_async_engine`'s
`module=`), so the dialect, its type handling and its pool are SQLAlchemy's own.
"""

from __future__ import annotations

import collections
import sqlite3
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import aiosqlite
from sqlalchemy import Dialect, Table
from sqlalchemy.dialects.sqlite.aiosqlite import (
    AsyncAdapt_aiosqlite_connection,
    AsyncAdapt_aiosqlite_cursor,
    AsyncAdapt_aiosqlite_dbapi,
)
from sqlalchemy.util import EMPTY_DICT
from sqlalchemy.util.concurrency import await_
from sqlmodel.ext.asyncio.session import AsyncSession

_Outcome = tuple[Any, list[Any], int, int | None]
_T = TypeVar("_T")


class HeldStatement:
    """A write sent in the same hand-off as the next statement; `rowcount` says, once that has
    run, how many rows it changed (None until then)."""

    __slots__ = ("parameters", "rowcount", "sql")

    def __init__(self, sql: str, parameters: tuple[Any, ...]) -> None:
        self.sql = sql
        self.parameters = parameters
        self.rowcount: int | None = None


def _send_held(
    connection: sqlite3.Connection, first: str | None, held: list[HeldStatement]
) -> None:
    if first is not None:
        connection.execute(first)
    for statement in held:
        statement.rowcount = connection.execute(statement.sql, statement.parameters).rowcount


def _run(
    connection: sqlite3.Connection,
    first: str | None,
    held: list[HeldStatement],
    operation: str,
    parameters: Any,
    many: bool,
) -> _Outcome:
    """One statement, whole, in aiosqlite's thread: its description, rows and counts. `first`
    is a BEGIN held back to go with it, and `held` the writes held back after it."""
    _send_held(connection, first, held)
    cursor = connection.cursor()
    try:
        if many:
            cursor.executemany(operation, parameters)
        else:
            cursor.execute(operation, parameters)
        description = cursor.description
        rows = cursor.fetchall() if description else []
        return description, rows, cursor.rowcount, cursor.lastrowid
    finally:
        cursor.close()


def _begun_then(
    connection: sqlite3.Connection,
    first: str | None,
    held: list[HeldStatement],
    work: Callable[[sqlite3.Connection], _T],
) -> _T:
    _send_held(connection, first, held)
    return work(connection)


async def _one_hop_connection(session: AsyncSession) -> OneHopConnection:
    connection = await session.connection()
    raw = await connection.get_raw_connection()
    adapted = raw.dbapi_connection
    assert isinstance(adapted, OneHopConnection), "a SQLite database opened by Database"
    return adapted


async def with_next_statement(
    session: AsyncSession, sql: str, parameters: tuple[Any, ...]
) -> HeldStatement:
    """Hold a write back to run, in `session`'s transaction, in the same hand-off as the next
    statement: an event's delivery claim goes with its arrival query. A commit with no
    statement after it still sends it first; a rollback drops it.

    `parameters` are given as stored (`bind_processors`)."""
    statement = HeldStatement(sql, parameters)
    (await _one_hop_connection(session)).held.append(statement)
    return statement


async def together(session: AsyncSession, work: Callable[[sqlite3.Connection], _T]) -> _T:
    """Run `work` on the SQLite connection behind `session`, in its transaction, in one
    hand-off to aiosqlite's thread: for statements on the path of every event whose values
    follow one from another (an idea's number, the idea, its history).

    Statements run this way skip SQLAlchemy, so `work` writes plain SQL and its parameters
    are processed as SQLAlchemy would (`bind_processors`)."""
    return await (await _one_hop_connection(session)).run_together(work)


def bind_processors(
    table: Table, names: Sequence[str], dialect: Dialect
) -> list[Callable[[Any], Any]]:
    """For each column named, the function SQLAlchemy stores its values with on `dialect`
    (datetimes as text on SQLite, for instance)."""
    processors: list[Callable[[Any], Any]] = []
    for name in names:
        process = table.c[name].type.dialect_impl(dialect).bind_processor(dialect)
        processors.append(process or _as_given)
    return processors


def _as_given(value: Any) -> Any:
    return value


class OneHopCursor(AsyncAdapt_aiosqlite_cursor):
    """A cursor whose statement runs in one hand-off; it holds results, not a driver cursor."""

    __slots__ = ("_description", "_lastrowid", "_rowcount")

    def __init__(self, adapt_connection: AsyncAdapt_aiosqlite_connection) -> None:
        # No driver cursor is opened here (that would be a hand-off of its own).
        self._adapt_connection = adapt_connection
        self._connection = adapt_connection._connection
        self._cursor = None  # type: ignore[assignment]
        self._soft_closed_memoized = EMPTY_DICT
        self._rows = collections.deque()
        self._description: Any = None
        self._rowcount = -1
        self._lastrowid: int | None = None

    @property
    def description(self) -> Any:
        return self._description

    @property
    def rowcount(self) -> int:
        return self._rowcount

    @property
    def lastrowid(self) -> int:
        return self._lastrowid  # type: ignore[return-value]

    def execute(self, operation: Any, parameters: Any = None) -> Any:
        return self._in_one_hop(operation, () if parameters is None else parameters, False)

    def executemany(self, operation: Any, seq_of_parameters: Sequence[Any]) -> Any:
        return self._in_one_hop(operation, seq_of_parameters, True)

    def _in_one_hop(self, operation: Any, parameters: Any, many: bool) -> None:
        try:
            await_(self._execute_one_hop(operation, parameters, many))
        except Exception as error:
            self._adapt_connection._handle_exception(error)

    async def _execute_one_hop(self, operation: Any, parameters: Any, many: bool) -> None:
        connection: aiosqlite.Connection = self._connection  # type: ignore[assignment]
        adapted: OneHopConnection = self._adapt_connection  # type: ignore[assignment]
        first, held = adapted.take_held()
        async with self._adapt_connection._execute_mutex:
            # aiosqlite's own way to run a function in its thread (what its cursor methods
            # use): the one hand-off this module is for.
            outcome: _Outcome = await connection._execute(  # type: ignore[no-untyped-call]
                _run, connection._conn, first, held, operation, parameters, many
            )
        self._description, rows, self._rowcount, self._lastrowid = outcome
        self._rows = collections.deque(rows)

    async def _async_soft_close(self) -> None:
        return  # nothing is open in the driver once a statement has run

    def close(self) -> None:
        self._rows.clear()


class OneHopConnection(AsyncAdapt_aiosqlite_connection):
    """Also saves the hand-offs that do nothing: a BEGIN waits to go with the transaction's
    first statement, and COMMIT or ROLLBACK outside a transaction is not sent at all."""

    __slots__ = ("held", "held_begin")
    _cursor_cls = OneHopCursor  # type: ignore[assignment]

    def __init__(self, dbapi: Any, connection: Any) -> None:
        super().__init__(dbapi, connection)
        self.held_begin: str | None = None
        self.held: list[HeldStatement] = []

    def take_held(self) -> tuple[str | None, list[HeldStatement]]:
        """The BEGIN and the writes waiting for the next hand-off, which takes them."""
        first, held = self.held_begin, self.held
        self.held_begin, self.held = None, []
        return first, held

    def begin_with_next_statement(self, begin: str) -> None:
        """Start a transaction with `begin` (BEGIN or BEGIN IMMEDIATE), sent in the same
        hand-off as the next statement. A BEGIN IMMEDIATE that waits for the write lock waits
        there, in aiosqlite's thread, as it would alone."""
        self.held_begin = begin

    async def run_together(self, work: Callable[[sqlite3.Connection], _T]) -> _T:
        """Run `work`, several statements that belong together, in one hand-off."""
        driver: aiosqlite.Connection = self._connection  # type: ignore[assignment]
        first, held = self.take_held()
        async with self._execute_mutex:
            return await driver._execute(  # type: ignore[no-any-return,no-untyped-call]
                _begun_then, driver._conn, first, held, work
            )

    async def _send_held(self) -> None:
        driver: aiosqlite.Connection = self._connection  # type: ignore[assignment]
        first, held = self.take_held()
        async with self._execute_mutex:
            await driver._execute(_send_held, driver._conn, first, held)  # type: ignore[no-untyped-call]

    def _in_transaction(self) -> bool:
        driver: aiosqlite.Connection = self._connection  # type: ignore[assignment]
        return bool(driver._connection) and driver.in_transaction

    def commit(self) -> None:
        if self.held:
            # A held write is part of the transaction: it is sent (with its BEGIN) first.
            try:
                await_(self._send_held())
            except Exception as error:
                self._handle_exception(error)
        self.held_begin = None  # a transaction that ran no statement has nothing to commit
        if self._in_transaction():
            super().commit()

    def rollback(self) -> None:
        self.held_begin, self.held = None, []
        if self._in_transaction():
            super().rollback()


class OneHopDBAPI(AsyncAdapt_aiosqlite_dbapi):
    """SQLAlchemy's aiosqlite DBAPI shim, handing out connections with one-hop cursors."""

    def connect(self, *arg: Any, **kw: Any) -> OneHopConnection:
        adapted = super().connect(*arg, **kw)
        return OneHopConnection(self, adapted._connection)


def dbapi() -> OneHopDBAPI:
    return OneHopDBAPI(aiosqlite, sqlite3)


def end_open_transaction(dbapi_connection: Any, _record: Any, state: Any) -> None:
    """The pool's reset, as a `reset` event with `pool_reset_on_return=None`: roll back only
    a connection still inside a transaction.

    SQLAlchemy's own reset rolls back every connection returned after a commit, which on
    aiosqlite is one more hand-off per transaction for nothing. aiosqlite reads SQLite's
    in-transaction flag without one.
    """
    if state.terminate_only or not state.asyncio_safe:
        return
    dbapi_connection.rollback()  # a hand-off only if a transaction is open
