"""Shared fixtures: a migrated database (SQLite, and PostgreSQL when TEST_DATABASE_URL is set),
the engine, and the real aiohttp application wired to local fake platform APIs."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import asyncpg
import pytest
from aiohttp import ClientSession, web
from aiohttp.test_utils import TestServer

from adapters.platforms import Platforms, build_platforms
from adapters.settings import Settings
from adapters.web import create_app
from bot.engine import Engine
from bot.runtime.delivery import ImmediateDelivery, OutboxWorker
from bot.seam.config import EngineConfig
from bot.sessions.reflection import ReflectionSteps
from storage import outbox
from storage.database import Database
from storage.migrate import upgrade
from tests.clock import ORDINARY, FakeClock
from tests.fakes.slack_api import FakeSlackWebApi
from tests.fakes.teams_connector import FakeConnector

POSTGRES_URL = os.environ.get("TEST_DATABASE_URL")
BACKENDS = ["sqlite"] + (["postgresql"] if POSTGRES_URL else [])
SIGNING_SECRET = "test-signing-secret"


async def reset_postgres(url: str) -> None:
    """An empty public schema, so every test starts from the first migration."""
    plain = url.replace("postgresql+asyncpg://", "postgresql://").replace(
        "postgres://", "postgresql://"
    )
    connection = await asyncpg.connect(plain)
    try:
        await connection.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    finally:
        await connection.close()


async def empty_database(backend: str, tmp_path: Path, name: str = "coproduce.db") -> str:
    """The URL of an empty database on `backend`: a new SQLite file, or PostgreSQL reset."""
    if backend == "postgresql":
        assert POSTGRES_URL
        await reset_postgres(POSTGRES_URL)
        return POSTGRES_URL
    return f"sqlite:///{tmp_path / name}"


@pytest.fixture(params=BACKENDS)
async def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    url = await empty_database(request.param, tmp_path)
    await upgrade(url)
    return url


@pytest.fixture
async def database(database_url: str) -> AsyncIterator[Database]:
    db = Database(database_url)
    yield db
    await db.dispose()


@pytest.fixture
def admins() -> frozenset[str]:
    """People who are admins (so facilitators) from the start, as COPRODUCE_ADMINS names them."""
    return frozenset({"slack:UFAC", "teams:29:user-facilitator", "console:fran"})


@pytest.fixture
def clock(request: pytest.FixtureRequest) -> Callable[[], datetime]:
    """The time every engine, worker and scheduler in a test reads: fixed, so tests pass on
    any day. Parametrize it indirectly with a `tests.clock.MOMENTS` value to run elsewhere."""
    return FakeClock(getattr(request, "param", ORDINARY))


@pytest.fixture
def engine(database: Database, admins: frozenset[str], clock: Callable[[], datetime]) -> Engine:
    return Engine(database=database, config=EngineConfig(admins=admins), clock=clock)


@pytest.fixture
async def slack_api() -> AsyncIterator[FakeSlackWebApi]:
    fake = FakeSlackWebApi()
    await fake.start()
    yield fake
    await fake.stop()
    assert not fake.problems, fake.problems


@pytest.fixture
async def teams_connector() -> AsyncIterator[FakeConnector]:
    fake = FakeConnector()
    await fake.start()
    yield fake
    await fake.stop()
    assert not fake.problems, fake.problems


@dataclass
class RunningBot:
    url: str
    http: ClientSession
    database: Database
    engine: Engine
    platforms: Platforms
    worker: OutboxWorker
    slack_api: FakeSlackWebApi
    clock: FakeClock

    async def reflection_due(self, moment: datetime) -> int:
        """Move the clock to `moment` and run the reflection steps due then, as the scheduler
        would; what they queue is due at that moment too."""
        self.clock.set(moment)
        return await ReflectionSteps(self.database).run_due(moment)

    async def replies_sent(self) -> None:
        """Wait for the replies the last requests queued, which are sent after the answer."""
        assert self.engine.immediate is not None
        await self.engine.immediate.settled()

    async def deliver(self, within: float = 30.0) -> int:
        """Run the delivery worker until the outbox is empty, as the worker process would,
        waiting out pacing and Retry-After in real (short) time."""
        return await drain(self.worker, self.database, within=within)


async def drain(worker: OutboxWorker, database: Database, *, within: float = 30.0) -> int:
    """Deliver until no row is pending or being sent; fail the test if that takes too long."""
    sent = 0
    deadline = asyncio.get_running_loop().time() + within
    while True:
        sent += await worker.deliver_due()
        async with database.reading() as session:
            if await outbox.depth(session=session) == 0:
                return sent
        assert asyncio.get_running_loop().time() < deadline, "outbox did not drain in time"
        await asyncio.sleep(0.05)


@pytest.fixture
async def running_bot(
    database_url: str,
    database: Database,
    engine: Engine,
    slack_api: FakeSlackWebApi,
    admins: frozenset[str],
    clock: FakeClock,
) -> AsyncIterator[RunningBot]:
    """The real aiohttp app with Slack (fake Web API) and Teams (dev mode) switched on."""
    settings = Settings(
        DATABASE_URL=database_url,
        SLACK_BOT_TOKEN="xoxb-test",
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=slack_api.base_url + "api/",
        TEAMS_DEV_MODE=True,
        HOST="127.0.0.1",
        COPRODUCE_ADMINS=",".join(admins),
    )
    platforms = await build_platforms(settings, engine)
    app: web.Application = create_app(platforms=platforms, database=database)
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    worker = OutboxWorker(database=database, messengers=platforms.messengers, clock=clock)
    engine.immediate = ImmediateDelivery(worker)
    async with ClientSession() as http:
        yield RunningBot(
            str(server.make_url("/")), http, database, engine, platforms, worker, slack_api, clock
        )
    await server.close()
    slack_api.release_posts()  # a test that stalled the API must not hang its teardown
    await engine.immediate.settled()
    await platforms.close()
