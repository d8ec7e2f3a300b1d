"""Storage on SQLite and PostgreSQL: numbering, de-duplication, migrations."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import asyncpg
import pytest
from sqlalchemy import inspect, text

from storage import ideas as idea_store
from storage.database import Database, normalise_url
from storage.deliveries import claim_delivery
from storage.migrate import head_revision, schema_is_current, upgrade
from storage.people import ensure_person, ensure_workspace
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


@pytest.mark.skipif(not POSTGRES_URL, reason="needs PostgreSQL (TEST_DATABASE_URL)")
async def test_a_connection_broken_while_idle_is_replaced_before_use(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """After a PostgreSQL restart, the next event is handled, not answered with "sorry"."""
    assert POSTGRES_URL
    await reset_postgres(POSTGRES_URL)
    await upgrade(POSTGRES_URL)
    database = Database(POSTGRES_URL)
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
