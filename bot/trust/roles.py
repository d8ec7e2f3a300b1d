"""Who may do what. Authorisation lives here, in the engine, never in an adapter."""

from __future__ import annotations

from bot.i18n import _
from bot.seam.messages import Reply, simple
from bot.turn import Turn


def facilitators_only(turn: Turn, doing: str) -> Reply | None:
    """A kind refusal when someone who is not a facilitator tries a facilitator command."""
    if turn.is_facilitator:
        return None
    return Reply(
        simple(
            _(
                "Thanks for wanting to help! Only facilitators can {doing}. If you'd like to "
                "help run the group, please ask one of its facilitators.",
                doing=doing,
            )
        )
    )


def admins_only(turn: Turn, doing: str) -> Reply | None:
    if turn.is_admin:
        return None
    return Reply(simple(_("Only admins can {doing}. Nothing has been changed.", doing=doing)))


async def group_facilitators_only(turn: Turn, group_id: int | None, doing: str) -> Reply | None:
    """The same kind refusal, for someone who does not facilitate this particular group: a
    facilitator of one group cannot run another's (admins run every group)."""
    if await turn.facilitates(group_id):
        return None
    return Reply(
        simple(
            _(
                "Thanks for wanting to help! Only facilitators of this group can {doing}. "
                "Nothing has been changed.",
                doing=doing,
            )
        )
    )
