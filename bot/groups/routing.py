"""Which group an idea is for: the channel's group; from a DM, the author's only group; from
someone in several, the one they choose (until then, every one of their groups sees it)."""

from __future__ import annotations

from bot.contributions.numbers import parse_number
from bot.i18n import _
from bot.seam.messages import Block, Button, Buttons, Paragraph, Reply, simple
from bot.turn import Turn
from storage import groups as group_store
from storage import ideas as idea_store
from storage.models import Group, id_of

CHOOSE = "idea.group"


async def route(turn: Turn) -> tuple[Group | None, list[Group]]:
    """The group a new idea is for, or None with the groups the author should choose from
    (none: it belongs to no group, and the admins look after it)."""
    if turn.group is not None:
        return turn.group, []
    mine = [group for group, _role in await turn.memberships()]
    if len(mine) == 1:
        return mine[0], []
    if mine:
        return None, mine
    if turn.workspace_groups == 0:
        return None, []
    every = await group_store.workspace_groups(session=turn.session, workspace_id=turn.workspace_id)
    # A workspace with one group is that group, as before groups: everyone's ideas go to it.
    return (every[0], []) if len(every) == 1 else (None, [])


def choice_blocks(number: int, groups: list[Group]) -> tuple[Block, ...]:
    """The question, with a button per group."""
    return (
        Paragraph(
            _(
                "Which group is this for? Until you choose, the facilitators of all your groups "
                "can see it."
            )
        ),
        Buttons(tuple(Button(group.name, CHOOSE, f"{number}:{id_of(group)}") for group in groups)),
    )


async def choose(turn: Turn, value: str) -> Reply:
    """The author's answer: the idea goes to the group they chose, if it is one of theirs."""
    reference, _colon, group_ref = value.partition(":")
    number = parse_number(reference)
    idea = (
        await idea_store.get_idea(
            session=turn.session, workspace_id=turn.workspace_id, number=number
        )
        if number is not None
        else None
    )
    mine = {id_of(group): group for group, _role in await turn.memberships()}
    group = mine.get(int(group_ref)) if group_ref.isdigit() else None
    if idea is None or idea.author_id != turn.person_id or group is None:
        return Reply(simple(_("Sorry, that button has expired. Please try again.")))
    idea.group_id = id_of(group)
    idea.updated_at = turn.now
    return Reply(
        simple(
            _(
                "Thank you. Idea #{number} is now with \u201c{group}\u201d.",
                number=idea.number,
                group=group.name,
            )
        ),
        replace_original=True,
    )
