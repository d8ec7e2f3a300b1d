"""`/coproduce group [name <name>]` and `/coproduce groups`: making, naming and seeing groups."""

from __future__ import annotations

from bot.groups.groups import MAX_NAME, make_group
from bot.i18n import N_, _, n_
from bot.seam.messages import Block, Context, Facts, Heading, Message, Paragraph, Reply, simple
from bot.sessions.group_size import BEST
from bot.trust import audit
from bot.trust.roles import facilitators_only
from bot.trust.workspace_settings import group_facts
from bot.turn import Turn, name_of
from storage import groups as group_store
from storage.models import Group, GroupRole, id_of

NOT_A_GROUP = N_(
    "This channel isn't a group yet. An admin can make it one: type /coproduce group name and "
    "a name for it, such as /coproduce group name Carers."
)
IN_THE_CHANNEL = N_(
    "Groups are channels. Please type this in the group's channel, where everyone in it can "
    "take part."
)


def _clean_name(text: str) -> str | None:
    name = " ".join(text.split())
    return name if 0 < len(name) <= MAX_NAME else None


async def group_command(turn: Turn, text: str) -> Reply:
    """Show this channel's group, make the channel a group, or rename it."""
    sub, _space, rest = text.strip().partition(" ")
    naming = sub.lower() == "name"
    if turn.event.conversation.kind != "group":
        return Reply(simple(_(IN_THE_CHANNEL)))
    if naming:
        name = _clean_name(rest)
        if name is None:
            return Reply(
                simple(
                    _(
                        "A group's name needs 1 to {limit} characters, such as Carers. "
                        "Nothing has been changed.",
                        limit=MAX_NAME,
                    )
                )
            )
        return await _name(turn, name)
    if turn.group is None:
        return Reply(simple(_(NOT_A_GROUP)))
    return await _overview(turn, turn.group)


async def _name(turn: Turn, name: str) -> Reply:
    group = turn.group
    if group is None:
        if not turn.is_admin:
            return Reply(simple(_(NOT_A_GROUP)))
        group = await make_group(turn, name)
        await _audit(turn, group, "group-made")
        size = len(await group_store.members(session=turn.session, group_id=id_of(group)))
        return Reply(
            simple(
                n_(
                    "Thank you. This channel is now the group \u201c{name}\u201d, with {count} "
                    "person. To add someone who runs it, type /coproduce facilitators add and "
                    "their @name.",
                    "Thank you. This channel is now the group \u201c{name}\u201d, with {count} "
                    "people. To add someone who runs it, type /coproduce facilitators add and "
                    "their @name.",
                    size,
                    name=group.name,
                )
            )
        )
    refusal = facilitators_only(turn, _("rename the group"))
    if refusal:
        return refusal
    group.name = name
    await _audit(turn, group, "group-renamed")
    return Reply(simple(_("Thank you. This group is now called \u201c{name}\u201d.", name=name)))


async def _audit(turn: Turn, group: Group, action: str) -> None:
    await audit.record(
        turn.session,
        at=turn.now,
        workspace_id=turn.workspace_id,
        actor_id=turn.person_id,
        action=action,
        subject_type="group",
        subject_id=group.id,
    )


async def _overview(turn: Turn, group: Group) -> Reply:
    people = await group_store.members(session=turn.session, group_id=id_of(group))
    running = [name_of(p) for p, role in people if role == GroupRole.FACILITATOR]
    blocks: list[Block] = [
        Heading(_("The group \u201c{name}\u201d", name=group.name)),
        Paragraph(
            n_(
                "{count} person: {names}.",
                "{count} people: {names}.",
                len(people),
                names=", ".join(name_of(p) for p, _role in people),
            )
        ),
        Paragraph(
            _("Facilitators: {names}.", names=", ".join(running))
            if running
            else _("Facilitators: none yet. Until then, the admins run it.")
        ),
    ]
    if turn.is_facilitator:
        blocks += [Facts(group_facts(group)), Context(_("Change one with /coproduce settings."))]
    return Reply(
        Message(summary=_("The group \u201c{name}\u201d", name=group.name), blocks=tuple(blocks))
    )


async def groups_command(turn: Turn) -> Reply:
    """The groups the person is in; facilitators also see each group's size, with a note when
    it has grown past six."""
    mine = await turn.memberships()
    roles = {id_of(group): role for group, role in mine}
    shown: list[Group] = [group for group, _role in mine]
    if turn.is_admin:
        shown = await group_store.workspace_groups(
            session=turn.session, workspace_id=turn.workspace_id
        )
    if not shown:
        return Reply(
            simple(
                _(
                    "You're not in a group yet. Groups are channels: once you take part in "
                    "one, it shows here. Your ideas are always welcome by message."
                )
            )
        )
    runs = {
        id_of(group)
        for group in shown
        if turn.is_admin or roles.get(id_of(group)) == GroupRole.FACILITATOR
    }
    sizes = await group_store.sizes(session=turn.session, group_ids=sorted(runs))
    lines: list[str] = []
    notes: list[Block] = []
    for group in shown:
        if id_of(group) not in runs:
            lines.append(f"\u2022 {group.name}")
            continue
        size = sizes[id_of(group)]
        if size == 0:
            lines.append(
                "\u2022 "
                + _("{name}: nobody has joined yet, and you facilitate it", name=group.name)
            )
            continue
        lines.append(
            "\u2022 "
            + n_(
                "{name}: {count} person, and you facilitate it",
                "{name}: {count} people, and you facilitate it",
                size,
                name=group.name,
            )
        )
        if size > BEST[-1]:
            notes.append(
                Paragraph(
                    _(
                        "\u201c{name}\u201d has {count} people. Groups of 5 or 6 give everyone "
                        "time to speak. You could split it in two: make a new channel, invite "
                        "some of the group to it, and type /coproduce group name there.",
                        name=group.name,
                        count=size,
                    )
                )
            )
    blocks: list[Block] = [Heading(_("Your groups")), Paragraph("\n".join(lines)), *notes]
    return Reply(Message(summary=_("Your groups"), blocks=tuple(blocks)))
