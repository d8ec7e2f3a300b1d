"""The state one event is handled with: who acted, where, inside which transaction."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.events import Event
from storage.models import Person, Workspace


@dataclass
class Turn:
    session: AsyncSession
    event: Event
    workspace: Workspace
    person: Person
    first_contact: bool

    @property
    def is_facilitator(self) -> bool:
        return self.person.role in ("facilitator", "admin")
