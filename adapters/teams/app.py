"""Building the CloudAdapter from settings and serving `POST /api/messages` safely."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass

from aiohttp import web
from botbuilder.core import TurnContext
from botbuilder.integration.aiohttp import (
    CloudAdapter,
    ConfigurationBotFrameworkAuthentication,
)

from adapters.teams.bot import CoproduceTeamsBot
from adapters.teams.connectors import ReusedConnectors

log = logging.getLogger("coproduce.teams")


@dataclass(frozen=True)
class TeamsCredentials:
    """The shape ConfigurationBotFrameworkAuthentication reads; empty app id means dev mode."""

    APP_ID: str
    APP_PASSWORD: str
    APP_TYPE: str
    APP_TENANTID: str


def build_adapter(credentials: TeamsCredentials) -> CloudAdapter:
    adapter = CloudAdapter(ReusedConnectors(ConfigurationBotFrameworkAuthentication(credentials)))

    async def on_error(context: TurnContext, error: Exception) -> None:
        log.error("turn failed", extra={"error": type(error).__name__})

    adapter.on_turn_error = on_error
    return adapter


def messages_route(adapter: CloudAdapter, bot: CoproduceTeamsBot):  # type: ignore[no-untyped-def]
    """The `/api/messages` handler: clear 4xx answers for bad requests, never a 500."""

    async def handle(request: web.Request) -> web.StreamResponse:
        if "application/json" not in request.headers.get("Content-Type", ""):
            return web.json_response({"error": "expected application/json"}, status=415)
        try:
            body = json.loads(await request.text())
        except (json.JSONDecodeError, UnicodeDecodeError):
            return web.json_response({"error": "malformed JSON"}, status=400)
        if not isinstance(body, dict) or not isinstance(body.get("type"), str):
            return web.json_response({"error": "expected an activity with a type"}, status=400)
        try:
            response = await adapter.process(request, bot)
        except web.HTTPException:
            raise
        except (ValueError, TypeError, KeyError, AttributeError):
            return web.json_response({"error": "malformed activity"}, status=400)
        return response or web.Response(status=201)

    return handle
