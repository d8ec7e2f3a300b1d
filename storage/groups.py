"""Repository functions for groups and who is in them."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import ColumnElement, and_, exists
from sqlalchemy import select as select_columns
from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Group, GroupMember, GroupRole, Idea, Person, Workspace
from storage.people import ERASED_PERSON
from storage.upserts import insert_if_absent


async def locate(
    *, session: AsyncSession, workspace_id: int, channel_id: str, person_id: int
) -> tuple[Group | None, str | None]:
    """The group a channel is, and the person's role in it (None: not a member yet)."""
    query = (
        select(Group, GroupMember.role)
        .outerjoin(
            GroupMember,
            and_(col(GroupMember.group_id) == Group.id, col(GroupMember.person_id) == person_id),
        )
        .where(col(Group.workspace_id) == workspace_id, col(Group.channel_id) == channel_id)
    )
    row = (await session.exec(query)).first()
    if row is None:
        return None, None
    group, role = row
    return group, role


async def get_group(*, session: AsyncSession, group_id: int, lock: bool = False) -> Group | None:
    """The group; `lock` holds its row until the transaction ends (one digest a period)."""
    return await session.get(Group, group_id, with_for_update=lock)


async def create_group(
    *,
    session: AsyncSession,
    workspace_id: int,
    channel_id: str,
    channel_address: str | None,
    name: str,
    now: datetime,
) -> Group:
    """The channel's group, made now unless a concurrent turn just made it."""
    await insert_if_absent(
        session,
        Group,
        {
            "workspace_id": workspace_id,
            "channel_id": channel_id,
            "channel_address": channel_address,
            "name": name,
            "created_at": now,
        },
        ["workspace_id", "channel_id"],
    )
    query = select(Group).where(
        col(Group.workspace_id) == workspace_id, col(Group.channel_id) == channel_id
    )
    return (await session.exec(query)).one()


async def unbound_group(*, session: AsyncSession, workspace_id: int) -> Group | None:
    """The group an upgrade made for a workspace that had no channel yet, if it is waiting."""
    query = select(Group).where(
        col(Group.workspace_id) == workspace_id, col(Group.channel_id).is_(None)
    )
    return (await session.exec(query)).first()


async def workspace_groups(*, session: AsyncSession, workspace_id: int) -> list[Group]:
    """Every group in the workspace, oldest first."""
    query = select(Group).where(col(Group.workspace_id) == workspace_id).order_by(col(Group.id))
    return list((await session.exec(query)).all())


async def all_groups(*, session: AsyncSession) -> list[tuple[Group, Workspace]]:
    """Every group of every workspace, with its workspace (for the scheduler's digests)."""
    query = (
        select(Group, Workspace)
        .join(Workspace, col(Workspace.id) == Group.workspace_id)
        .order_by(col(Group.id))
    )
    return [(group, workspace) for group, workspace in (await session.exec(query)).all()]


async def memberships(*, session: AsyncSession, person_id: int) -> list[tuple[Group, str]]:
    """The groups a person is in, with their role in each, oldest group first."""
    query = (
        select(Group, GroupMember.role)
        .join(GroupMember, col(GroupMember.group_id) == Group.id)
        .where(col(GroupMember.person_id) == person_id)
        .order_by(col(Group.id))
    )
    return [(group, role) for group, role in (await session.exec(query)).all()]


async def add_members(
    *,
    session: AsyncSession,
    group_id: int,
    person_ids: Iterable[int],
    now: datetime,
    role: str = GroupRole.MEMBER,
) -> None:
    """Make people members (those who already are keep their role)."""
    for person_id in dict.fromkeys(person_ids):
        await insert_if_absent(
            session,
            GroupMember,
            {"group_id": group_id, "person_id": person_id, "role": role, "joined_at": now},
            ["group_id", "person_id"],
        )


async def set_role(
    *, session: AsyncSession, group_id: int, person_id: int, role: str, now: datetime
) -> bool:
    """Make someone a facilitator of the group, or a member again; True when it changed."""
    await add_members(session=session, group_id=group_id, person_ids=[person_id], now=now)
    member = (
        await session.exec(
            select(GroupMember).where(
                col(GroupMember.group_id) == group_id, col(GroupMember.person_id) == person_id
            )
        )
    ).one()
    if member.role == role:
        return False
    member.role = role
    return True


