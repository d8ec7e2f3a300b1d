"""The composition root: one aiohttp application serving every HTTP route
(docs/architecture.md, "Routes")."""

from __future__ import annotations

import logging
from pathlib import Path

from aiohttp import web

from adapters.metrics import Metrics
from adapters.pages.routes import page_route, read_page
from adapters.registry import Platforms
from adapters.report.routes import ReportSite
from storage.database import Database
from storage.migrate import schema_is_current

log = logging.getLogger("coproduce.web")


def create_app(
    *,
    platforms: Platforms,
    database: Database,
    privacy_file: Path | None = None,
    terms_file: Path | None = None,
    report: ReportSite | None = None,
) -> web.Application:
    """Routes for the platforms that are configured, plus health, readiness, the public
    privacy and terms pages (the operator's own files when named) and, when the settings turn
    it on, the impact report."""
    metrics = Metrics()
    app = web.Application(client_max_size=1024 * 1024, middlewares=[metrics.middleware])

    async def healthz(_: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    async def readyz(_: web.Request) -> web.Response:
        try:
            current = await schema_is_current(database.url, database.engine)
        except Exception as error:
            log.warning("database not reachable", extra={"error": type(error).__name__})
            return web.json_response({"status": "database unreachable"}, status=503)
        if not current:
            return web.json_response({"status": "migrations pending"}, status=503)
        try:
            await database.prove_writable()
        except Exception as error:
            log.warning("database not writable", extra={"error": type(error).__name__})
            return web.json_response({"status": "database not writable"}, status=503)
        return web.json_response({"status": "ready"})

    app.router.add_get("/healthz", healthz)
    app.router.add_get("/readyz", readyz)
    app.router.add_get("/metrics", metrics.route(database))
    app.router.add_get("/privacy", page_route(read_page("privacy", privacy_file)))
    app.router.add_get("/terms", page_route(read_page("terms", terms_file)))
    for route in [*platforms.routes(), *(report.routes() if report else [])]:
        app.router.add_route(route.method, route.path, route.handler)
    return app
