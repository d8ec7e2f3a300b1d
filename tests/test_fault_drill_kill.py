"""Fault drill: the web process dies after committing an idea, before its work is done.
Slack retries the event, the new process stores nothing twice, and the reply still arrives."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

import aiohttp
from sqlalchemy import text

from storage.database import Database
from tests.conftest import SIGNING_SECRET
from tests.fakes.slack_api import FakeSlackWebApi
from tests.slack_requests import dm_event, event_request
from tests.test_cli import free_port

COPRODUCE = Path(sys.executable).parent / "coproduce"


async def start_web(env: dict[str, str], *options: str) -> asyncio.subprocess.Process:
    process = await asyncio.create_subprocess_exec(
        str(COPRODUCE),
        "serve",
        *options,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    assert process.stdout is not None
    await asyncio.wait_for(process.stdout.readline(), 30)
    return process


async def ideas(database: Database) -> int:
    async with database.engine.connect() as connection:
        return int((await connection.execute(text("select count(*) from idea"))).scalar() or 0)


async def test_killed_after_commit_with_the_reply_in_flight_then_retried(
    database_url: str, database: Database, slack_api: FakeSlackWebApi
) -> None:
    """Slack's answer leaves at the commit, so the last moment a crash can cut off is the reply
    on its way out. Whether or not the answer arrived, Slack's retry stores nothing more, and
    the worker sends the reply once the dead process's claim on it runs out."""
    slack_api.stall_posts()  # the reply hangs on the wire when the process dies
    port = free_port()
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "MICROSOFT_", "TEAMS_"))
    }
    env.update(
        DATABASE_URL=database_url,
        SLACK_BOT_TOKEN="xoxb-test",
        PORT=str(port),
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=slack_api.base_url + "api/",
        COPRODUCE_DELIVERY_LEASE_SECONDS="1",
    )
    payload = dm_event("Said just before the crash", user="U100", event_id="EvCRASH001")
    url = f"http://127.0.0.1:{port}/slack/events"
    first = await start_web(env, "--no-worker")
    try:
        async with aiohttp.ClientSession() as http:
            async with http.post(url, data=(b := event_request(payload))[0], headers=b[1]) as r:
                assert r.status == 200
            for _ in range(100):  # poll briefly until the reply is stuck in the stalled API
                if slack_api.posts_waiting:
                    break
                await asyncio.sleep(0.05)
            assert slack_api.posts_waiting == 1 and await ideas(database) == 1
            first.send_signal(signal.SIGKILL)
            await first.wait()
    finally:
        if first.returncode is None:
            first.kill()
            await first.wait()
    slack_api.stalled = False  # the API recovers; the cut-off call never completes
    second = await start_web(env)  # with the worker, as `serve` runs by default
    try:
        async with aiohttp.ClientSession() as http:
            body, headers = event_request(payload)
            headers["X-Slack-Retry-Num"] = "1"
            async with http.post(url, data=body, headers=headers) as response:
                assert response.status == 200
        for _ in range(100):  # the lease is 1 s; the worker looks every second
            if slack_api.calls_to("chat.postMessage"):
                break
            await asyncio.sleep(0.1)
        await asyncio.sleep(0.5)  # long enough for a second copy, were one coming
        [reply] = slack_api.calls_to("chat.postMessage")
        assert reply.params["channel"] == "DU100" and "#1" in str(reply.params["blocks"])
        assert await ideas(database) == 1
    finally:
        second.send_signal(signal.SIGTERM)
        await asyncio.wait_for(second.wait(), 25)
