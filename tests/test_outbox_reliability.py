"""The outbox under pressure: Slack's pacing and 429s, a killed worker, two workers at once."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
from pathlib import Path

from sqlmodel import select

from bot.seam.events import ActionInvoked, Actor, CommandInvoked, Conversation, IncomingMessage
from storage import outbox
from storage.database import Database
from storage.models import OutboxDelivery
from tests.conftest import SIGNING_SECRET, RunningBot
from tests.fakes.slack_api import FakeSlackWebApi

COPRODUCE = Path(sys.executable).parent / "coproduce"
NOTE = "Approved by the board on Tuesday"


def slack_actor(user: str) -> Actor:
    return Actor("slack", "T0001", user, None, address=f'{{"team": "T0001", "user": "{user}"}}')


async def fan_out(bot: RunningBot, followers: int) -> None:
    """One idea with `followers` followers plus its author, then a status change for all."""
    group = Conversation("CGROUP", "group")
    engine = bot.engine
    await engine.handle(
        CommandInvoked(slack_actor("UAUTHOR"), Conversation("DUAUTHOR", "direct"), "idea", "Wi-Fi")
    )
    for n in range(followers):
        await engine.handle(ActionInvoked(slack_actor(f"UF{n:03d}"), group, "idea.follow", "1"))
    await engine.handle(CommandInvoked(slack_actor("UFAC"), group, "update", f"1 green-lit {NOTE}"))
    async with bot.database.reading() as session:
        rows = (
            await session.exec(select(OutboxDelivery).where(OutboxDelivery.kind == "status-update"))
        ).all()
    assert len(rows) == followers + 1


def news_by_channel(api: FakeSlackWebApi) -> dict[str, int]:
    counts: dict[str, int] = {}
    for call in api.calls_to("chat.postMessage"):
        if NOTE in str(call.params.get("blocks")):
            counts[call.params["channel"]] = counts.get(call.params["channel"], 0) + 1
    return counts


async def test_fan_out_to_50_respects_pacing_and_retry_after(
    running_bot: RunningBot, slack_api: FakeSlackWebApi
) -> None:
    slack_api.per_channel_interval = 1.0
    slack_api.workspace_rate = 8.0  # a workspace stricter than the pace we keep
    slack_api.workspace_burst = 5
    slack_api.retry_after = 1
    await fan_out(running_bot, followers=49)
    await running_bot.deliver(within=60)
    counts = news_by_channel(slack_api)
    assert len(counts) == 50 and set(counts.values()) == {1}
    assert slack_api.rate_limited, "the fake's workspace limit was never reached"
    accepted = sorted(t for times in slack_api.accepted_at.values() for t in times)
    for _, limited_at in slack_api.rate_limited:
        # after a 429 nothing more is sent until Retry-After has passed
        assert not [t for t in accepted if limited_at < t < limited_at + 0.95]


async def test_fan_out_keeps_the_workspace_pace_and_meets_no_429(
    running_bot: RunningBot, slack_api: FakeSlackWebApi
) -> None:
    slack_api.per_channel_interval = 1.0
    slack_api.workspace_rate = 10.0  # the limit our Slack pacing assumes
    slack_api.workspace_burst = 2
    await fan_out(running_bot, followers=29)
    await running_bot.deliver(within=60)
    counts = news_by_channel(slack_api)
    assert len(counts) == 30 and set(counts.values()) == {1}
    assert slack_api.rate_limited == []


def worker_env(database_url: str, api: FakeSlackWebApi) -> dict[str, str]:
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "MICROSOFT_", "TEAMS_"))
    }
    env.update(
        DATABASE_URL=database_url,
        SLACK_BOT_TOKEN="xoxb-test",
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=api.base_url + "api/",
        COPRODUCE_DELIVERY_LEASE_SECONDS="1",
    )
    return env


async def start_worker(env: dict[str, str]) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        str(COPRODUCE),
        "worker",
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


async def wait_for(condition, within: float) -> None:  # type: ignore[no-untyped-def]
    deadline = asyncio.get_running_loop().time() + within
    while not await condition():
        assert asyncio.get_running_loop().time() < deadline, "timed out"
        await asyncio.sleep(0.05)


def delivered_ids(log: bytes) -> set[int]:
    """Delivery ids a worker reported sending, from its JSON log lines."""
    ids = set()
    for line in log.decode().splitlines():
        entry = json.loads(line) if line.startswith("{") else {}
        if entry.get("message") == "delivered":
            ids.add(int(entry["delivery"]))
    return ids


async def outbox_empty(database: Database) -> bool:
    async with database.reading() as session:
        return await outbox.depth(session=session) == 0


async def test_killed_worker_loses_nothing_and_repeats_at_most_one(
    database_url: str, running_bot: RunningBot, slack_api: FakeSlackWebApi
) -> None:
    slack_api.post_delay = 0.05
    await fan_out(running_bot, followers=29)
    env = worker_env(database_url, slack_api)
    first = await start_worker(env)

    async def some_sent() -> bool:
        return sum(news_by_channel(slack_api).values()) >= 8

    await wait_for(some_sent, within=30)
    first.send_signal(signal.SIGKILL)
    await first.wait()
    assert sum(news_by_channel(slack_api).values()) < 30, "the kill came too late to test"
    second = await start_worker(env)
    try:
        await wait_for(lambda: outbox_empty(running_bot.database), within=30)
    finally:
        second.send_signal(signal.SIGTERM)
        _, errors = await asyncio.wait_for(second.communicate(), 30)
    assert second.returncode == 0
    counts = news_by_channel(slack_api)
    assert len(counts) == 30, "someone was never told"
    assert sum(counts.values()) - 30 <= 1, counts
    assert NOTE.encode() not in errors and b"Wi-Fi" not in errors


async def test_two_workers_never_send_the_same_row(
    database_url: str, running_bot: RunningBot, slack_api: FakeSlackWebApi
) -> None:
    slack_api.post_delay = 0.05
    env = worker_env(database_url, slack_api)
    workers = [await start_worker(env) for _ in range(2)]
    for worker in workers:  # both are polling before there is anything to send
        assert worker.stdout is not None and worker.stderr is not None
        line = await asyncio.wait_for(worker.stdout.readline(), 30)
        # A worker that could not start says why on stderr: show it, not just "no line".
        why = b"" if line else await asyncio.wait_for(worker.stderr.read(), 10)
        assert b"worker started" in line, why.decode(errors="replace")[-3000:]
    await fan_out(running_bot, followers=39)
    logs: list[bytes] = []
    try:
        await wait_for(lambda: outbox_empty(running_bot.database), within=60)
    finally:
        for worker in workers:
            worker.send_signal(signal.SIGTERM)
            logs.append((await asyncio.wait_for(worker.communicate(), 30))[1])
    sent_by = [delivered_ids(log) for log in logs]
    assert all(sent_by), "one worker sent nothing, so this proved nothing"
    assert not sent_by[0] & sent_by[1]
    counts = news_by_channel(slack_api)
    assert len(counts) == 40 and set(counts.values()) == {1}, counts
    async with running_bot.database.reading() as session:
        rows = (await session.exec(select(OutboxDelivery))).all()
    assert {row.status for row in rows} == {"delivered"}


async def test_replies_sent_together_are_each_settled_once(
    running_bot: RunningBot, slack_api: FakeSlackWebApi
) -> None:
    """Twenty people message at the same moment: the replies are marked sent together, and
    each person hears back exactly once, with nothing left for the worker to send again."""
    slack_api.post_delay = 0.02
    people = [f"UT{n:02d}" for n in range(20)]
    await asyncio.gather(
        *(
            running_bot.engine.handle(
                IncomingMessage(slack_actor(user), Conversation(f"D{user}", "direct"), "Ramps"),
                queue_replies=True,
            )
            for user in people
        )
    )
    await running_bot.replies_sent()
    heard = [call.params["channel"] for call in slack_api.calls_to("chat.postMessage")]
    assert sorted(heard) == sorted(f"D{user}" for user in people)
    async with running_bot.database.reading() as session:
        rows = (await session.exec(select(OutboxDelivery))).all()
    assert len(rows) == 20 and {row.status for row in rows} == {"delivered"}
    assert await running_bot.deliver() == 0
    assert len(slack_api.calls_to("chat.postMessage")) == 20
