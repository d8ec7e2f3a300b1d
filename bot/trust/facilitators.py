"""`/coproduce facilitators [add|remove @person]`: who runs a group. In the group's channel its
facilitators and the admins decide; admins (named in COPRODUCE_ADMINS) facilitate every group."""

from __future__ import annotations

from bot.groups.groups import make_group
from bot.i18n import N_, _, n_
from bot.seam.events import CommandInvoked
from bot.seam.messages import Reply, simple
from bot.trust import audit
from bot.trust.people import person_for
from bot.turn import Turn, name_of
from storage import groups as group_store
from storage import people
from storage.models import Group, GroupRole, Role, id_of

USAGE = N_(
    "Type /coproduce facilitators to see who they are. To add one, type /coproduce "
    "facilitators add and their @name. To take one off, use remove."
)


async def facilitators_command(turn: Turn, event: CommandInvoked, text: str) -> Reply:
    group = await turn.working_group()
    if (group is None or not await turn.facilitates(group.id)) and not turn.is_admin:
        return Reply(
            simple(
                _(
                    "Only admins, or facilitators of this group, can change who "
                    "facilitates it. Nothing has been changed."
                )
            )
        )
    sub = text.strip().split(" ", 1)[0].lower()
    if not sub:
        return await _listing(turn, group)
    if sub not in ("add", "remove") or not event.mentions:
        return Reply(simple(_(USAGE)))
    if group is None and turn.is_admin and turn.event.conversation.kind == "group":
        group = await make_group(turn)  # an admin naming facilitators here makes it a group
    if group is None:
        return Reply(
            simple(
                _(
                    "Facilitators belong to a group. Please type this in the group's channel. "
                    "Nothing has been changed."
                )
            )
        )
    changed = []
    admins = []
    for actor in event.mentions:
        person = await person_for(turn, actor)
        if person.role == Role.ADMIN:
            admins.append(name_of(person))  # admins come from COPRODUCE_ADMINS, not from here
            continue
        role = GroupRole.FACILITATOR if sub == "add" else GroupRole.MEMBER
        if await group_store.set_role(
            session=turn.session,
            group_id=id_of(group),
            person_id=id_of(person),
            role=role,
            now=turn.now,
        ):
            await audit.record(
                turn.session,
                at=turn.now,
                workspace_id=turn.workspace_id,
                actor_id=turn.person_id,
                action="role-change",
                subject_type="person",
                subject_id=person.id,
                detail=f"{role}:{group.id}",
            )
        changed.append(name_of(person))
    if admins and not changed:
        return Reply(
            simple(
                n_(
                    "Nothing changed: {names} is an admin, because COPRODUCE_ADMINS names them. "
                    "Admins always facilitate. To change that, the person who runs Coproduce "
                    "takes them off that list and restarts it.",
                    "Nothing changed: {names} are admins, because COPRODUCE_ADMINS names them. "
                    "Admins always facilitate. To change that, the person who runs Coproduce "
                    "takes them off that list and restarts it.",
                    len(admins),
                    names=", ".join(admins),
                )
            )
        )
    names = ", ".join(changed)
    if sub == "add":
        return Reply(
            simple(
                _(
                    "Thank you. {names} now facilitate \u201c{group}\u201d.",
                    names=names,
                    group=group.name,
                )
            )
        )
    return Reply(
        simple(
            _(
                "Thank you. {names} no longer facilitate \u201c{group}\u201d.",
                names=names,
                group=group.name,
            )
        )
    )


async def _listing(turn: Turn, group: Group | None) -> Reply:
    admins = await people.with_roles(
        session=turn.session, workspace_id=turn.workspace_id, roles=(Role.ADMIN,)
    )
    lines = []
    groups = (
        [group]
        if group is not None
        else await group_store.workspace_groups(
            session=turn.session, workspace_id=turn.workspace_id
        )
    )
    for each in groups:
        running = await group_store.facilitators(session=turn.session, group_id=id_of(each))
        names = ", ".join(name_of(p) for p in running) or _("none yet")
        lines.append(
            _("Facilitators of \u201c{group}\u201d: {names}.", group=each.name, names=names)
        )
    lines.append(
        _(
            "Admins, who facilitate every group: {names}.",
            names=", ".join(name_of(p) for p in admins),
        )
        if admins
        else _("No admins yet: COPRODUCE_ADMINS names them.")
    )
    return Reply(simple("\n".join(lines)))
