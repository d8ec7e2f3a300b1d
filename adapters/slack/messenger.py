"""Delivering outbox messages on Slack: conversations.open for DMs, then chat.postMessage."""

from __future__ import annotations

import json

import aiohttp
from cachetools import LRUCache
from slack_sdk.errors import SlackApiError
from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack import render
from bot.runtime.delivery import DeliveryFailed, RateLimited, Recipient
from bot.seam.messages import Message

# Errors that no retry can fix: the person or channel is gone, or the bot was removed.
PERMANENT_ERRORS = frozenset(
    {
        "account_inactive",
        "channel_not_found",
        "user_not_found",
        "users_not_found",
        "user_disabled",
        "not_in_channel",
        "is_archived",
        "cannot_dm_bot",
        "invalid_blocks",
        "msg_too_long",
        "no_text",
        "invalid_auth",
        "not_authed",
        "token_revoked",
        "missing_scope",
    }
)


DM_CHANNELS = 10_000


class SlackMessenger:
    """Sends neutral messages through one shared AsyncWebClient (no SDK retries: ours decide)."""

    # Slack allows about one message a second per channel; a DM is a channel of its own.
    pacing_interval = 1.0
    # chat.postMessage also has a workspace-wide limit that Slack does not publish; ten a
    # second keeps a 500-person fan-out to under a minute without meeting it.
    workspace_pacing_interval = 0.1

    def __init__(
        self, client: AsyncWebClient, *, installations: AsyncInstallationStore | None = None
    ) -> None:
        self.client = client
        self.installations = installations
        # Bounded: a person's DM channel is cheap to look up again (conversations.open).
        self._dm_channels: LRUCache[tuple[str, str], str] = LRUCache(maxsize=DM_CHANNELS)

    async def _token(self, workspace: str) -> dict[str, str]:
        """With multi-workspace installs, each workspace's own bot token; else the client's."""
        if self.installations is None:
            return {}
        bot = await self.installations.async_find_bot(enterprise_id=None, team_id=workspace)
        if bot is None or not bot.bot_token:
            raise DeliveryFailed("not_installed", permanent=True)
        return {"token": bot.bot_token}

    def pacing_key(self, recipient: Recipient) -> str:
        return f"slack:{recipient.workspace}:{recipient.channel or recipient.person}"

    async def _dm_channel(self, recipient: Recipient) -> str:
        user = recipient.person
        if recipient.address:
            user = json.loads(recipient.address).get("user", user)
        if not user:
            raise DeliveryFailed("no_recipient", permanent=True)
        key = (recipient.workspace, user)
        if key not in self._dm_channels:
            opened = await self.client.conversations_open(
                users=user, **await self._token(recipient.workspace)
            )
            self._dm_channels[key] = opened["channel"]["id"]
        return self._dm_channels[key]

    async def deliver(self, recipient: Recipient, message: Message) -> str | None:
        try:
            channel = recipient.channel or await self._dm_channel(recipient)
            await self.client.chat_postMessage(
                channel=channel,
                text=render.fallback_text(message),
                blocks=render.blocks(message),
                **await self._token(recipient.workspace),
            )
        except SlackApiError as error:
            response = error.response
            if response.status_code == 429:
                raise RateLimited(float(response.headers.get("Retry-After", "1"))) from None
            code = str(response.get("error", "unknown_error"))
            raise DeliveryFailed(code, permanent=code in PERMANENT_ERRORS) from None
        except (TimeoutError, aiohttp.ClientError) as error:
            raise DeliveryFailed(type(error).__name__, permanent=False) from None
        return None
