"""The person behind an actor the adapter named (a mention, a channel member)."""

from __future__ import annotations

from bot.seam.events import Actor
from bot.turn import Turn
from storage.models import Person, Role
from storage.people import ensure_person


async def person_for(turn: Turn, actor: Actor) -> Person:
    """Find or create them in this workspace, remembering how to reach them if we did not know."""
    person, _ = await ensure_person(
        session=turn.session,
        workspace_id=turn.workspace_id,
        external_id=actor.user_id,
        display_name=actor.display_name,
        initial_role=Role.MEMBER,
        now=turn.now,
    )
    if actor.address and not person.direct_address:
        person.direct_address = actor.address
    return person
