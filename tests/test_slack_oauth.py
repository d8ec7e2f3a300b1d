"""Installing on several workspaces through Slack's OAuth flow: installs are stored in our
database (slack_sdk's SQLAlchemy stores), each workspace is answered with its own token, and
two workspaces' data never mix."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

import pytest
from aiohttp import ClientSession
from aiohttp.test_utils import TestServer
from sqlalchemy import text
from sqlmodel import select

from adapters.platforms import build_platforms
from adapters.settings import Settings
from adapters.web import create_app
from bot.engine import Engine
from bot.runtime.delivery import ImmediateDelivery, OutboxWorker
from storage.database import Database
from storage.models import Idea, Workspace
from tests.conftest import SIGNING_SECRET, drain
from tests.fakes.slack_api import FakeSlackWebApi
from tests.slack_requests import command_request, dm_event, event_request


@pytest.fixture
async def oauth_bot(
    database_url: str, database: Database, engine: Engine, slack_api: FakeSlackWebApi
) -> AsyncIterator[tuple[str, ClientSession, OutboxWorker]]:
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        DATABASE_URL=database_url,
        SLACK_CLIENT_ID="111.222",
        SLACK_CLIENT_SECRET="client-secret",
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=slack_api.base_url + "api/",
        COPRODUCE_ADMINS="slack:UFAC",
    )
    assert settings.slack_oauth and not settings.SLACK_BOT_TOKEN
    platforms = await build_platforms(settings, engine)
    server = TestServer(create_app(platforms=platforms, database=database), host="127.0.0.1")
    await server.start_server()
    worker = OutboxWorker(database=database, messengers=platforms.messengers, clock=engine.clock)
    engine.immediate = ImmediateDelivery(worker)
    async with ClientSession() as http:
        yield str(server.make_url("/")), http, worker
    await server.close()
    await engine.immediate.settled()
    await platforms.close()


async def install(url: str, http: ClientSession, team: str) -> None:
    async with http.get(f"{url}slack/install", allow_redirects=False) as response:
        assert response.status in (200, 302)
        page = await response.text()
        cookie = response.headers["Set-Cookie"].split(";")[0]
    state = re.search(r"state=([\w-]+)", page or response.headers.get("Location", "")).group(1)  # type: ignore[union-attr]
    async with http.get(
        f"{url}slack/oauth_redirect?code=code-{team}&state={state}", headers={"Cookie": cookie}
    ) as response:
        assert response.status == 200, await response.text()


async def test_two_workspaces_install_and_never_mix(
    oauth_bot,
    database: Database,
    engine: Engine,
    slack_api: FakeSlackWebApi,  # type: ignore[no-untyped-def]
) -> None:
    url, http, worker = oauth_bot
    await install(url, http, "T0001")
    await install(url, http, "T0002")
    async with database.engine.connect() as connection:
        teams = {row[0] for row in await connection.execute(text("select team_id from slack_bots"))}
    assert teams == {"T0001", "T0002"}

    async def dm(team: str, user: str, words: str) -> None:
        body, headers = event_request(dm_event(words, user=user, team=team))
        async with http.post(f"{url}slack/events", data=body, headers=headers) as response:
            assert response.status == 200
        assert engine.immediate is not None
        await engine.immediate.settled()

    await dm("T0001", "UA", "From the first trust")
    await dm("T0002", "UB", "From the second trust")
    replies = {c.params["channel"]: c.token for c in slack_api.calls_to("chat.postMessage")}
    assert replies == {"DUA": "xoxb-T0001", "DUB": "xoxb-T0002"}

    async with database.reading() as session:
        rows = (await session.exec(select(Idea, Workspace).join(Workspace))).all()
    assert sorted((w.external_id, i.number, i.text) for i, w in rows) == [
        ("T0001", 1, "From the first trust"),
        ("T0002", 1, "From the second trust"),
    ]
    # a facilitator in the second workspace cannot touch the first one's idea #1 ...
    body, headers = command_request(
        "/update",
        "1 done Finished",
        user="UFAC",
        team="T0002",
        response_url=slack_api.response_url(),
    )
    async with http.post(f"{url}slack/events", data=body, headers=headers) as response:
        assert response.status == 200
    async with database.reading() as session:
        statuses = {
            w.external_id: i.status
            for i, w in (await session.exec(select(Idea, Workspace).join(Workspace))).all()
        }
    assert statuses == {"T0001": "new", "T0002": "done"}
    # ... and the news goes out with the second workspace's token only
    await drain(worker, database)
    [news] = [c for c in slack_api.calls_to("chat.postMessage") if "Finished" in str(c.params)]
    assert (news.params["channel"], news.token) == ("DUB", "xoxb-T0002")


async def test_events_from_a_workspace_that_never_installed_are_not_answered(
    oauth_bot,
    database: Database,
    slack_api: FakeSlackWebApi,  # type: ignore[no-untyped-def]
) -> None:
    url, http, _ = oauth_bot
    body, headers = event_request(dm_event("Who am I talking to?", team="T9999"))
    async with http.post(f"{url}slack/events", data=body, headers=headers) as response:
        assert response.status < 500
    async with database.reading() as session:
        assert (await session.exec(select(Idea))).all() == []
