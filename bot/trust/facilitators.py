"""`/coproduce facilitators [add|remove @person]`: admins decide who facilitates."""

from __future__ import annotations

from bot.i18n import N_, _, n_
from bot.seam.events import CommandInvoked
from bot.seam.messages import Reply, simple
from bot.trust import audit
from bot.trust.people import person_for
from bot.trust.roles import admins_only
from bot.turn import Turn, name_of
from storage import people
from storage.models import Role

USAGE = N_(
    "Type /coproduce facilitators to see who they are. To add one, type /coproduce "
    "facilitators add and their @name. To take one off, use remove."
)


async def facilitators_command(turn: Turn, event: CommandInvoked, text: str) -> Reply:
    refusal = admins_only(turn, _("change who facilitates"))
    if refusal:
        return refusal
    sub = text.strip().split(" ", 1)[0].lower()
    if not sub:
        rows = await people.with_roles(
            session=turn.session,
            workspace_id=turn.workspace_id,
            roles=(Role.FACILITATOR, Role.ADMIN),
        )
        roles = {Role.ADMIN: _("admin"), Role.FACILITATOR: _("facilitator")}
        names = ", ".join(f"{name_of(p)} ({roles.get(Role(p.role), p.role)})" for p in rows)
        return Reply(simple(_("Facilitators: {names}.", names=names)))
    if sub not in ("add", "remove") or not event.mentions:
        return Reply(simple(_(USAGE)))
    changed = []
    admins = []
    for actor in event.mentions:
        person = await person_for(turn, actor)
        if person.role == Role.ADMIN:
            admins.append(name_of(person))  # admins come from COPRODUCE_ADMINS, not from here
            continue
        role = Role.FACILITATOR if sub == "add" else Role.MEMBER
        if person.role != role:
            person.role = role
            await audit.record(
                turn.session,
                at=turn.now,
                workspace_id=turn.workspace_id,
                actor_id=turn.person_id,
                action="role-change",
                subject_type="person",
                subject_id=person.id,
                detail=role,
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
        return Reply(simple(_("Thank you. {names} now facilitate.", names=names)))
    return Reply(simple(_("Thank you. {names} no longer facilitate.", names=names)))
