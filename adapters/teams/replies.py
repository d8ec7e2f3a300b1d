"""The turn's own reply, posted to the Bot Connector on the shared aiohttp session.

botbuilder's `send_activity` serialises and validates the whole activity with msrest and sends
it through msrest's pipeline: in a measurement that was a third of a Teams turn's CPU
(docs/benchmarks.md). A reply to the activity in hand needs none of that: it is the card, the
addresses reversed, and the bot's token, posted to the same Connector URL botbuilder would use
(`POST {serviceUrl}/v3/conversations/{id}/activities/{replyToId}`). Authentication of the
incoming request, proactive messages and everything else stay with botbuilder.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

import aiohttp
from botbuilder.core import TurnContext
from botframework.connector.auth import AppCredentials, AuthenticationConstants

from adapters.teams import render
from bot.seam.messages import Message

ADAPTIVE_CARD = "application/vnd.microsoft.card.adaptive"
ANONYMOUS_SKILL_APP_ID = AuthenticationConstants.ANONYMOUS_SKILL_APP_ID


class ReplyFailed(Exception):
    """The Connector refused the reply (its status code is the message)."""


class BotToken:
    """The bot's bearer token from botbuilder's own credentials (MSAL caches and refreshes it).

    Asked for off the event loop, because a refresh is a blocking call to Microsoft's login
    service, and kept for a minute so that a busy bot does not cross threads for every reply.
    MSAL hands out only tokens with minutes of life left, so a minute-old copy is still good.
    """

    lifetime = 60.0

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self._kept: dict[int, tuple[str, float]] = {}

    async def header(self, credentials: AppCredentials | None) -> dict[str, str]:
        # No app id (dev mode) means no token, as botbuilder's signed_session decides.
        app_id = getattr(credentials, "microsoft_app_id", None)
        if credentials is None or not app_id or app_id == ANONYMOUS_SKILL_APP_ID:
            return {}
        kept = self._kept.get(id(credentials))
        now = self.clock()
        if kept is None or now - kept[1] >= self.lifetime:
            token = await asyncio.to_thread(credentials.get_access_token)
            kept = self._kept[id(credentials)] = (token, now)
        return {"Authorization": f"Bearer {kept[0]}"}


def reply_json(incoming: dict[str, Any], message: Message) -> dict[str, Any]:
    """The card as a reply to `incoming`, addressed as botbuilder's apply_conversation_reference
    would address it."""
    reply: dict[str, Any] = {
        "type": "message",
        "from": incoming.get("recipient"),
        "recipient": incoming.get("from"),
        "conversation": incoming.get("conversation"),
        "channelId": incoming.get("channelId"),
        "serviceUrl": incoming.get("serviceUrl"),
        "replyToId": incoming.get("id"),
        "attachments": [{"contentType": ADAPTIVE_CARD, "content": render.card(message)}],
        "summary": message.summary,
    }
    if incoming.get("locale"):
        reply["locale"] = incoming["locale"]
    return reply


class TurnReplies:
    """Posts replies to the turn's activity; one session and token cache for the process."""

    def __init__(self, token: BotToken | None = None) -> None:
        self.token = token or BotToken()
        self._http: aiohttp.ClientSession | None = None

    async def close(self) -> None:
        if self._http is not None:
            await self._http.close()

    async def send(self, context: TurnContext, incoming: dict[str, Any], message: Message) -> None:
        connector = context.turn_state.get(context.adapter.BOT_CONNECTOR_CLIENT_KEY)
        credentials = getattr(getattr(connector, "config", None), "credentials", None)
        service_url = str(incoming.get("serviceUrl") or "").rstrip("/")
        conversation = quote(str((incoming.get("conversation") or {}).get("id", "")), safe="")
        url = f"{service_url}/v3/conversations/{conversation}/activities"
        if incoming.get("id"):
            url += "/" + quote(str(incoming["id"]), safe="")
        if self._http is None:
            self._http = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30))
        headers = await self.token.header(credentials)
        async with self._http.post(
            url, json=reply_json(incoming, message), headers=headers
        ) as response:
            if response.status >= 400:
                raise ReplyFailed(str(response.status))
