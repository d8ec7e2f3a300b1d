"""The scheduler rebuilds its jobs from the database: restarts and downtime lose no prompt, and no
prompt is sent twice. Short real waits (about a second) replace a clock here, because
APScheduler's own timers are what is under test."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime

import pytest
from sqlmodel import select

from bot.engine import Engine
from bot.runtime.scheduler import WorkerScheduler
from bot.seam.events import CommandInvoked
from storage.database import Database
from storage.models import Group, OutboxDelivery, utcnow
from tests.test_reflection_flow import GROUP, PEOPLE, Channel, actor


@pytest.fixture
def clock() -> Callable[[], datetime]:
    """APScheduler's own timers run on the real clock, so the engine here must too."""
    return utcnow


async def quick_reflection(engine: Engine, database: Database, delay: str = "1s") -> None:
    """A meeting that ends now, with prompts due after `delay` at any hour."""
    await engine.handle(
        CommandInvoked(actor("UFAC"), GROUP, "coproduce", "settings quiet-hours off")
    )
    await engine.handle(
        CommandInvoked(actor("UFAC"), GROUP, "coproduce", f"settings reflection-delay {delay}")
    )
    roster = Channel(PEOPLE)
    await engine.handle(
        CommandInvoked(actor("UFAC"), GROUP, "meeting", "start Quick"), roster=roster
    )
    await engine.handle(CommandInvoked(actor("UFAC"), GROUP, "meeting", "end"), roster=roster)


async def prompts(database: Database) -> int:
    async with database.reading() as session:
        rows = (
            await session.exec(
                select(OutboxDelivery).where(OutboxDelivery.kind == "reflection-prompt")
            )
        ).all()
    return len(rows)


async def until_prompts(database: Database, expected: int, *, within: float = 20.0) -> None:
    """Wait for APScheduler's own timer to have queued `expected` prompts: on a loaded machine a
    timer set for one second fires later, and a fixed sleep would fail there."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while (count := await prompts(database)) != expected:
        assert count < expected, f"{count} prompts: more than {expected}"
        assert loop.time() < deadline, f"only {count} of {expected} prompts in {within} s"
        await asyncio.sleep(0.1)


def reflection_jobs(scheduler: WorkerScheduler) -> dict[str, tuple[object, ...]]:
    return {
        job.id: tuple(job.args)
        for job in scheduler.scheduler.get_jobs()
        if job.id.startswith("reflection:")
    }


async def test_jobs_are_rebuilt_after_a_restart_and_run_exactly_once(
    engine: Engine, database: Database
) -> None:
    first = WorkerScheduler(database=database)
    await first.start()
    await quick_reflection(engine, database, delay="2s")
    await first.reconcile()
    planned = reflection_jobs(first)
    assert planned == {
        "reflection:1:prompt": (1, "prompt"),
        "reflection:1:remind": (1, "remind"),
        "reflection:1:close": (1, "close"),
    }  # ids only, never text
    await first.shutdown()

    second = WorkerScheduler(database=database)
    await second.start()
    assert reflection_jobs(second) == planned  # rebuilt from the meeting row
    await until_prompts(database, 6)
    await second.shutdown()

    third = WorkerScheduler(database=database)
    await third.start()
    await asyncio.sleep(0.3)
    await third.shutdown()
    assert await prompts(database) == 6


async def test_a_worker_down_at_the_due_time_sends_late_prompts_on_start(
    engine: Engine, database: Database
) -> None:
    first = WorkerScheduler(database=database)
    await first.start()
    await quick_reflection(engine, database, delay="1s")
    await first.reconcile()
    await first.shutdown()
    await asyncio.sleep(1.2)  # the prompt falls due while no scheduler runs
    assert await prompts(database) == 0
    late = WorkerScheduler(database=database)
    await late.start()
    await until_prompts(database, 6)
    await late.shutdown()


async def test_a_meeting_ended_by_a_web_process_is_picked_up_by_reconcile(
    engine: Engine, database: Database
) -> None:
    # the web process writes the meeting only; the worker's scheduler finds it
    await quick_reflection(engine, database, delay="1s")
    worker = WorkerScheduler(database=database, reconcile_every=0.5)
    await worker.start()
    await until_prompts(database, 6)
    await asyncio.sleep(0.6)  # another reconcile: still six, never twice
    await worker.shutdown()
    assert await prompts(database) == 6
    async with database.reading() as session:
        assert (await session.exec(select(Group))).one().quiet_hours == "off"