async def leave_others(*, session: AsyncSession, group_id: int, keep: Sequence[int]) -> None:
    """Those who are no longer in the channel stop being members; facilitators stay, and so do
    people the channel cannot list because another platform reaches them (guests)."""
    stale = (
        await session.exec(
            select(GroupMember)
            .join(Person, col(Person.id) == GroupMember.person_id)
            .where(
                col(GroupMember.group_id) == group_id,
                col(GroupMember.role) == GroupRole.MEMBER,
                col(GroupMember.person_id).not_in(list(keep)),
                col(Person.platform).is_(None),
            )
        )
    ).all()
    for member in stale:
        await session.delete(member)


async def members(*, session: AsyncSession, group_id: int) -> list[tuple[Person, str]]:
    """The group's people with their roles, in the order they joined."""
    query = (
        select(Person, GroupMember.role)
        .join(GroupMember, col(GroupMember.person_id) == Person.id)
        .where(col(GroupMember.group_id) == group_id, col(Person.external_id) != ERASED_PERSON)
        .order_by(col(GroupMember.id))
    )
    return [(person, role) for person, role in (await session.exec(query)).all()]


async def sizes(*, session: AsyncSession, group_ids: Sequence[int]) -> dict[int, int]:
    """How many people each group has."""
    if not group_ids:
        return {}
    query = (
        select(GroupMember.group_id, func.count())
        .where(col(GroupMember.group_id).in_(list(group_ids)))
        .group_by(col(GroupMember.group_id))
    )
    counted = {int(group_id): int(count) for group_id, count in (await session.exec(query)).all()}
    return {group_id: counted.get(group_id, 0) for group_id in group_ids}


async def facilitated(*, session: AsyncSession, person_id: int) -> list[int]:
    """The ids of the groups this person facilitates."""
    query = select(GroupMember.group_id).where(
        col(GroupMember.person_id) == person_id, col(GroupMember.role) == GroupRole.FACILITATOR
    )
    return [int(i) for i in (await session.exec(query)).all()]


async def facilitators(*, session: AsyncSession, group_id: int) -> list[Person]:
    """The group's facilitators (not counting admins, who facilitate everywhere)."""
    query = (
        select(Person)
        .join(GroupMember, col(GroupMember.person_id) == Person.id)
        .where(
            col(GroupMember.group_id) == group_id,
            col(GroupMember.role) == GroupRole.FACILITATOR,
        )
        .order_by(col(GroupMember.id))
    )
    return list((await session.exec(query)).all())


async def facilitators_of_channel(
    *, session: AsyncSession, workspace_id: int, channel_id: str
) -> list[Person]:
    """The facilitators of the groups that post in this channel (their own or digest channel)."""
    query = (
        select(Person)
        .join(GroupMember, col(GroupMember.person_id) == Person.id)
        .join(Group, col(Group.id) == GroupMember.group_id)
        .where(
            col(Group.workspace_id) == workspace_id,
            (col(Group.channel_id) == channel_id) | (col(Group.digest_channel) == channel_id),
            col(GroupMember.role) == GroupRole.FACILITATOR,
        )
        .distinct()
    )
    return list((await session.exec(query)).all())


def facilitated_ideas(group_ids: Sequence[int]) -> ColumnElement[bool]:
    """A condition on Idea: ideas of these groups, and ideas not yet given a group whose
    author is in one of them (until the author chooses, every one of their groups sees it)."""
    in_group = col(Idea.group_id).in_(list(group_ids))
    undecided = col(Idea.group_id).is_(None) & exists(
        select_columns(col(GroupMember.id)).where(
            col(GroupMember.person_id) == Idea.author_id,
            col(GroupMember.group_id).in_(list(group_ids)),
        )
    )
    return in_group | undecided


async def author_shares_a_group(
    *, session: AsyncSession, author_id: int, group_ids: Sequence[int]
) -> bool:
    """Whether the author is in any of these groups."""
    if not group_ids:
        return False
    query = select(func.count()).where(
        col(GroupMember.person_id) == author_id, col(GroupMember.group_id).in_(list(group_ids))
    )
    return int((await session.exec(query)).one()) > 0


async def bind_channel(
    *, session: AsyncSession, group: Group, channel_id: str, address: str | None
) -> Group:
    """Give a waiting group (made by the upgrade) its channel."""
    group.channel_id = channel_id
    group.channel_address = address
    session.add(group)
    await session.flush()
    return group


async def reached_elsewhere(*, session: AsyncSession, group_id: int) -> list[Person]:
    """Members the group's channel does not reach, because another platform does (guests):
    what is posted in the channel must go to each of them privately too."""
    query = (
        select(Person)
        .join(GroupMember, col(GroupMember.person_id) == Person.id)
        .where(col(GroupMember.group_id) == group_id, col(Person.platform).is_not(None))
        .order_by(col(Person.id))
    )
    return list((await session.exec(query)).all())
