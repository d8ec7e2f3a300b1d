"""Who may act on an idea: the facilitators of its group, and admins.

An idea whose author has not yet said which of their groups it is for belongs, until then, to
the facilitators of every one of those groups; an idea of no group, to the admins.
"""

from __future__ import annotations

from bot.turn import Turn
from storage import groups as group_store
from storage.models import Idea


async def may_run(turn: Turn, idea: Idea) -> bool:
    """Whether the person may update, credit or otherwise run this idea."""
    if turn.is_admin:
        return True
    if idea.group_id is not None:
        return await turn.facilitates(idea.group_id)
    return await group_store.author_shares_a_group(
        session=turn.session, author_id=idea.author_id, group_ids=await turn.facilitated()
    )


async def may_follow(turn: Turn, idea: Idea) -> bool:
    """Whether the person may follow this idea: one of their group's (they saw it in its
    channel or its weekly post), one they may run, or one of no group, as before groups.
    Another group's news is that group's."""
    if idea.group_id is None or turn.is_admin:
        return True
    if any(group.id == idea.group_id for group, _role in await turn.memberships()):
        return True
    return await turn.facilitates(idea.group_id)
