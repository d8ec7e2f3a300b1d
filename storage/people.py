"""Repository functions for workspaces and people."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import ColumnElement, Select, bindparam, exists, literal
from sqlalchemy import select as select_columns
from sqlalchemy.dialects import postgresql
from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlalchemy.orm import aliased
from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage import sqlite_driver
from storage.models import (
    Group,
    GroupMember,
    GroupRole,
    Idea,
    Meeting,
    MeetingParticipant,
    Person,
    ProcessedDelivery,
    Role,
    Workspace,
    as_utc,
    id_of,
    table_of,
)
from storage.statements import dialect_of
from storage.upserts import insert_if_absent

# The placeholder that erased people's kept ideas and given credits point to.
ERASED_PERSON = "erased-person"


async def ensure_workspace(
    *, session: AsyncSession, platform: str, external_id: str, timezone: str, now: datetime
) -> Workspace:
    """The workspace for a platform team or tenant, created on first contact."""
    query = select(Workspace).where(
        col(Workspace.platform) == platform, col(Workspace.external_id) == external_id
    )
    # Look first: all but the first event find it, and a read costs less than an upsert.
    found = (await session.exec(query)).first()
    if found is not None:
        return found
    await insert_if_absent(
        session,
        Workspace,
        {
            "platform": platform,
            "external_id": external_id,
            "timezone": timezone,
            "created_at": now,
        },
        ["platform", "external_id"],
    )
    return (await session.exec(query)).one()


async def ensure_person(
    *,
    session: AsyncSession,
    workspace_id: int,
    external_id: str,
    display_name: str | None,
    initial_role: str,
    now: datetime,
) -> tuple[Person, bool]:
    """The person behind a platform user id, and whether this call created them."""
    query = select(Person).where(
        col(Person.workspace_id) == workspace_id, col(Person.external_id) == external_id
    )
    person = (await session.exec(query)).first()
    created = False
    if person is None:
        created = await insert_if_absent(
            session,
            Person,
            {
                "workspace_id": workspace_id,
                "external_id": external_id,
                "display_name": display_name,
                "role": initial_role,
                "created_at": now,
            },
            ["workspace_id", "external_id"],
        )
        person = (await session.exec(query)).one()
    if display_name and person.display_name != display_name:
        person.display_name = display_name
    return person, created


@dataclass(frozen=True)
class Arrival:
    """Who acted and where, with two facts most events need, read in one statement."""

    workspace: Workspace
    person: Person
    created: bool  # this call added the person: their first contact
    small_group: bool  # the workspace knows fewer than `safe_size` people
    reflecting: bool  # a meeting's reflection window is open for them
    facilitates: bool  # they facilitate at least one group
    groups_joined: int  # how many groups they are in
    workspace_groups: int  # how many groups the workspace has


@cache
def _arrival_columns(safe_size: int) -> tuple[Any, ...]:
    # Built once: constructing and cache-keying these cost more CPU than running them.
    other = aliased(Person)
    enough_people = exists(
        select_columns(col(other.id))
        .where(
            col(other.workspace_id) == Workspace.id,
            col(other.external_id) != ERASED_PERSON,
        )
        .offset(safe_size - 1)
        .limit(1)
    )
    open_window = exists(
        select_columns(col(MeetingParticipant.id))
        .join(Meeting, col(Meeting.id) == MeetingParticipant.meeting_id)
        .where(
            col(MeetingParticipant.person_id) == Person.id,
            col(MeetingParticipant.prompted_at).is_not(None),
            col(Meeting.closed_at).is_(None),
            col(Meeting.closes_at) > bindparam("now", type_=table_of(Meeting).c.closes_at.type),
        )
    )
    facilitates = exists(
        select_columns(col(GroupMember.id)).where(
            col(GroupMember.person_id) == Person.id,
            col(GroupMember.role) == GroupRole.FACILITATOR,
        )
    )
    # Counted here because a DM'd idea needs both to find its group, and most need neither
    # a second round trip (a person in no group, in a workspace with none or one).
    joined = (
        select_columns(func.count(col(GroupMember.id)))
        .where(col(GroupMember.person_id) == Person.id)
        .scalar_subquery()
    )
    groups = (
        select_columns(func.count(col(Group.id)))
        .where(col(Group.workspace_id) == Workspace.id)
        .scalar_subquery()
    )
    return (Workspace, Person, enough_people, open_window, facilitates, joined, groups)


def _person_of_workspace() -> ColumnElement[bool]:
    return (col(Person.workspace_id) == Workspace.id) & (
        col(Person.external_id) == bindparam("person")
    )


def _the_workspace() -> ColumnElement[bool]:
    return (col(Workspace.platform) == bindparam("platform")) & (
        col(Workspace.external_id) == bindparam("workspace")
    )


@cache
def _arrival_query(safe_size: int) -> Select[Workspace, Person, bool, bool, bool, int, int]:
    return (
        select_columns(*_arrival_columns(safe_size))
        .outerjoin(Person, _person_of_workspace())
        .where(_the_workspace())
    )


_CLAIM_SQL = (
    "INSERT INTO processed_delivery (key, processed_at) VALUES (?, ?) ON CONFLICT DO NOTHING"
)
(_CLAIMED_AT,) = sqlite_driver.bind_processors(
    table_of(ProcessedDelivery), ["processed_at"], sqlite_dialect.dialect()
)


@cache
def _claiming_arrival_query(safe_size: int) -> Select[Any]:
    """The arrival with the delivery's claim in the same statement, for PostgreSQL.

    The claim is a data-modifying WITH, which PostgreSQL runs once whatever the query reads, so
    the row starts from a one-row table: it comes back (claimed or not) even for a workspace
    the database does not know yet. One round trip fewer on every event.
    """
    deliveries = table_of(ProcessedDelivery)
    claimed = (
        postgresql.insert(deliveries)
        .values(
            key=bindparam("delivery"),
            processed_at=bindparam("claimed_at", type_=deliveries.c.processed_at.type),
        )
        .on_conflict_do_nothing(index_elements=["key"])
        .returning(deliveries.c.key)
        .cte("claimed")
    )
    one_row = select_columns(literal(1).label("one")).subquery("one_row")
    return (
        select_columns(exists(select_columns(claimed.c.key)), *_arrival_columns(safe_size))
        .select_from(one_row)
        .outerjoin(Workspace, _the_workspace())
        .outerjoin(Person, _person_of_workspace())
    )


async def arrive(
    *,
    session: AsyncSession,
    platform: str,
    workspace_external_id: str,
    person_external_id: str,
    display_name: str | None,
    initial_role: str,
    timezone: str,
    safe_size: int,
    now: datetime,
    delivery: str | None = None,
) -> Arrival | None:
    """The workspace and person behind an event, created on first contact.

    Every event starts here, so it is one round trip on the common path (both known): the
    person is joined to the workspace, and whether the group is small and whether a reflection
    window is open come back as two EXISTS beside them, instead of three more queries.

    `delivery` is the platform's id for the event: it is claimed first, and committed with the
    work it causes. None means it was claimed before (a retry) and nothing was looked up.
    """
    params = {
        "platform": platform,
        "workspace": workspace_external_id,
        "person": person_external_id,
        "now": now,
    }
    query = _arrival_query(safe_size)
    row: Sequence[Any] | None
    if delivery is None:
        row = (await session.execute(query, params)).first()
    elif dialect_of(session) == "postgresql":
        claiming = _claiming_arrival_query(safe_size)
        claimed, *found = (
            await session.execute(claiming, {**params, "delivery": delivery, "claimed_at": now})
        ).one()
        if not claimed:
            return None
        row = None if found[0] is None else found
    else:
        # SQLite has no writes inside a query: the claim goes in the same hand-off instead.
        claim = await sqlite_driver.with_next_statement(
            session, _CLAIM_SQL, (delivery, _CLAIMED_AT(now))
        )
        row = (await session.execute(query, params)).first()
        if not claim.rowcount:
            return None
    if row is None:
        await ensure_workspace(
            session=session,
            platform=platform,
            external_id=workspace_external_id,
            timezone=timezone,
            now=now,
        )
        row = (await session.execute(query, params)).one()
    workspace, person, enough, reflecting, facilitates, joined, groups = row
    created = False
    if person is None:
        person, created = await ensure_person(
            session=session,
            workspace_id=id_of(workspace),
            external_id=person_external_id,
            display_name=display_name,
            initial_role=initial_role,
            now=now,
        )
        if created and not enough:
            # The newcomer may be the one who makes the group big enough.
            known = await count_members(
                session=session, workspace_id=id_of(workspace), up_to=safe_size
            )
            enough = known >= safe_size
    elif display_name and person.display_name != display_name:
        person.display_name = display_name
    return Arrival(
        workspace=workspace,
        person=person,
        created=created,
        small_group=not enough,
        reflecting=bool(reflecting),
        facilitates=bool(facilitates),
        groups_joined=int(joined or 0),
        workspace_groups=int(groups or 0),
    )


async def workspace_ids(*, session: AsyncSession) -> list[int]:
    """Every workspace's id, oldest first."""
    query = select(Workspace.id).order_by(col(Workspace.id))
    return [int(i) for i in (await session.exec(query)).all() if i is not None]


