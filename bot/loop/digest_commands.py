"""`/digest [preview]`: a facilitator posts the digest now, or sees it first, privately."""

from __future__ import annotations

from bot.i18n import _
from bot.loop import digest
from bot.loop.digest_schedule import queue_digest
from bot.seam.messages import Reply, simple
from bot.trust.roles import facilitators_only
from bot.turn import Turn


async def digest_command(turn: Turn, text: str) -> Reply:
    refusal = facilitators_only(turn, _("post or preview the weekly post"))
    if refusal:
        return refusal
    workspace = turn.workspace
    if text.strip().lower() == "preview":
        message = await digest.build(
            turn.session, workspace, since=digest.period_start(workspace, turn.now), now=turn.now
        )
        return Reply(message, private=True)
    if not workspace.digest_channel:
        if turn.event.conversation.kind != "group":
            return Reply(
                simple(
                    _(
                        "Which channel should the weekly post go to? Run /coproduce settings "
                        "digest-channel here in the group's channel first."
                    )
                )
            )
        workspace.digest_channel = turn.event.conversation.id
        workspace.digest_address = turn.event.conversation.address
    queued = await queue_digest(
        turn.session,
        workspace,
        key=f"digest:{workspace.id}:now:{turn.now.isoformat()}",
        now=turn.now,
    )
    turn.enqueued += int(queued)
    return Reply(simple(_("Thank you: the weekly post is on its way to the group's channel.")))
