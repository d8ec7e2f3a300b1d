"""Delivering outbox messages on Teams: continue a personal chat, or start one first."""

from __future__ import annotations

import json
from typing import Any

import aiohttp
from botbuilder.core import TurnContext
from botbuilder.integration.aiohttp import CloudAdapter
from botbuilder.schema import (
    Activity,
    ChannelAccount,
    ConversationParameters,
    ConversationReference,
)
from msrest.exceptions import HttpOperationError

from adapters.teams.activities import card_activity
from bot.runtime.delivery import DeliveryFailed, RateLimited, Recipient
from bot.seam.messages import Message

TRANSIENT_STATUSES = frozenset({408, 412, 500, 502, 503, 504})


def _status_and_retry_after(error: HttpOperationError) -> tuple[int | None, float]:
    response: Any = error.response
    status = getattr(response, "status_code", None) or getattr(response, "status", None)
    headers = getattr(response, "headers", None) or {}
    return status, float(headers.get("Retry-After", "1") or 1)


class TeamsMessenger:
    """Proactive 1:1 messages through the same CloudAdapter that serves /api/messages."""

    # Teams allows several messages a second per conversation; stay well inside it.
    pacing_interval = 0.25
    # Teams limits each conversation, not the whole tenant, at the rates we send.
    workspace_pacing_interval = 0.0

    def __init__(self, adapter: CloudAdapter, app_id: str) -> None:
        self.adapter = adapter
        self.app_id = app_id

    def pacing_key(self, recipient: Recipient) -> str:
        return f"teams:{recipient.workspace}:{recipient.channel or recipient.person}"

    async def deliver(
        self, recipient: Recipient, message: Message, *, activity: Activity | None = None
    ) -> str | None:
        """Send a message (or a ready-made activity, such as a file-consent card) 1:1."""
        if not recipient.address:
            raise DeliveryFailed("no_address", permanent=True)
        address = json.loads(recipient.address)
        activity = activity or card_activity(message)

        async def send(context: TurnContext) -> None:
            # A proactive message replies to nothing: without this the continuation's made-up
            # id becomes replyToId and the post lands as a reply to a message that isn't there.
            context.activity.id = None
            await context.send_activity(activity)

        try:
            if "reference" in address:
                reference = ConversationReference().deserialize(address["reference"])
                await self.adapter.continue_conversation(reference, send, self.app_id)
                return None
            return await self._start_chat(address["create"], send)
        except HttpOperationError as error:
            status, retry_after = _status_and_retry_after(error)
            if status == 429:
                raise RateLimited(retry_after) from None
            raise DeliveryFailed(
                f"http_{status}", permanent=status not in TRANSIENT_STATUSES
            ) from None
        except (TimeoutError, aiohttp.ClientError, OSError) as error:
            raise DeliveryFailed(type(error).__name__, permanent=False) from None

    async def _start_chat(self, create: dict[str, Any], send: Any) -> str:
        """Open a personal chat with someone new; return its address so next time continues it."""
        created: dict[str, Any] = {}

        async def on_created(context: TurnContext) -> None:
            reference = TurnContext.get_conversation_reference(context.activity)
            created["reference"] = reference.serialize()
            await send(context)

        bot = create.get("bot") or {}
        parameters = ConversationParameters(
            is_group=False,
            bot=ChannelAccount(id=bot.get("id"), name=bot.get("name")),
            members=[ChannelAccount(id=create["user"]["id"], name=create["user"].get("name"))],
            tenant_id=create.get("tenantId"),
            channel_data={"tenant": {"id": create.get("tenantId")}},
        )
        await self.adapter.create_conversation(
            self.app_id,
            on_created,
            parameters,
            channel_id="msteams",
            service_url=create["serviceUrl"],
        )
        reference = created["reference"]
        reference["user"] = create["user"]
        return json.dumps({"reference": reference})
