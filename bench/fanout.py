"""Fan-out: one status change told to 500 contributors, against Slack's pacing.

The fake Web API (in its own process) allows one message a second per channel and a
workspace-wide bucket; the floor is the least time that bucket allows for every message.
"""

from __future__ import annotations

import asyncio
import json
import time
from datetime import timedelta

import aiohttp
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.messenger import SlackMessenger
from bot.engine import Engine
from bot.runtime.delivery import OutboxWorker
from bot.seam.config import EngineConfig
from bot.seam.events import ActionInvoked, Actor, CommandInvoked, Conversation
from storage import outbox
from storage.database import Database


def _actor(user: str) -> Actor:
    return Actor("slack", "T0001", user, None, address=json.dumps({"team": "T0001", "user": user}))


async def run(database_url: str, fake_url: str, *, people: int, rate: float, burst: int) -> dict:
    database = Database(database_url)
    engine = Engine(database=database, config=EngineConfig(admins=frozenset({"slack:UFAC"})))
    group = Conversation("CGROUP", "group")
    # The bench runs at any hour: with quiet hours on, news at night would wait for 09:00.
    await engine.handle(
        CommandInvoked(_actor("UFAC"), group, "coproduce", "settings quiet-hours off")
    )
    await engine.handle(
        CommandInvoked(_actor("UAUTHOR"), Conversation("DUAUTHOR", "direct"), "idea", "Wi-Fi")
    )
    for n in range(people - 1):
        await engine.handle(ActionInvoked(_actor(f"UF{n:04d}"), group, "idea.follow", "1"))
    async with aiohttp.ClientSession() as session:
        async with session.post(f"{fake_url}/reset") as reset:
            await reset.read()
        client = AsyncWebClient(
            token="xoxb-bench", base_url=f"{fake_url}/api/", session=session, retry_handlers=[]
        )
        worker = OutboxWorker(
            database=database,
            messengers={"slack": SlackMessenger(client)},
            lease=timedelta(seconds=60),
        )
        stop = asyncio.Event()
        delivering = asyncio.create_task(worker.run(stop, poll=0.1))
        started = time.perf_counter()
        await engine.handle(CommandInvoked(_actor("UFAC"), group, "update", "1 green-lit Agreed"))
        worker.wake()
        while True:
            await asyncio.sleep(0.05)
            async with database.reading() as reading:
                if await outbox.depth(session=reading) == 0:
                    break
        elapsed = time.perf_counter() - started
        stop.set()
        await delivering
        async with session.get(f"{fake_url}/stats") as answer:
            stats = await answer.json()
    await database.dispose()
    floor = (people - burst) / rate
    return {
        "people": people,
        "delivered": worker.delivered,
        "accepted_by_api": stats["counts"].get("chat.postMessage", 0),
        "rate_limited": stats["counts"].get("429", 0),
        "failed": worker.failed,
        "seconds": elapsed,
        "floor_seconds": floor,
        "ratio": elapsed / floor,
    }
