"""Building the CloudAdapter from settings and serving `POST /api/messages` safely."""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass

import aiohttp
import jwt
from aiohttp import web
from botbuilder.core import TurnContext
from botbuilder.integration.aiohttp import (
    CloudAdapter,
    ConfigurationBotFrameworkAuthentication,
)

from adapters.teams.activities import INCOMING
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


# A bearer token shaped like a JWT: three base64url parts. Anything else is refused before the
# body is read, so an unauthenticated caller cannot make us parse 1 MB of nested brackets.
_BEARER = re.compile(r"^Bearer [A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$")


def _refused(status: int, error: str) -> web.Response:
    return web.json_response({"error": error}, status=status)


def messages_route(  # type: ignore[no-untyped-def]
    adapter: CloudAdapter, bot: CoproduceTeamsBot, *, authenticated: bool = True
):
    """The `/api/messages` handler: authentication first, then the body; a clear 4xx for
    anything wrong, and never a 500."""

    async def handle(request: web.Request) -> web.StreamResponse:
        if authenticated and not _BEARER.match(request.headers.get("Authorization", "")):
            return _refused(401, "a Bot Framework token is required")
        if "application/json" not in request.headers.get("Content-Type", ""):
            return _refused(415, "expected application/json")
        try:
            body = json.loads(await request.text())
        except (ValueError, RecursionError, UnicodeDecodeError):
            return _refused(400, "malformed JSON")
        if not isinstance(body, dict) or not isinstance(body.get("type"), str):
            return _refused(400, "expected an activity with a type")
        INCOMING.set(body)
        try:
            response = await adapter.process(request, bot)
        except web.HTTPException:
            raise
        except (PermissionError, jwt.PyJWTError):
            return _refused(401, "the token was not accepted")
        except (aiohttp.ClientError, OSError, TimeoutError) as error:
            # The token could not be checked (Microsoft's keys out of reach): try again later.
            log.warning("token check unavailable", extra={"error": type(error).__name__})
            return web.json_response(
                {"error": "try again later"}, status=503, headers={"Retry-After": "5"}
            )
        except (ValueError, TypeError, KeyError, AttributeError, RecursionError):
            return _refused(400, "malformed activity")
        return response or web.Response(status=201)

    return handle
