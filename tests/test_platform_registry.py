"""A new platform is one folder plus its registration: a throwaway one, written to a temporary
folder here, is configured by its own setting, served on its own route, named in
COPRODUCE_ADMINS, reported at start, and delivers the engine's messages through its messenger,
without a line of Slack's, Teams' or the composition root's code changing."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from aiohttp import ClientSession
from aiohttp.test_utils import TestServer

from adapters import registry
from adapters.registry import build_platforms
from adapters.settings import SettingsError, load_settings
from adapters.web import create_app
from bot.engine import Engine
from bot.runtime.delivery import OutboxWorker
from bot.seam.config import EngineConfig
from bot.seam.events import Actor, CommandInvoked, Conversation
from storage.database import Database
from tests.clock import FakeClock

THROWAWAY = '''
"""A platform that greets on one route and writes what it delivers to a list."""

from aiohttp import web
from pydantic_settings import BaseSettings

from adapters.registry import Platform, Route, Running, register

DELIVERED = []


class ThrowawaySettings(BaseSettings):
    THROWAWAY_GREETING: str | None = None


class Messenger:
    pacing_interval = 0.0
    workspace_pacing_interval = 0.0

    def pacing_key(self, recipient):
        return f"throwaway:{recipient.person}"

    async def deliver(self, recipient, message):
        DELIVERED.append((recipient.person, message.summary))
        return None


async def build(settings, engine):
    async def hello(request):
        return web.Response(text=settings.THROWAWAY_GREETING)

    return Running(routes=[Route("GET", "/throwaway/hello", hello)], messenger=Messenger())


register(
    Platform(
        name="throwaway",
        settings=ThrowawaySettings,
        enabled=lambda settings: bool(settings.THROWAWAY_GREETING),
        report=lambda settings: "Throwaway: on" if settings.THROWAWAY_GREETING else "",
        build=build,
    )
)
'''


@pytest.fixture
def throwaway(tmp_path: Path) -> Iterator[object]:
    folder = tmp_path / "throwaway_platform"
    folder.mkdir()
    (folder / "__init__.py").write_text(THROWAWAY)
    sys.path.insert(0, str(tmp_path))
    try:
        import throwaway_platform  # type: ignore[import-not-found]

        yield throwaway_platform
    finally:
        registry.unregister("throwaway")
        sys.modules.pop("throwaway_platform", None)
        sys.path.remove(str(tmp_path))


async def test_a_new_platform_is_one_folder_plus_its_registration(
    throwaway: object, database: Database, clock: FakeClock
) -> None:
    settings = load_settings(
        DATABASE_URL=database.url.replace("+aiosqlite", "").replace("+asyncpg", ""),
        THROWAWAY_GREETING="Hello from a new platform",
        COPRODUCE_ADMINS="throwaway:fran",
    )
    assert "Throwaway: on" in settings.platform_report()
    engine = Engine(database=database, config=settings.engine_config(), clock=clock)
    platforms = await build_platforms(settings, engine)
    try:
        assert set(platforms.messengers) == {"throwaway"}
        app = create_app(platforms=platforms, database=database)
        async with (
            TestServer(app, host="127.0.0.1") as server,
            ClientSession() as http,
            http.get(server.make_url("/throwaway/hello")) as response,
        ):
            assert response.status == 200
            assert await response.text() == "Hello from a new platform"
        # the engine, unchanged, serves its people: an admin named by the new platform's id
        fran = Actor("throwaway", "w1", "fran", "Fran", address="fran")
        ann = Actor("throwaway", "w1", "ann", "Ann", address="ann")
        await engine.handle(CommandInvoked(ann, Conversation("d", "direct"), "idea", "Ramps"))
        group = Conversation("g", "group")
        [answer] = await engine.handle(CommandInvoked(fran, group, "update", "1 done Built"))
        assert answer.message.summary == "Idea #1 updated."  # Fran is an admin here
        worker = OutboxWorker(database=database, messengers=platforms.messengers, clock=clock)
        assert await worker.deliver_due() >= 1
        assert ("ann", "News about your idea #1: done.") in throwaway.DELIVERED  # type: ignore[attr-defined]
    finally:
        await platforms.close()


def test_admins_may_only_name_registered_platforms() -> None:
    with pytest.raises(SettingsError, match="not platform:user-id"):
        load_settings(COPRODUCE_ADMINS="throwaway:fran")
    assert load_settings(COPRODUCE_ADMINS="slack:U1,teams:29:x,console:me").admins


def test_the_built_in_platforms_register_themselves() -> None:
    assert {"slack", "teams", "console"} <= registry.names()
    assert isinstance(EngineConfig(), EngineConfig)
