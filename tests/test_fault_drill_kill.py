"""Fault drill: the web process dies after committing an idea but before answering Slack.
Slack retries the event, and the new process stores nothing twice."""

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


async def start_web(env: dict[str, str]) -> asyncio.subprocess.Process:
    process = await asyncio.create_subprocess_exec(
        str(COPRODUCE),
        "serve",
        "--no-worker",
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


async def test_killed_between_commit_and_response_then_retried(
    database_url: str, database: Database, slack_api: FakeSlackWebApi
) -> None:
    slack_api.post_delay = 30  # the reply hangs, so the process is killed before it answers
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
    )
    payload = dm_event("Said just before the crash", event_id="EvCRASH001")
    first = await start_web(env)
    try:
        async with aiohttp.ClientSession() as http:
            body, headers = event_request(payload)
            request = asyncio.create_task(
                http.post(f"http://127.0.0.1:{port}/slack/events", data=body, headers=headers)
            )
            for _ in range(200):  # wait (briefly, by polling) for the commit
                if await ideas(database):
                    break
                await asyncio.sleep(0.05)
            assert await ideas(database) == 1
            first.send_signal(signal.SIGKILL)
            await first.wait()
            try:
                response = await request
                assert response.status != 200, "the kill came after Slack's answer"
            except aiohttp.ClientError:
                pass  # Slack sees no answer, and will retry
        slack_api.post_delay = 0
        second = await start_web(env)
        try:
            async with aiohttp.ClientSession() as http:
                body, headers = event_request(payload)
                headers["X-Slack-Retry-Num"] = "1"
                async with http.post(
                    f"http://127.0.0.1:{port}/slack/events", data=body, headers=headers
                ) as response:
                    assert response.status == 200
            assert await ideas(database) == 1
        finally:
            second.send_signal(signal.SIGTERM)
            await asyncio.wait_for(second.wait(), 25)
    finally:
        if first.returncode is None:
            first.kill()
            await first.wait()
