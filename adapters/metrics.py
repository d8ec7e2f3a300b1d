"""`GET /metrics` in Prometheus' text format: HTTP traffic, plus the outbox and the scheduler as
the database sees them (the worker may be another process)."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable

from aiohttp import web
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from sqlalchemy import text

from storage.database import Database

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "coproduce_http_requests",
            "HTTP requests by route and status",
            ["route", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "coproduce_http_request_seconds",
            "Time to answer, by route",
            ["route"],
            registry=self.registry,
        )
        self.outbox = Gauge(
            "coproduce_outbox_messages", "Outbox rows by status", ["status"], registry=self.registry
        )
        self.jobs = Gauge(
            "coproduce_reflection_windows_open",
            "Meetings whose reflection window is open (the scheduler's timed work)",
            registry=self.registry,
        )

    @web.middleware
    async def middleware(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        route = request.match_info.route.resource
        name = route.canonical if route is not None else "unmatched"
        started = time.perf_counter()
        status = 500
        try:
            response = await handler(request)
            status = response.status
            return response
        except web.HTTPException as error:
            status = error.status
            raise
        finally:
            self.requests.labels(name, str(status)).inc()
            self.latency.labels(name).observe(time.perf_counter() - started)

    def route(self, database: Database) -> Handler:
        async def handle(_: web.Request) -> web.Response:
            try:
                async with database.engine.connect() as connection:
                    rows = await connection.execute(
                        text("select status, count(*) from outbox_delivery group by status")
                    )
                    counts = dict(rows.all())
                    jobs = (
                        await connection.execute(
                            text(
                                "select count(*) from meeting where prompt_at is not null "
                                "and closed_at is null"
                            )
                        )
                    ).scalar()
            except Exception:
                counts, jobs = {}, None
            for status in ("pending", "sending", "delivered", "failed"):
                self.outbox.labels(status).set(counts.get(status, 0))
            if jobs is not None:
                self.jobs.set(jobs)
            return web.Response(
                body=generate_latest(self.registry), headers={"Content-Type": CONTENT_TYPE_LATEST}
            )

        return handle
