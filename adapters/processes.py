"""The long-running processes behind `coproduce serve` and `worker`, and what a platform's own
process (the console, Slack's Socket Mode) builds on: the database, worker and scheduler."""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass
from datetime import timedelta

from aiohttp import web

from adapters.registry import Platforms, build_platforms
from adapters.report.routes import ReportSite
from adapters.settings import Settings
from adapters.web import create_app
from bot.engine import Engine
from bot.runtime.delivery import ImmediateDelivery, Messenger, OutboxWorker
from bot.runtime.scheduler import WorkerScheduler
from storage.database import Database
from storage.migrate import upgrade
from storage.people import follow_admin_list

log = logging.getLogger("coproduce")


async def open_database(settings: Settings, admins: frozenset[str] | None = None) -> Database:
    """The database, migrated first when it is a local SQLite file (PostgreSQL: `release`),
    with its stored admins made to match COPRODUCE_ADMINS: someone taken off the list is an
    admin no longer from this start on."""
    database = Database(settings.DATABASE_URL, pool_size=settings.DATABASE_POOL_SIZE)
    if database.sqlite_path is not None:
        database.sqlite_path.parent.mkdir(parents=True, exist_ok=True)
    if database.dialect == "sqlite":
        await upgrade(settings.DATABASE_URL)
        await database.refresh_statistics()
    async with database.transaction() as session:
        changed = await follow_admin_list(
            session=session, admins=settings.admins if admins is None else admins
        )
    if changed:
        log.info("admins follow COPRODUCE_ADMINS", extra={"changed": changed})
    return database


def _stop_on_signals() -> asyncio.Event:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    return stop


def worker_for(
    settings: Settings, database: Database, messengers: dict[str, Messenger]
) -> OutboxWorker:
    return OutboxWorker(
        database=database,
        messengers=messengers,
        lease=timedelta(seconds=settings.COPRODUCE_DELIVERY_LEASE_SECONDS),
    )


@dataclass
class Running:
    """What every long-running process has: the database, the engine, the platforms, the
    outbox worker, and the event that SIGTERM or SIGINT sets."""

    database: Database
    engine: Engine
    platforms: Platforms
    worker: OutboxWorker
    stop: asyncio.Event


@asynccontextmanager
async def running(settings: Settings, *, with_worker: bool) -> AsyncIterator[Running]:
    """Start what a process needs, and on leaving stop it in order: the caller's own part first
    (HTTP, a socket), then replies in flight, the worker and its scheduler, the platforms' HTTP
    sessions, and the database. `with_worker` runs the outbox and the scheduler in-process."""
    database = await open_database(settings)
    engine = Engine(database=database, config=settings.engine_config())
    platforms = await build_platforms(settings, engine)
    worker = worker_for(settings, database, platforms.messengers)
    engine.immediate = ImmediateDelivery(worker)
    stop = _stop_on_signals()
    scheduler = await scheduler_for(database, engine, worker) if with_worker else None
    delivering = asyncio.create_task(worker.run(stop)) if with_worker else None
    try:
        yield Running(database, engine, platforms, worker, stop)
    finally:
        stop.set()
        await engine.immediate.settled()
        if delivering is not None:
            with suppress(asyncio.CancelledError):
                await delivering
        if scheduler is not None:
            await scheduler.shutdown()
        await platforms.close()
        await database.dispose()


async def serve(settings: Settings, *, with_worker: bool) -> None:
    """HTTP for the platforms; with the worker embedded unless `--no-worker`."""
    async with running(settings, with_worker=with_worker) as process:
        app = create_app(
            platforms=process.platforms,
            database=process.database,
            privacy_file=settings.COPRODUCE_PRIVACY_FILE,
            terms_file=settings.COPRODUCE_TERMS_FILE,
            report=ReportSite(
                database=process.database,
                secret_key=settings.COPRODUCE_SECRET_KEY,
                public_url=settings.COPRODUCE_PUBLIC_URL,
                clock=process.engine.clock,
            )
            if settings.report_on
            else None,
        )
        runner = web.AppRunner(app, shutdown_timeout=20)
        await runner.setup()
        await web.TCPSite(runner, settings.bind_host, settings.PORT).start()
        log.info("serving", extra={"host": settings.bind_host, "port": settings.PORT})
        print(f"Coproduce is listening on http://{settings.bind_host}:{settings.PORT}", flush=True)
        for line in settings.platform_report():
            print(line, flush=True)
        print(
            f"Impact report: on, at {settings.COPRODUCE_PUBLIC_URL}/report"
            if settings.report_on
            else "Impact report: off (set COPRODUCE_PUBLIC_URL and COPRODUCE_SECRET_KEY)",
            flush=True,
        )
        try:
            await process.stop.wait()
        finally:
            await runner.cleanup()  # finishes in-flight requests first


async def work(settings: Settings) -> None:
    """The `worker` process: delivers the outbox and runs the scheduler until SIGTERM."""
    async with running(settings, with_worker=True) as process:
        print("Coproduce worker started.", flush=True)
        await process.stop.wait()


async def scheduler_for(
    database: Database, engine: Engine, worker: OutboxWorker, *, reconcile_every: float = 30.0
) -> WorkerScheduler:
    scheduler = WorkerScheduler(
        database=database, on_enqueued=worker.wake, reconcile_every=reconcile_every
    )
    engine.on_enqueued = worker.wake
    engine.on_scheduled = scheduler.wake
    await scheduler.start()
    return scheduler
