"""Storage on SQLite and PostgreSQL: numbering, de-duplication, migrations."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

import asyncpg
import pytest
from sqlalchemy import inspect, text
from sqlmodel.ext.asyncio.session import AsyncSession

from storage import ideas as idea_store
from storage.database import Database, normalise_url
from storage.migrate import head_revision, schema_is_current, upgrade
from storage.models import as_utc
from storage.people import arrive, ensure_person, ensure_workspace
from tests.conftest import POSTGRES_URL, reset_postgres

NOW = datetime(2027, 2, 28, 23, 30, tzinfo=UTC)  # a fixed clock: storage stamps what it is given


async def _author(database: Database, platform: str = "slack", team: str = "T1") -> tuple[int, int]:
    async with database.transaction() as session:
        workspace = await ensure_workspace(
            session=session,
            platform=platform,
            external_id=team,
            timezone="Europe/London",
            now=NOW,
        )
        person, _ = await ensure_person(
            session=session,
            workspace_id=workspace.id,
            external_id="U1",
            display_name=None,
            initial_role="member",
            now=NOW,
        )
        return workspace.id, person.id


async def claim_delivery(*, session: AsyncSession, key: str, now: datetime) -> bool:
    """An event's arrival with its delivery claimed, as the engine starts every turn: True the
    first time `key` is seen. The workspace and person are new the first time, as in real use."""
    arrival = await arrive(
        session=session,
        platform="slack",
        workspace_external_id="T1",
        person_external_id="U1",
        display_name=None,
        initial_role="member",
        timezone="Europe/London",
        safe_size=5,
        now=now,
        delivery=key,
    )
    return arrival is not None


async def _new_idea(database: Database, workspace_id: int, author_id: int, text: str) -> int:
    async with database.transaction() as session:
        idea = await idea_store.create_idea(
            session=session,
            workspace_id=workspace_id,
            author_id=author_id,
            text=text,
            anonymous=False,
            source="direct",
            now=NOW,
        )
        return idea.number


async def test_idea_numbers_count_up_per_workspace(database: Database) -> None:
    ws1, author1 = await _author(database, team="T1")
    ws2, author2 = await _author(database, team="T2")
    assert [await _new_idea(database, ws1, author1, f"a{i}") for i in range(3)] == [1, 2, 3]
    assert await _new_idea(database, ws2, author2, "b") == 1


async def test_concurrent_ideas_never_share_a_number(database: Database) -> None:
    workspace_id, author_id = await _author(database)
    numbers = await asyncio.gather(
        *(_new_idea(database, workspace_id, author_id, f"idea {i}") for i in range(20))
    )
    assert sorted(numbers) == list(range(1, 21))


async def test_a_delivery_is_claimed_once_even_when_raced(database: Database) -> None:
    async def claim() -> bool:
        async with database.transaction() as session:
            return await claim_delivery(session=session, key="slack:Ev1", now=NOW)

    results = await asyncio.gather(*(claim() for _ in range(5)))
    assert sorted(results) == [False, False, False, False, True]


async def test_rolled_back_claim_can_be_claimed_again(database: Database) -> None:
    # A failed handling must not burn the delivery id, or Slack's retry would be ignored.
    try:
        async with database.transaction() as session:
            await claim_delivery(session=session, key="slack:Ev2", now=NOW)
            raise RuntimeError("handler failed")
    except RuntimeError:
        pass
    async with database.transaction() as session:
        assert await claim_delivery(session=session, key="slack:Ev2", now=NOW)


async def test_every_idea_starts_its_history_as_new(database: Database) -> None:
    workspace_id, author_id = await _author(database)
    await _new_idea(database, workspace_id, author_id, "history")
    from sqlmodel import select

    from storage.models import StatusChange

    async with database.reading() as session:
        history = (await session.exec(select(StatusChange))).all()
    assert [(h.status, h.changed_by_id) for h in history] == [("new", author_id)]


async def test_migrations_are_current_and_idempotent(database_url: str, database: Database) -> None:
    assert await schema_is_current(database_url, database.engine)
    await upgrade(database_url)  # a second run changes nothing and does not fail
    async with database.engine.connect() as connection:
        tables = await connection.run_sync(lambda c: set(inspect(c).get_table_names()))
    assert {"idea", "person", "workspace", "status_change", "processed_delivery"} <= tables
    assert head_revision()


def test_database_urls_are_normalised_for_async_drivers() -> None:
    assert normalise_url("postgres://u:p@h:5432/db") == "postgresql+asyncpg://u:p@h:5432/db"
    assert normalise_url("postgresql://u@h/db") == "postgresql+asyncpg://u@h/db"
    assert normalise_url("sqlite:///coproduce.db") == "sqlite+aiosqlite:///coproduce.db"


async def _fresh_postgres() -> Database:
    """A migrated, empty PostgreSQL database of its own (not the fixture's), with its pool."""
    assert POSTGRES_URL
    await reset_postgres(POSTGRES_URL)
    await upgrade(POSTGRES_URL)
    return Database(POSTGRES_URL)


def _columns(row: Any) -> dict[str, Any]:
    """Every column's value, times compared in UTC (SQLite hands them back naive)."""
    values = {c.key: getattr(row, c.key) for c in inspect(type(row)).columns}
    return {k: as_utc(v) if isinstance(v, datetime) else v for k, v in values.items()}


async def test_rows_written_past_the_orm_are_the_objects_handed_back(database: Database) -> None:
    """The new idea and the queued reply are built from what was written, not read again.
    Every column of the object in hand must be what the database holds, and a change made to
    the idea later in the same turn must be saved with it."""
    from datetime import timedelta

    from sqlmodel import select

    from storage import outbox
    from storage.models import Idea, OutboxDelivery

    workspace_id, author_id = await _author(database)
    async with database.transaction() as session:
        idea = await idea_store.create_idea(
            session=session,
            workspace_id=workspace_id,
            author_id=author_id,
            text="Letters in plain words",
            anonymous=False,
            source="direct",
            now=NOW,
        )
        idea.anonymous = True  # as "Make anonymous" would, in the same turn
        reply = await outbox.enqueue_claimed(
            session=session,
            key="reply:Ev1:0",
            workspace_id=workspace_id,
            person_id=author_id,
            channel_id="DU1",
            kind="reply",
            message='{"summary": "Thank you", "blocks": []}',
            lease_until=NOW + timedelta(seconds=60),
            now=NOW,
        )
    async with database.reading() as session:
        stored_idea = (await session.exec(select(Idea))).one()
        stored_reply = (await session.exec(select(OutboxDelivery))).one()
    assert stored_idea.anonymous is True
    assert _columns(stored_idea) == _columns(idea)
    assert _columns(stored_reply) == _columns(reply)
    assert (reply.status, reply.attempts, reply.delivered_at) == ("sending", 1, None)


def test_an_object_for_a_written_row_needs_every_column() -> None:
    """A column left out would be loaded lazily later, which an async session cannot do: the
    mistake shows where it is made instead."""
    from storage.models import Idea
    from storage.results import as_read

    with pytest.raises(ValueError, match="number"):
        as_read(Idea, {"id": 1, "workspace_id": 1, "author_id": 1, "text": "Hello"})


@pytest.mark.skipif(not POSTGRES_URL, reason="needs PostgreSQL (TEST_DATABASE_URL)")
async def test_a_connection_broken_while_idle_is_replaced_before_use(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """After a PostgreSQL restart, the next event is handled, not answered with "sorry"."""
    assert POSTGRES_URL
    database = await _fresh_postgres()
    try:
        async with database.transaction() as session:
            backend = (await session.execute(text("SELECT pg_backend_pid()"))).scalar_one()
        # What a restart does to the connection waiting in the pool.
        killer = await asyncpg.connect(POSTGRES_URL)
        try:
            await killer.execute("SELECT pg_terminate_backend($1)", backend)
        finally:
            await killer.close()
        monkeypatch.setattr("storage.database.IDLE_BEFORE_PING", 0.0)
        async with database.transaction() as session:
            again = (await session.execute(text("SELECT pg_backend_pid()"))).scalar_one()
        assert again != backend
    finally:
        await database.dispose()


async def test_a_connection_given_back_inside_a_transaction_is_rolled_back(
    database: Database,
) -> None:
    """SQLite's pool rolls back only connections still in a transaction (one hand-off less per
    event): one left open, by a cancelled request say, must not carry its writes or its lock
    into the next event that uses it."""
    if database.dialect != "sqlite":
        pytest.skip("the pool's reset is SQLite's own")

    def left_open(connection: Any) -> None:
        cursor = connection.connection.dbapi_connection.cursor()
        cursor.execute("BEGIN IMMEDIATE")
        cursor.execute(
            "INSERT INTO processed_delivery (key, processed_at) VALUES ('slack:Ev9', '2027-02-28')"
        )

    async with database.engine.connect() as connection:
        await connection.run_sync(left_open)
    async with database.transaction() as session:
        assert await claim_delivery(session=session, key="slack:Ev9", now=NOW)


async def test_a_write_held_for_the_next_statement_is_kept_or_dropped_with_its_transaction(
    database: Database,
) -> None:
    """On SQLite an event's delivery claim waits to go with its arrival query. A transaction
    that commits before any other statement must still keep it; one that rolls back must not."""
    if database.dialect != "sqlite":
        pytest.skip("holding a write for the next hand-off is SQLite's own")
    from sqlalchemy import text as sql_text

    from storage import sqlite_driver

    claim = (
        "INSERT INTO processed_delivery (key, processed_at) VALUES (?, ?) ON CONFLICT DO NOTHING"
    )
    async with database.transaction() as session:
        kept = await sqlite_driver.with_next_statement(session, claim, ("slack:Ev1", "2027-02-28"))
        assert kept.rowcount is None  # nothing sent yet
    with pytest.raises(RuntimeError):
        async with database.transaction() as session:
            await sqlite_driver.with_next_statement(session, claim, ("slack:Ev2", "2027-02-28"))
            raise RuntimeError("the event failed")
    async with database.transaction() as session:
        again = await sqlite_driver.with_next_statement(session, claim, ("slack:Ev1", "2027-02-28"))
        await session.execute(sql_text("SELECT 1"))
        assert again.rowcount == 0  # seen before: the retry is refused
    async with database.reading() as session:
        keys = (await session.execute(sql_text("SELECT key FROM processed_delivery"))).all()
    assert [key for (key,) in keys] == ["slack:Ev1"]


async def test_an_idea_reads_back_exactly_as_it_was_stored(database: Database) -> None:
    """On SQLite the idea path writes its three rows with plain SQL in one hand-off: what the
    ORM reads back (the time, anonymity, the history's time) must be what was given."""
    from sqlmodel import select

    from storage.models import Idea, StatusChange

    workspace_id, author_id = await _author(database)
    async with database.transaction() as session:
        made = await idea_store.create_idea(
            session=session,
            workspace_id=workspace_id,
            author_id=author_id,
            text="Quiet room — for after scans",
            anonymous=True,
            source="meeting",
            now=NOW,
        )
    async with database.reading() as session:
        idea = (await session.exec(select(Idea))).one()
        history = (await session.exec(select(StatusChange))).one()
    assert (idea.id, idea.number, idea.text) == (made.id, 1, "Quiet room — for after scans")
    assert idea.anonymous is True and idea.source == "meeting" and idea.status == "new"
    assert as_utc(idea.created_at) == NOW and as_utc(idea.updated_at) == NOW
    assert (history.idea_id, history.changed_by_id, as_utc(history.changed_at)) == (
        idea.id,
        author_id,
        NOW,
    )


@pytest.mark.skipif(not POSTGRES_URL, reason="needs PostgreSQL (TEST_DATABASE_URL)")
async def test_ten_events_at_once_reuse_the_same_connections() -> None:
    """The pool keeps DATABASE_POOL_SIZE connections open: ten events at once, again and again,
    do not open and close a PostgreSQL connection for each (which cost as much CPU as the
    event)."""
    database = await _fresh_postgres()
    try:
        backends: set[int] = set()

        async def event() -> None:
            async with database.transaction() as session:
                backends.add((await session.execute(text("SELECT pg_backend_pid()"))).scalar_one())
                await asyncio.sleep(0.01)

        for _ in range(5):
            await asyncio.gather(*(event() for _ in range(10)))
        assert len(backends) <= 10
    finally:
        await database.dispose()