async def follow_admin_list(*, session: AsyncSession, admins: frozenset[str]) -> int:
    """Make the stored admins exactly the people `admins` names (`platform:user-id`), as far
    as they are known; returns how many roles changed. Run at every start."""
    changed = 0
    rows = (
        await session.exec(
            select(Person, Workspace.platform).join(
                Workspace,
                col(Workspace.id) == Person.workspace_id,
            )
        )
    ).all()
    for person, platform in rows:
        named = f"{platform}:{person.external_id}" in admins or (
            person.alias is not None and f"{platform}:{person.alias}" in admins
        )
        if person.role == Role.ADMIN and not named:
            person.role = Role.MEMBER
            changed += 1
        elif named and person.role != Role.ADMIN:
            person.role = Role.ADMIN
            changed += 1
    return changed


async def count_members(*, session: AsyncSession, workspace_id: int, up_to: int) -> int:
    """People the workspace knows (not the placeholder erased people leave behind), counted
    only as far as `up_to`: the caller asks "at least this many?", and a big workspace's every
    idea must not count all its people."""
    known = (
        select(Person.id)
        .where(
            col(Person.workspace_id) == workspace_id,
            col(Person.external_id) != ERASED_PERSON,
        )
        .limit(up_to)
        .subquery()
    )
    return int((await session.exec(select(func.count()).select_from(known))).one())


