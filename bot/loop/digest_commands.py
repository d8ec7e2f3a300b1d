"""`/digest [preview]`: a facilitator posts the digest now, or sees it first, privately."""

from __future__ import annotations

from bot.groups.groups import group_here
from bot.i18n import _
from bot.loop import digest
from bot.loop.digest_schedule import queue_digest
from bot.seam.messages import Reply, simple
from bot.trust.roles import facilitators_only, group_facilitators_only
from bot.turn import Turn


async def digest_command(turn: Turn, text: str) -> Reply:
    refusal = facilitators_only(turn, _("post or preview the weekly post"))
    if refusal:
        return refusal
    group = await turn.working_group() or await group_here(turn)
    if group is None:
        return Reply(
            simple(
                _("Each group has its own weekly post. Please type /digest in the group's channel.")
            )
        )
    refusal = await group_facilitators_only(turn, group.id, _("post or preview the weekly post"))
    if refusal:
        return refusal
    if text.strip().lower() == "preview":
        message = await digest.build(
            turn.session,
            turn.workspace,
            group,
            since=digest.period_start(group, turn.now),
            now=turn.now,
        )
        return Reply(message, private=True)
    queued = await queue_digest(
        turn.session,
        turn.workspace,
        group,
        key=f"digest:g{group.id}:now:{turn.now.isoformat()}",
        now=turn.now,
    )
    turn.enqueued += int(queued)
    return Reply(simple(_("Thank you: the weekly post is on its way to the group's channel.")))
