"""Who is in a Slack channel: conversations.members, less bots and deactivated accounts."""

from __future__ import annotations

from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack import translate
from bot.events import Actor, Conversation


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
        people = []
        for user_id in ids:
            if user_id == self.bot_user_id:
                continue
            user = (await self.client.users_info(user=user_id))["user"]
            if user.get("is_bot") or user.get("deleted") or user_id == "USLACKBOT":
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
