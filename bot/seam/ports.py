"""What the engine may ask of a platform during a turn, implemented by each adapter."""

from __future__ import annotations

from typing import Protocol

from bot.seam.events import Actor, Conversation


class Roster(Protocol):
    """The human members of a group conversation (the bot left out)."""

    async def members(self, conversation: Conversation) -> list[Actor]: ...


class FetchedRoster:
    """A roster asked of the platform before the database transaction began: nothing waits on
    a platform while holding a transaction (on SQLite, the process's one write turn)."""

    def __init__(self, conversation: Conversation, people: list[Actor]) -> None:
        self.conversation = conversation
        self.people = people

    async def members(self, conversation: Conversation) -> list[Actor]:
        return list(self.people) if conversation == self.conversation else []
