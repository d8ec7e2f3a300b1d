"""Anonymity in small groups: below five people, others may guess who said what.

The bot cannot stop a group of three from guessing; it can refuse to add to the guessing (no
counts or summaries for fewer than five) and say so before someone chooses to be anonymous,
instead of promising what it cannot keep.
"""

from __future__ import annotations

from bot.i18n import N_
from bot.turn import Turn
from storage import groups as group_store
from storage.people import count_members

SMALLEST_SAFE_GROUP = 5

SMALL_GROUP_NOTE = N_(
    "This group has fewer than 5 people. So others may guess who shared an anonymous idea, "
    "even though I never tell them."
)
SMALL_MEETING_NOTE = N_(
    "This meeting had fewer than 5 people. So others may guess who shared an afterthought, "
    "even an anonymous one."
)


def is_small(size: int) -> bool:
    return size < SMALLEST_SAFE_GROUP


async def group_is_small(turn: Turn, group_id: int | None = None) -> bool:
    """Whether the people who can see it are too few for anonymity to hold: the group's
    members for an idea of one group, else the people this workspace knows."""
    if group_id is not None:
        sizes = await group_store.sizes(session=turn.session, group_ids=[group_id])
        return is_small(sizes[group_id])
    if turn.small_group is not None:
        return turn.small_group
    members = await count_members(
        session=turn.session, workspace_id=turn.workspace_id, up_to=SMALLEST_SAFE_GROUP
    )
    return is_small(members)
