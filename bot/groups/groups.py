"""Groups: which group a channel is, making one, and who is in it.

A group is a channel a facilitator made a group. Its members are the channel's people: they
join when the platform lists them (the group is made, a meeting starts or ends) or when they
first do something in the channel. Guests will join by invitation, as members like any other.
"""

from __future__ import annotations

from bot.i18n import _
from bot.trust.people import person_for
from bot.turn import Turn
from storage import groups as group_store
from storage.models import Group, GroupRole, id_of

MAX_NAME = 80


async def enter_channel(turn: Turn) -> None:
    """Note which group this channel is, and that the person is in it."""
    conversation = turn.event.conversation
    group, role = await group_store.locate(
        session=turn.session,
        workspace_id=turn.workspace_id,
        channel_id=conversation.id,
        person_id=turn.person_id,
    )
    if group is None:
        return
    if role is None:
        # They are in the channel, so they are in its group.
        await group_store.add_members(
            session=turn.session, group_id=id_of(group), person_ids=[turn.person_id], now=turn.now
        )
        role = GroupRole.MEMBER
        turn.groups_changed()
    if conversation.address and group.channel_address != conversation.address:
        group.channel_address = conversation.address  # the platform's latest way to post here
    turn.group, turn.group_role = group, role


async def make_group(turn: Turn, name: str | None = None, *, by_facilitator: bool = True) -> Group:
    """Make this channel a group (the upgrade's waiting group, if there is one), with the
    channel's people as members and the facilitator who made it, unless an admin (admins run
    every group already), as its facilitator."""
    conversation = turn.event.conversation
    waiting = await group_store.unbound_group(session=turn.session, workspace_id=turn.workspace_id)
    if waiting is not None:
        group = await group_store.bind_channel(
            session=turn.session,
            group=waiting,
            channel_id=conversation.id,
            address=conversation.address,
        )
        if name:
            group.name = name
    else:
        count = len(
            await group_store.workspace_groups(session=turn.session, workspace_id=turn.workspace_id)
        )
        group = await group_store.create_group(
            session=turn.session,
            workspace_id=turn.workspace_id,
            channel_id=conversation.id,
            channel_address=conversation.address,
            name=name or _("Group {number}", number=count + 1),
            now=turn.now,
        )
    await sync_members(turn, group)
    role = GroupRole.FACILITATOR if by_facilitator and not turn.is_admin else GroupRole.MEMBER
    await group_store.set_role(
        session=turn.session,
        group_id=id_of(group),
        person_id=turn.person_id,
        role=role,
        now=turn.now,
    )
    turn.groups_changed()
    turn.group, turn.group_role = group, role
    return group


async def group_here(turn: Turn) -> Group | None:
    """This channel's group, made now if a facilitator is asking for something only a group
    has (a meeting, an agenda); None in a DM."""
    if turn.group is not None:
        return turn.group
    if turn.event.conversation.kind != "group" or not turn.is_facilitator:
        return None
    return await make_group(turn)


async def sync_members(turn: Turn, group: Group) -> list[int]:
    """Everyone the platform lists in the channel becomes a member; anyone it no longer lists
    stops being one (facilitators stay). Returns the ids of the people listed."""
    if turn.roster is None:
        return []
    people = await turn.roster.members(turn.event.conversation)
    if not people:
        return []  # an empty list is the platform failing to answer, not an empty channel
    ids = [id_of(await person_for(turn, actor)) for actor in people]
    ids.append(turn.person_id)
    await group_store.add_members(
        session=turn.session, group_id=id_of(group), person_ids=ids, now=turn.now
    )
    await group_store.leave_others(session=turn.session, group_id=id_of(group), keep=ids)
    turn.groups_changed()
    return ids
