"""Who is in a Teams channel, group chat or meeting chat: the roster, through the connector."""

from __future__ import annotations

from typing import Any

from botbuilder.core import TurnContext
from botbuilder.core.teams import TeamsInfo

from adapters.teams import translate
from bot.seam.events import Actor, Conversation


class TeamsRoster:
    def __init__(self, context: TurnContext, activity: dict[str, Any]) -> None:
        self.context = context
        self.activity = activity

    async def members(self, conversation: Conversation) -> list[Actor]:
        bot_id = (self.activity.get("recipient") or {}).get("id")
        tenant = translate.tenant_of(self.activity)
        people = []
        for member in await TeamsInfo.get_members(self.context):
            if member.id == bot_id or str(member.id).startswith("28:"):
                continue
            account = {"id": member.id, "name": member.name}
            people.append(
                Actor(
                    translate.PLATFORM,
                    tenant,
                    member.id,
                    member.name,
                    address=translate.new_chat_address(self.activity, account),
                )
            )
        return people
