"""The Bot Framework bot: each turn is translated, handled by the engine, and answered as a card."""

from __future__ import annotations

import logging

from botbuilder.core import Bot, TurnContext

from adapters.teams import translate
from adapters.teams.activities import activity_json, card_activity
from adapters.teams.messenger import TeamsMessenger
from adapters.teams.roster import TeamsRoster
from bot.delivery import Recipient
from bot.engine import Engine
from bot.events import Actor
from bot.messages import Reply

log = logging.getLogger("coproduce.teams")


class CoproduceTeamsBot(Bot):
    """Translates activities for the engine; holds no rules of its own."""

    def __init__(self, engine: Engine, messenger: TeamsMessenger) -> None:
        self.engine = engine
        self.messenger = messenger

    async def on_turn(self, context: TurnContext) -> None:
        activity = context.activity
        raw = activity_json(activity)
        event = translate.translate_activity(raw)
        if event is None:
            return
        roster = TeamsRoster(context, raw) if event.conversation.kind == "group" else None
        for reply in await self.engine.handle(event, roster=roster):
            if reply.private and event.conversation.kind == "group":
                await self._privately(event.actor, reply)
                continue
            outgoing = card_activity(reply.message)
            if reply.replace_original and activity.reply_to_id:
                outgoing.id = activity.reply_to_id
                await context.update_activity(outgoing)
            else:
                await context.send_activity(outgoing)

    async def _privately(self, actor: Actor, reply: Reply) -> None:
        """A reply only the actor may see, sent to their 1:1 chat instead of the channel."""
        recipient = Recipient(
            platform=actor.platform,
            workspace=actor.workspace_id,
            person=actor.user_id,
            address=actor.address,
        )
        try:
            await self.messenger.deliver(recipient, reply.message)
        except Exception as error:
            log.warning("private reply not delivered", extra={"error": type(error).__name__})
