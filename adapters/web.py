"""The composition root: one aiohttp application serving every HTTP route in DESIGN.md §4."""

from __future__ import annotations

import logging

import aiohttp
from aiohttp import web
from slack_sdk.web.async_client import AsyncWebClient

from adapters.settings import Settings
from adapters.slack.app import build_slack_app, events_route
from adapters.teams.app import TeamsCredentials, build_adapter, messages_route
from adapters.teams.bot import CoproduceTeamsBot
from bot.engine import Engine
from storage.database import Database
from storage.migrate import schema_is_current

log = logging.getLogger("coproduce.web")


async def create_app(*, settings: Settings, engine: Engine, database: Database) -> web.Application:
    """Routes for the platforms that are configured, plus health and readiness."""
    app = web.Application(client_max_size=1024 * 1024)

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
        return web.json_response({"status": "ready"})

    app.router.add_get("/healthz", healthz)
    app.router.add_get("/readyz", readyz)

    if settings.slack_enabled:
        # One HTTP session for every Web API call: slack_sdk would otherwise open one per call.
        session = aiohttp.ClientSession()
        client = AsyncWebClient(
            token=settings.SLACK_BOT_TOKEN, base_url=settings.SLACK_API_URL, session=session
        )
        bolt = build_slack_app(
            engine=engine,
            signing_secret=settings.SLACK_SIGNING_SECRET or "",
            client=client,
        )
        app.router.add_post("/slack/events", events_route(bolt))

        async def close_session(_: web.Application) -> None:
            await session.close()

        app.on_cleanup.append(close_session)

    if settings.teams_enabled:
        adapter = build_adapter(
            TeamsCredentials(
                APP_ID=settings.MICROSOFT_APP_ID or "",
                APP_PASSWORD=settings.MICROSOFT_APP_PASSWORD or "",
                APP_TYPE=settings.MICROSOFT_APP_TYPE or "MultiTenant",
                APP_TENANTID=settings.MICROSOFT_APP_TENANT_ID or "",
            )
        )
        app.router.add_post("/api/messages", messages_route(adapter, CoproduceTeamsBot(engine)))
    return app
