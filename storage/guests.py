"""Guests: people taking part by email and a private page, each invited to one group."""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import delete
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Group, GroupMember, GroupRole, Guest, Person, Role, Workspace, id_of

PLATFORM = "guests"


async def find(*, session: AsyncSession, group_id: int, email: str) -> Guest | None:
    query = select(Guest).where(col(Guest.group_id) == group_id, col(Guest.email) == email)
    return (await session.exec(query)).first()


async def invite(
    *,
    session: AsyncSession,
    workspace_id: int,
    group_id: int,
    email: str,
    name: str,
    invited_by_id: int,
    now: datetime,
) -> tuple[Guest, Person, bool]:
    """The group's guest with this address, made (or brought back) if need be; True when
    this invitation is new. The caller gives them a link (`set_link`)."""
    guest = await find(session=session, group_id=group_id, email=email)
    if guest is not None and guest.removed_at is None:
        person = await session.get(Person, guest.person_id)
        assert person is not None
        return guest, person, False
    if guest is not None:
        person = await session.get(Person, guest.person_id)
        assert person is not None
        guest.removed_at = None
        guest.invited_at = now
        guest.invited_by_id = invited_by_id
    else:
        person = Person(
            workspace_id=workspace_id,
            external_id=f"guest-{secrets.token_hex(12)}",
            display_name=name,
            role=Role.MEMBER,
            platform=PLATFORM,
            created_at=now,
        )
        session.add(person)
        await session.flush()
        guest = Guest(
            person_id=id_of(person),
            group_id=group_id,
            email=email,
            invited_by_id=invited_by_id,
            invited_at=now,
        )
        session.add(guest)
        await session.flush()
        person.direct_address = str(guest.id)
    session.add(
        GroupMember(
            group_id=group_id, person_id=id_of(person), role=GroupRole.MEMBER, joined_at=now
        )
    )
    await session.flush()
    return guest, person, True


def set_link(guest: Guest, *, salt: str, link_hash: str) -> None:
    """A new link for the guest: the old one stops working at once."""
    guest.link_salt = salt
    guest.link_hash = link_hash


async def by_link(
    *, session: AsyncSession, link_hash: str
) -> tuple[Guest, Person, Group, Workspace] | None:
    query = (
        select(Guest, Person, Group, Workspace)
        .join(Person, col(Person.id) == Guest.person_id)
        .join(Group, col(Group.id) == Guest.group_id)
        .join(Workspace, col(Workspace.id) == Person.workspace_id)
        .where(col(Guest.link_hash) == link_hash)
    )
    row = (await session.exec(query)).first()
    return None if row is None else (row[0], row[1], row[2], row[3])


async def get(*, session: AsyncSession, guest_id: int) -> Guest | None:
    return await session.get(Guest, guest_id)


async def of_group(*, session: AsyncSession, group_id: int) -> list[tuple[Guest, Person]]:
    """The group's guests who have not been removed, in the order they were invited."""
    query = (
        select(Guest, Person)
        .join(Person, col(Person.id) == Guest.person_id)
        .where(col(Guest.group_id) == group_id, col(Guest.removed_at).is_(None))
        .order_by(col(Guest.id))
    )
    return [(guest, person) for guest, person in (await session.exec(query)).all()]


async def remove(*, session: AsyncSession, guest: Guest, now: datetime) -> None:
    """Their link stops at once and they leave the group; what they shared stays."""
    guest.removed_at = now
    guest.link_salt = None
    guest.link_hash = None
    await session.execute(
        delete(GroupMember).where(
            col(GroupMember.group_id) == guest.group_id,
            col(GroupMember.person_id) == guest.person_id,
        )
    )


async def of_person(*, session: AsyncSession, person_id: int) -> Guest | None:
    query = select(Guest).where(col(Guest.person_id) == person_id)
    return (await session.exec(query)).first()


async def emails(*, session: AsyncSession, guest_id: int, off: bool) -> None:
    """The guest's own choice: no email at all (their page still works), or email again."""
    guest = await session.get(Guest, guest_id)
    if guest is not None:
        guest.emails_off = off
