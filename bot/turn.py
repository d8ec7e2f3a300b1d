"""The state one event is handled with: who acted, where, inside which transaction."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.loop.notify import queue_private
from bot.seam.config import EngineConfig
from bot.seam.events import Event
from bot.seam.messages import Message
from bot.seam.ports import Roster
from bot.sessions.reflection_timing import outside_quiet_hours
from storage.models import Person, Role, Workspace, id_of


@dataclass
class Turn:
    session: AsyncSession
    event: Event
    workspace: Workspace
    person: Person
    first_contact: bool
    now: datetime
    config: EngineConfig = field(default_factory=EngineConfig)
    roster: Roster | None = None
    enqueued: int = 0
    scheduled: int = 0  # reflection windows opened: the scheduler should look again
    erased: bool = False  # the person was just erased: nothing more may be written for them
    # Read with the person at the turn's start (None: not known, ask the database).
    small_group: bool | None = None
    reflecting: bool | None = None

    @property
    def workspace_id(self) -> int:
        return id_of(self.workspace)

    @property
    def person_id(self) -> int:
        return id_of(self.person)

    @property
    def is_facilitator(self) -> bool:
        return self.person.role in (Role.FACILITATOR, Role.ADMIN)

    @property
    def is_admin(self) -> bool:
        return self.person.role == Role.ADMIN

    @property
    def timezone(self) -> ZoneInfo:
        return ZoneInfo(self.workspace.timezone)

    async def tell(self, *, person: Person, key: str, kind: str, message: Message) -> bool:
        """Queue a private message in this turn's transaction; the worker delivers it later,
        never in the workspace's quiet hours: news at 23:30 waits for the morning."""
        added = await queue_private(
            self.session,
            person=person,
            key=key,
            kind=kind,
            message=message,
            now=self.now,
            not_before=outside_quiet_hours(self.now, self.timezone, self.workspace.quiet_hours),
        )
        self.enqueued += int(added)
        return added


def name_of(person: Person, fallback: str = "someone") -> str:
    """How to name a person in a message when we know their name."""
    return person.display_name or fallback
