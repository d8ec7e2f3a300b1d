"""The bot with the impact report turned on, and a quarter of one group's work done through
real Slack requests: what the report tests (HTTP and browser) sign in to and read."""

from __future__ import annotations

import re
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta

import pytest
from aiohttp import ClientSession, web
from aiohttp.test_utils import TestServer

from adapters.platforms import build_platforms
from adapters.report.routes import ReportSite
from adapters.settings import Settings
from adapters.web import create_app
from bot.engine import Engine
from bot.runtime.delivery import ImmediateDelivery, OutboxWorker
from bot.seam.config import EngineConfig
from storage.database import Database
from tests.clock import FakeClock
from tests.conftest import SIGNING_SECRET, RunningBot
from tests.fakes.slack_api import FakeSlackWebApi
from tests.slack_requests import action_request
from tests.test_slack_closing_the_loop import command
from tests.test_slack_ideas import all_text, post

SECRET_KEY = "a-test-secret-key-that-is-long-enough-0123456789"
GROUP = "CGROUP"
OTHER_GROUP = "COTHER"
PEOPLE = ["UFAC", "UANN", "UBEN", "UCAL", "UDEE", "UEVE"]
LINK = re.compile(r"<(https?://[^|>]+)\|")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@asynccontextmanager
async def serving_report(
    database_url: str,
    database: Database,
    slack_api: FakeSlackWebApi,
    admins: frozenset[str],
    clock: FakeClock,
    **more_settings: str,
) -> AsyncIterator[RunningBot]:
    """The real app, Slack on a fake Web API, Teams in dev mode, and the report served at a
    known address (links carry it); `more_settings` turn on more (guests' email)."""
    port = free_port()
    public_url = f"http://127.0.0.1:{port}"
    engine = Engine(
        database=database,
        config=EngineConfig(
            admins=admins,
            public_url=public_url,
            secret_key=SECRET_KEY,
            guests="SMTP_URL" in more_settings,
        ),
        clock=clock,
    )
    settings = Settings(
        DATABASE_URL=database_url,
        SLACK_BOT_TOKEN="xoxb-test",
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=slack_api.base_url + "api/",
        TEAMS_DEV_MODE=True,
        HOST="127.0.0.1",
        COPRODUCE_ADMINS=",".join(admins),
        COPRODUCE_PUBLIC_URL=public_url,
        COPRODUCE_SECRET_KEY=SECRET_KEY,
        **more_settings,
    )
    platforms = await build_platforms(settings, engine)
    site = ReportSite(database=database, secret_key=SECRET_KEY, public_url=public_url, clock=clock)
    app: web.Application = create_app(platforms=platforms, database=database, report=site)
    server = TestServer(app, host="127.0.0.1", port=port)
    await server.start_server()
    worker = OutboxWorker(database=database, messengers=platforms.messengers, clock=clock)
    engine.immediate = ImmediateDelivery(worker)
    try:
        async with ClientSession() as http:
            yield RunningBot(
                public_url + "/", http, database, engine, platforms, worker, slack_api, clock
            )
    finally:
        await server.close()
        await engine.immediate.settled()
        await platforms.close()


@pytest.fixture
async def report_bot(
    database_url: str,
    database: Database,
    slack_api: FakeSlackWebApi,
    admins: frozenset[str],
    clock: FakeClock,
) -> AsyncIterator[RunningBot]:
    async with serving_report(database_url, database, slack_api, admins, clock) as bot:
        yield bot


async def press(bot: RunningBot, api: FakeSlackWebApi, action: str, value: str, user: str) -> None:
    body, headers = action_request(
        action, value, response_url=api.response_url(), user=user, channel=GROUP
    )
    await post(bot, body, headers)


async def a_quarter_of_work(bot: RunningBot, api: FakeSlackWebApi) -> None:
    """Six people in one group (Ann facilitates it; Fac is an admin), three ideas (one
    anonymous, one that looks like a spreadsheet formula), two decisions heard by everyone
    behind them, a 90-minute meeting everyone was at, 2 hours of reading, one thank-you.
    A second group exists that Ann does not run."""
    api.channel_members[GROUP] = PEOPLE
    api.channel_members[OTHER_GROUP] = ["UFAC", "UZED"]
    await command(bot, api, "/coproduce", "group name Carers", channel=GROUP)
    await command(bot, api, "/coproduce", "group name Other", channel=OTHER_GROUP)
    await command(bot, api, "/coproduce", "facilitators add <@UANN|ann>", channel=GROUP)
    await command(bot, api, "/idea", "Clearer appointment letters", user="UANN", channel=GROUP)
    await command(bot, api, "/idea", "anonymous A quieter waiting room", user="UBEN", channel=GROUP)
    await command(bot, api, "/idea", '=HYPERLINK("http://x")', user="UCAL", channel=GROUP)
    bot.clock.advance(timedelta(days=3))
    await command(bot, api, "/update", "1 green-lit We will rewrite them with you", channel=GROUP)
    bot.clock.advance(timedelta(days=2))
    await command(bot, api, "/update", "2 done The TV is off now", channel=GROUP)
    await command(bot, api, "/meeting", "start Autumn review", channel=GROUP)
    bot.clock.advance(timedelta(minutes=90))
    await command(bot, api, "/meeting", "end", channel=GROUP)
    await command(bot, api, "/coproduce", "time 2h reading the papers", user="UANN", channel=GROUP)
    await command(bot, api, "/credit", "<@UBEN|uben> for chairing the review", channel=GROUP)
    await bot.deliver()


async def report_link(bot: RunningBot, api: FakeSlackWebApi, user: str = "UANN") -> str:
    """Ask for a link in Slack, as a facilitator would, and read it from the private answer."""
    answer = await command(bot, api, "/coproduce", "report", user=user, channel=GROUP)
    assert "works once, in the next 15 minutes" in answer
    [call] = api.private_answers()[-1:]
    [url] = LINK.findall(str(call.params.get("blocks")))
    assert url in all_text(call) or url
    return url