async def all_workspaces(*, session: AsyncSession) -> list[Workspace]:
    """Every workspace, oldest first (for the scheduler's digests)."""
    query = select(Workspace).order_by(col(Workspace.id))
    return list((await session.exec(query)).all())


async def get_person(*, session: AsyncSession, person_id: int) -> Person | None:
    return await session.get(Person, person_id)


async def get_workspace(
    *, session: AsyncSession, workspace_id: int, lock: bool = False
) -> Workspace | None:
    """The workspace; `lock` holds its row until the transaction ends (one digest a period)."""
    return await session.get(Workspace, workspace_id, with_for_update=lock)


async def with_roles(
    *, session: AsyncSession, workspace_id: int, roles: tuple[str, ...]
) -> list[Person]:
    """The workspace's people who hold any of `roles`, in the order they arrived."""
    query = (
        select(Person)
        .where(col(Person.workspace_id) == workspace_id, col(Person.role).in_(roles))
        .order_by(col(Person.id))
    )
    return list((await session.exec(query)).all())


async def nudgeable(*, session: AsyncSession, workspace_id: int, now: datetime) -> list[Person]:
    """People who are not paused now or turned nudges off (the erased placeholder left out)."""
    query = select(Person).where(
        col(Person.workspace_id) == workspace_id,
        col(Person.paused).is_(False) | (col(Person.paused_until) <= now),
        col(Person.nudges_off).is_(False),
        col(Person.external_id) != ERASED_PERSON,
    )
    return list((await session.exec(query)).all())


async def last_heard(
    *, session: AsyncSession, person_id: int, named_only: bool = False
) -> datetime | None:
    """When the person last took part: shared an idea, answered a reflection prompt, or was in
    a meeting (speaking in the room counts as much as writing to the bot).

    `named_only` leaves out anonymous ideas and the afterthought answers that go with them: a
    count others see must not change when someone shares anonymously, or it tells who did.
    """
    ideas = select(func.max(Idea.created_at)).where(col(Idea.author_id) == person_id)
    answers = select(func.max(MeetingParticipant.responded_at)).where(
        col(MeetingParticipant.person_id) == person_id
    )
    meetings = (
        select(func.max(Meeting.ended_at))
        .join(MeetingParticipant, col(MeetingParticipant.meeting_id) == Meeting.id)
        .where(col(MeetingParticipant.person_id) == person_id)
    )
    if named_only:
        ideas = ideas.where(col(Idea.anonymous).is_(False))
        answers = answers.where(col(MeetingParticipant.response) == "nothing")
    moments = [
        as_utc(moment)
        for query in (ideas, answers, meetings)
        if (moment := (await session.exec(query)).one()) is not None
    ]
    return max(moments) if moments else None
