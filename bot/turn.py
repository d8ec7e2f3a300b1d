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
from storage import groups as group_store
from storage.models import Group, GroupRole, Person, Role, Workspace, id_of

# What a group-level setting is where no group is in play (a DM from someone in no group).
NO_GROUP = Group(workspace_id=0, name="")


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
    # The group this channel is (None in a DM, or a channel nobody made a group), and the
    # person's role in it.
    group: Group | None = None
    group_role: str | None = None
    facilitates_somewhere: bool = False  # facilitates at least one group
    # Read with the person at the turn's start (None: not known, ask the database).
    groups_joined: int | None = None
    workspace_groups: int | None = None
    _facilitated: list[int] | None = None
    _memberships: list[tuple[Group, str]] | None = None
    _working: tuple[Group | None] | None = None

    @property
    def workspace_id(self) -> int:
        return id_of(self.workspace)

    @property
    def person_id(self) -> int:
        return id_of(self.person)

    @property
    def is_facilitator(self) -> bool:
        """Facilitates here: in a group's channel that group (admins every group); anywhere
        else, any group. Commands about one group check `facilitates` for that group."""
        if self.is_admin:
            return True
        if self.group is not None:
            return self.group_role == GroupRole.FACILITATOR
        return self.facilitates_somewhere

    async def facilitated(self) -> list[int]:
        """The ids of the groups the person facilitates (admins: see `facilitates`)."""
        if self._facilitated is None:
            self._facilitated = await group_store.facilitated(
                session=self.session, person_id=self.person_id
            )
        return self._facilitated

    async def facilitates(self, group_id: int | None) -> bool:
        """Whether the person may run this group: admins every group, others their own.
        Only admins see what belongs to no group."""
        if self.is_admin:
            return True
        if group_id is None:
            return False
        if self.group is not None and self.group.id == group_id:
            return self.group_role == GroupRole.FACILITATOR
        return group_id in await self.facilitated()

    def groups_changed(self) -> None:
        """This turn made a group or joined someone to one: what was read of groups at its
        start is out of date."""
        self.groups_joined = self.workspace_groups = None
        self._memberships = self._facilitated = None
        self._working = None

    async def memberships(self) -> list[tuple[Group, str]]:
        """The groups the person is in, with their role in each."""
        if self._memberships is None and self.groups_joined == 0:
            self._memberships = []
        if self._memberships is None:
            self._memberships = await group_store.memberships(
                session=self.session, person_id=self.person_id
            )
        return self._memberships

    async def working_group(self) -> Group | None:
        """The group a command means: this channel's; in a DM, the person's only group, or
        the workspace's only group (so a workspace with one group works as it always did)."""
        if self._working is None:
            self._working = (await self._find_working_group(),)
        return self._working[0]

    async def _find_working_group(self) -> Group | None:
        if self.group is not None:
            return self.group
        # A DM, or a channel that is no group: the person's only group, if they have one.
        mine = await self.memberships()
        if len(mine) == 1:
            return mine[0][0]
        if mine or self.workspace_groups == 0:
            return None
        every = await group_store.workspace_groups(
            session=self.session, workspace_id=self.workspace_id
        )
        return every[0] if len(every) == 1 else None

    @property
    def is_admin(self) -> bool:
        return self.person.role == Role.ADMIN

    @property
    def timezone(self) -> ZoneInfo:
        return ZoneInfo(self.workspace.timezone)

    async def tell(
        self,
        *,
        person: Person,
        key: str,
        kind: str,
        message: Message,
        group: Group | None = None,
    ) -> bool:
        """Queue a private message in this turn's transaction; the worker delivers it later,
        never in the group's quiet hours: news at 23:30 waits for the morning."""
        quiet_hours = (group or self.group or NO_GROUP).quiet_hours
        added = await queue_private(
            self.session,
            person=person,
            key=key,
            kind=kind,
            message=message,
            now=self.now,
            not_before=outside_quiet_hours(self.now, self.timezone, quiet_hours),
        )
        self.enqueued += int(added)
        return added


def name_of(person: Person, fallback: str = "someone") -> str:
    """How to name a person in a message when we know their name."""
    return person.display_name or fallback
