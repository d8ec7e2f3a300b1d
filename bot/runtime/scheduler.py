"""Timed work: APScheduler runs reflection steps at their moments, the weekly digests on their
cron, the hourly quiet-voices sweep and the daily retention purge.

Jobs live in memory. The database already says everything they would: each meeting row holds
its prompt, reminder and close times with a mark per step done, and each group its digest
schedule. So `reconcile` rebuilds the jobs from the rows at start and every half minute (and at
once when this process opens a reflection window), and a step that came due while no worker ran
is done at once (the step applies the grace period). A persistent job store would only repeat
the rows, with synchronous database I/O on the event loop.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.date import DateTrigger

from bot.loop.digest_schedule import (
    destination,
    last_occurrence,
    parse_schedule,
    send_scheduled,
)
from bot.sessions.reflection import GRACE, ReflectionSteps
from bot.sessions.when import WEEKDAYS
from bot.trust import quiet_voices, retention
from storage import meetings as meeting_store
from storage.database import Database
from storage.groups import all_groups
from storage.models import Group, Workspace, id_of, utcnow

log = logging.getLogger("coproduce.scheduler")


def job_id(meeting_id: int, step: str) -> str:
    return f"reflection:{meeting_id}:{step}"


def digest_trigger(group: Group, workspace: Workspace) -> CronTrigger | None:
    """`fri 16:00` in the workspace's zone as a cron; None for `off`, for a group with nowhere
    to post, or a schedule we cannot read (a value stored before settings had ranges)."""
    parsed = parse_schedule(group.digest_schedule)
    if parsed is None or not destination(group)[0]:
        return None
    day, hour, minute = parsed
    return CronTrigger(
        day_of_week=WEEKDAYS[day], hour=hour, minute=minute, timezone=workspace.timezone
    )


class WorkerScheduler:
    """Owns the one AsyncIOScheduler of the worker process."""

    def __init__(
        self,
        *,
        database: Database,
        clock: Callable[[], datetime] = utcnow,
        on_enqueued: Callable[[], None] | None = None,
        reconcile_every: float = 30.0,
    ) -> None:
        self.database = database
        self.steps = ReflectionSteps(database)
        self.clock = clock
        self.on_enqueued = on_enqueued
        self.reconcile_every = reconcile_every
        self.scheduler = AsyncIOScheduler(
            job_defaults={"misfire_grace_time": int(GRACE.total_seconds()), "coalesce": True},
            timezone=UTC,
        )
        self._tasks: set[asyncio.Task[None]] = set()

    async def start(self) -> None:
        self.scheduler.start()
        for name, work, seconds in (
            ("reconcile", self.reconcile, self.reconcile_every),
            ("quiet-voices", self.sweep_quiet_voices, 3600),
            ("retention", self.purge, 86400),
        ):
            self.scheduler.add_job(
                work, "interval", seconds=seconds, id=name, replace_existing=True
            )
        await self.catch_up_digests()
        await self.reconcile()

    async def sweep_quiet_voices(self) -> None:
        self._enqueued(await quiet_voices.sweep(self.database, self.clock()))

    async def purge(self) -> None:
        await retention.purge(self.database, self.clock())
        await self.database.refresh_statistics()

    async def shutdown(self) -> None:
        for task in list(self._tasks):
            await task
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)

    def wake(self) -> None:
        """A reflection window just opened in this process: schedule it now, not at next poll."""
        task = asyncio.get_running_loop().create_task(self.reconcile())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def reconcile(self) -> None:
        """Make the jobs match the rows: add what is missing, run what is overdue."""
        now = self.clock()
        await self._reconcile_digests()
        async with self.database.reading() as session:
            meetings = await meeting_store.reflections_in_progress(session=session)
        for meeting in meetings:
            assert meeting.id is not None
            for step, at in self.steps.due(meeting):
                if at <= now:
                    await self.run_step(meeting.id, step)
                    continue
                self._at(job_id(meeting.id, step), at, self.run_step, meeting.id, step)

    async def _reconcile_digests(self) -> None:
        async with self.database.reading() as session:
            groups = await all_groups(session=session)
        for group, workspace in groups:
            job = f"digest:{group.id}"
            try:
                trigger = digest_trigger(group, workspace)
            except Exception as error:  # one group's bad stored setting stops no other
                log.warning(
                    "digest not scheduled",
                    extra={"group": group.id, "error": type(error).__name__},
                )
                trigger = None
            existing = self.scheduler.get_job(job)
            if trigger is None:
                if existing is not None:
                    existing.remove()
            elif existing is None or repr(existing.trigger) != repr(trigger):
                self.scheduler.add_job(
                    self.run_digest,
                    trigger=trigger,
                    args=[group.id],
                    id=job,
                    replace_existing=True,
                )

    async def catch_up_digests(self) -> None:
        """A worker that was down at digest time sends it when it starts, within the grace
        period; sending is keyed by the period, so it never goes twice."""
        now = self.clock()
        async with self.database.reading() as session:
            groups = await all_groups(session=session)
        for group, workspace in groups:
            try:
                due = last_occurrence(group.digest_schedule, workspace.timezone, now)
            except Exception:
                continue  # logged by _reconcile_digests
            if due is not None and destination(group)[0] and now - due <= timedelta(hours=12):
                await self.run_digest(id_of(group))

    async def run_digest(self, group_id: int) -> None:
        await self._guarded(
            "digest",
            {"group": group_id},
            lambda: send_scheduled(self.database, group_id, self.clock()),
        )

    async def run_step(self, meeting_id: int, step: str) -> None:
        await self._guarded(
            "reflection step",
            {"meeting": meeting_id, "step": step},
            lambda: self.steps.run(meeting_id, step, self.clock()),
        )

    async def _guarded(
        self, what: str, ids: dict[str, object], work: Callable[[], Awaitable[int | bool]]
    ) -> None:
        """Run one job; a failure is logged by id and type, and the next reconcile tries again."""
        try:
            queued = await work()
        except Exception as error:
            log.warning(f"{what} failed", extra={**ids, "error": type(error).__name__})
            return
        log.info(f"{what} done", extra=ids)
        self._enqueued(int(queued))

    def _at(
        self, job: str, at: datetime, work: Callable[..., Awaitable[None]], *args: object
    ) -> None:
        """Keep one job due at `at` (ids only in `args`); leave it if it already is."""
        existing = self.scheduler.get_job(job)
        if existing is not None and existing.next_run_time == at:
            return
        self.scheduler.add_job(
            work, trigger=DateTrigger(run_date=at), args=list(args), id=job, replace_existing=True
        )

    def _enqueued(self, count: int) -> None:
        if count and self.on_enqueued is not None:
            self.on_enqueued()
