"""Who is in a Slack channel: conversations.members, less bots and deactivated accounts."""

from __future__ import annotations

import asyncio
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack import translate
from bot.seam.events import Actor, Conversation

# users.info is Tier 4 (100+ a minute): a handful at once stays well inside it.
CONCURRENT_LOOKUPS = 8


class SlackRoster:
    def __init__(self, client: AsyncWebClient, *, team_id: str, bot_user_id: str | None) -> None:
        self.client = client
        self.team_id = team_id
        self.bot_user_id = bot_user_id

    async def members(self, conversation: Conversation) -> list[Actor]:
        ids: list[str] = []
        cursor = None
        while True:
            page = await self.client.conversations_members(
                channel=conversation.id, limit=200, cursor=cursor
            )
            ids.extend(page.get("members", []))
            cursor = (page.get("response_metadata") or {}).get("next_cursor")
            if not cursor:
                break
        ids = [i for i in ids if i not in (self.bot_user_id, "USLACKBOT")]
        # users.info for each member at once, a few at a time, not one after another.
        limit = asyncio.Semaphore(CONCURRENT_LOOKUPS)

        async def lookup(user_id: str) -> dict[str, Any]:
            async with limit:
                return dict((await self.client.users_info(user=user_id))["user"])

        users = await asyncio.gather(*(lookup(user_id) for user_id in ids))
        people = []
        for user_id, user in zip(ids, users, strict=True):
            if user.get("is_bot") or user.get("deleted"):
                continue
            profile = user.get("profile") or {}
            name = profile.get("display_name") or user.get("real_name") or user.get("name")
            people.append(
                Actor(
                    translate.PLATFORM,
                    self.team_id,
                    user_id,
                    name or None,
                    address=translate.address(self.team_id, user_id),
                )
            )
        return people
