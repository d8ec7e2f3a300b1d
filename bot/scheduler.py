"""Timed work: APScheduler runs reflection steps at their moments, from jobs kept in the
database, and the hourly quiet-voices sweep and daily retention purge.

The meeting rows are the source of truth; `reconcile` makes the job store match them, so a job
lost in a crash is recreated, and a step that came due while no worker ran is done at once (the
step itself applies the grace period). Job arguments are ids only, never text.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import UTC, datetime

from apscheduler.jobstores.memory import MemoryJobStore
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.date import DateTrigger
from sqlmodel import select

from bot import quiet_voices, retention
from bot.digest_schedule import next_occurrence, send_scheduled
from bot.reflection import GRACE, ReflectionSteps
from storage import meetings as meeting_store
from storage.database import Database, sync_url
from storage.models import Workspace, utcnow

log = logging.getLogger("coproduce.scheduler")

JOB_TABLE = "apscheduler_jobs"
_active: WorkerScheduler | None = None


async def run_digest(workspace_id: int) -> None:
    """The weekly digest job, stored by name like `run_step`."""
    if _active is not None:
        await _active.run_digest(workspace_id)


async def run_step(meeting_id: int, step: str) -> None:
    """The job function APScheduler stores by name; it finds the running scheduler."""
    if _active is not None:
        await _active.run_step(meeting_id, step)


def job_id(meeting_id: int, step: str) -> str:
    return f"reflection:{meeting_id}:{step}"


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
            jobstores={
                "default": SQLAlchemyJobStore(url=sync_url(database.url), tablename=JOB_TABLE),
                "memory": MemoryJobStore(),
            },
            job_defaults={"misfire_grace_time": int(GRACE.total_seconds()), "coalesce": True},
            timezone=UTC,
        )
        self._tasks: set[asyncio.Task[None]] = set()

    async def start(self) -> None:
        global _active
        _active = self
        self.scheduler.start()
        # Recurring work is held in memory and registered again at every start.
        for name, func, seconds in (
            ("reconcile", self.reconcile, self.reconcile_every),
            ("quiet-voices", self.sweep_quiet_voices, 3600),
            ("retention", self.purge, 86400),
        ):
            self.scheduler.add_job(
                func,
                "interval",
                seconds=seconds,
                jobstore="memory",
                id=name,
                replace_existing=True,
            )
        await self.reconcile()

    async def sweep_quiet_voices(self) -> None:
        queued = await quiet_voices.sweep(self.database, self.clock())
        if queued and self.on_enqueued is not None:
            self.on_enqueued()

    async def purge(self) -> None:
        await retention.purge(self.database, self.clock())
        await self.database.refresh_statistics()

    async def shutdown(self) -> None:
        global _active
        for task in list(self._tasks):
            await task
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)
        if _active is self:
            _active = None

    def wake(self) -> None:
        """A reflection window just opened in this process: schedule it now, not at next poll."""
        task = asyncio.get_running_loop().create_task(self.reconcile())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def reconcile(self) -> None:
        """Make the job store match the meetings: add what is missing, run what is overdue."""
        now = self.clock()
        await self._reconcile_digests(now)
        async with self.database.reading() as session:
            meetings = await meeting_store.reflections_in_progress(session=session)
        for meeting in meetings:
            for step, at in self.steps.due(meeting):
                if at <= now:
                    await self.run_step(meeting.id, step)  # type: ignore[arg-type]
                    continue
                self._ensure_job(
                    job_id(meeting.id, step),  # type: ignore[arg-type]
                    "bot.scheduler:run_step",
                    at,
                    [meeting.id, step],
                )

    async def _reconcile_digests(self, now: datetime) -> None:
        async with self.database.reading() as session:
            workspaces = (await session.exec(select(Workspace))).all()
        for workspace in workspaces:
            job = f"digest:{workspace.id}"
            try:
                due = next_occurrence(workspace.digest_schedule, workspace.timezone, now)
            except Exception as error:  # one workspace's bad stored setting stops no other
                log.warning(
                    "digest not scheduled",
                    extra={"workspace": workspace.id, "error": type(error).__name__},
                )
                due = None
            if due is None or not workspace.digest_channel:
                if self.scheduler.get_job(job) is not None:
                    self.scheduler.remove_job(job)
                continue
            self._ensure_job(job, "bot.scheduler:run_digest", due, [workspace.id])

    async def run_digest(self, workspace_id: int) -> None:
        try:
            queued = await send_scheduled(self.database, workspace_id, self.clock())
        except Exception as error:
            log.warning(
                "digest failed", extra={"workspace": workspace_id, "error": type(error).__name__}
            )
            return
        if queued and self.on_enqueued is not None:
            self.on_enqueued()
        await self._reconcile_digests(self.clock())  # schedule next week's

    def _ensure_job(self, job: str, func: str, at: datetime, args: list[object]) -> None:
        """Keep one stored job due at `at` (ids only in `args`); leave it if it already is."""
        existing = self.scheduler.get_job(job)
        if existing is not None and existing.next_run_time == at:
            return
        self.scheduler.add_job(
            func,
            trigger=DateTrigger(run_date=at),
            args=args,
            id=job,
            replace_existing=True,
            jobstore="default",
        )

    async def run_step(self, meeting_id: int, step: str) -> None:
        try:
            queued = await self.steps.run(meeting_id, step, self.clock())
        except Exception as error:  # the next reconcile tries again
            log.warning(
                "reflection step failed",
                extra={"meeting": meeting_id, "step": step, "error": type(error).__name__},
            )
            return
        log.info("reflection step done", extra={"meeting": meeting_id, "step": step})
        if queued and self.on_enqueued is not None:
            self.on_enqueued()
