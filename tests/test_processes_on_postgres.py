"""Two `web` processes and one `worker` on PostgreSQL, as the Procfile runs them in production:
traffic to both loses nothing and stores nothing twice; SIGTERM during traffic ends cleanly."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest
from sqlalchemy import text

from storage.database import Database
from tests.conftest import SIGNING_SECRET
from tests.fakes.slack_api import FakeSlackWebApi
from tests.slack_requests import command_request, dm_event, event_request
from tests.test_cli import free_port

COPRODUCE = Path(sys.executable).parent / "coproduce"


@pytest.fixture
async def processes(
    database_url: str, slack_api: FakeSlackWebApi
) -> AsyncIterator[list[tuple[asyncio.subprocess.Process, int | None]]]:
    if not database_url.startswith("postgres"):
        pytest.skip("several web processes need PostgreSQL (docs/deploy.md)")
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "MICROSOFT_", "TEAMS_"))
    }
    env.update(
        DATABASE_URL=database_url,
        SLACK_BOT_TOKEN="xoxb-test",
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=slack_api.base_url + "api/",
        COPRODUCE_ADMINS="slack:UFAC",
    )
    started: list[tuple[asyncio.subprocess.Process, int | None]] = []
    for role in ("web", "web", "worker"):
        port = free_port() if role == "web" else None
        args = ["serve", "--no-worker"] if role == "web" else ["worker"]
        process = await asyncio.create_subprocess_exec(
            str(COPRODUCE),
            *args,
            env={**env, "PORT": str(port or 3978)},
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        started.append((process, port))
    for process, _ in started:
        assert process.stdout is not None
        await asyncio.wait_for(process.stdout.readline(), 30)  # "listening" / "worker started"
    yield started
    for process, _ in started:
        if process.returncode is None:
            process.kill()
            await process.wait()


async def deliver(http: aiohttp.ClientSession, port: int, payload: dict, retry: int = 0) -> int:
    body, headers = event_request(payload)
    if retry:
        headers["X-Slack-Retry-Num"] = str(retry)
    try:
        async with http.post(
            f"http://127.0.0.1:{port}/slack/events", data=body, headers=headers
        ) as response:
            return response.status
    except aiohttp.ClientError:
        return 0


async def counts(database: Database) -> dict[str, int]:
    async with database.engine.connect() as connection:
        ideas = (await connection.execute(text("select count(*) from idea"))).scalar()
        orphans = (
            await connection.execute(
                text(
                    "select count(*) from idea i where not exists (select 1 from status_change s "
                    "where s.idea_id = i.id and s.status = 'new')"
                )
            )
        ).scalar()
        # events' claims only: a slash command is claimed too, by its signature
        claims = (
            await connection.execute(
                text("select count(*) from processed_delivery where key like 'slack:Ev%'")
            )
        ).scalar()
    return {"ideas": ideas or 0, "orphans": orphans or 0, "claims": claims or 0}


async def test_two_webs_and_a_worker_lose_nothing_and_repeat_nothing(
    processes,
    database: Database,
    slack_api: FakeSlackWebApi,  # type: ignore[no-untyped-def]
) -> None:
    (web_a, port_a), (web_b, port_b), (worker, _) = processes
    assert port_a and port_b
    events = [dm_event(f"Idea {n}", user=f"U{n:03d}", event_id=f"EvPROC{n:04d}") for n in range(40)]
    async with aiohttp.ClientSession() as http:
        # These processes run on the real clock: the group's quiet hours go off first, so the
        # ideas below are shared into it and its news goes at any hour. (Set after them, it
        # would not cover ideas shared before the workspace had a group: in NO_GROUP's default
        # 20:00-09:00 the news would wait for the morning, and the test failed every evening.)
        body, headers = command_request(
            "/coproduce",
            "settings quiet-hours off",
            user="UFAC",
            channel="CGROUP",
            response_url=slack_api.response_url(),
        )
        async with http.post(
            f"http://127.0.0.1:{port_b}/slack/events", data=body, headers=headers
        ) as response:
            assert response.status == 200
        first = await asyncio.gather(
            *(deliver(http, port_a if n % 2 else port_b, e) for n, e in enumerate(events))
        )
        assert set(first) == {200}
        # Slack's retries land on the other process: still one idea each
        again = await asyncio.gather(
            *(deliver(http, port_b if n % 2 else port_a, e, retry=1) for n, e in enumerate(events))
        )
        assert set(again) == {200}
        assert await counts(database) == {"ideas": 40, "orphans": 0, "claims": 40}

        # a status change fans out through the single worker
        body, headers = command_request(
            "/update", "1 green-lit Agreed", user="UFAC", response_url=slack_api.response_url()
        )
        async with http.post(
            f"http://127.0.0.1:{port_a}/slack/events", data=body, headers=headers
        ) as response:
            assert response.status == 200

        async def news() -> int:
            return sum(
                1 for c in slack_api.calls_to("chat.postMessage") if "Agreed" in str(c.params)
            )

        for _ in range(100):
            if await news():
                break
            await asyncio.sleep(0.1)
        await asyncio.sleep(1.5)  # time for a duplicate to show up, if there were one
        assert await news() == 1

        # SIGTERM to one web process in the middle of traffic
        more = [
            dm_event(f"Late {n}", user=f"V{n:03d}", event_id=f"EvLATE{n:04d}") for n in range(30)
        ]
        sending = [asyncio.create_task(deliver(http, port_a, e)) for e in more]
        await asyncio.sleep(0.05)
        web_a.send_signal(signal.SIGTERM)
        statuses = await asyncio.gather(*sending)
        assert await asyncio.wait_for(web_a.wait(), 25) == 0
        stored = await counts(database)
        assert stored["orphans"] == 0 and stored["claims"] == stored["ideas"]
        assert stored["ideas"] >= 40 + statuses.count(200)  # every 200 was committed
        # what process A did not answer, Slack retries: process B stores each exactly once
        retried = await asyncio.gather(*(deliver(http, port_b, e, retry=1) for e in more))
        assert set(retried) == {200}
        assert await counts(database) == {"ideas": 70, "orphans": 0, "claims": 70}
    for process in (web_b, worker):
        process.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(process.wait(), 25) == 0
