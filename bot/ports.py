"""What the engine may ask of a platform during a turn, implemented by each adapter."""

from __future__ import annotations

from typing import Protocol

from bot.events import Actor, Conversation


class Roster(Protocol):
    """The human members of a group conversation (the bot left out)."""

    async def members(self, conversation: Conversation) -> list[Actor]: ...
