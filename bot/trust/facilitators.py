"""`/coproduce facilitators [add|remove @person]`: admins decide who facilitates."""

from __future__ import annotations

from bot.seam.events import CommandInvoked
from bot.seam.messages import Reply, simple
from bot.trust import audit
from bot.trust.people import person_for
from bot.trust.roles import admins_only
from bot.turn import Turn, name_of
from storage import people
from storage.models import Role

USAGE = "Use /coproduce facilitators, or /coproduce facilitators add @name (or remove @name)."


async def facilitators_command(turn: Turn, event: CommandInvoked, text: str) -> Reply:
    refusal = admins_only(turn, "change who facilitates")
    if refusal:
        return refusal
    sub = text.strip().split(" ", 1)[0].lower()
    if not sub:
        rows = await people.with_roles(
            session=turn.session,
            workspace_id=turn.workspace_id,
            roles=(Role.FACILITATOR, Role.ADMIN),
        )
        names = ", ".join(f"{name_of(p)} ({p.role})" for p in rows)
        return Reply(simple(f"Facilitators: {names}."))
    if sub not in ("add", "remove") or not event.mentions:
        return Reply(simple(USAGE))
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
                f"Nothing changed: {', '.join(admins)} "
                f"{'is an admin' if len(admins) == 1 else 'are admins'}, because "
                "COPRODUCE_ADMINS names them, and admins always facilitate. To change that, the "
                "person who runs Coproduce takes them off that list and restarts it."
            )
        )
    verb = "now facilitate" if sub == "add" else "no longer facilitate"
    return Reply(simple(f"Thank you. {', '.join(changed)} {verb}."))
