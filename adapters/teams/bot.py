"""The Bot Framework bot: each turn is translated, handled by the engine, and answered as a card."""

from __future__ import annotations

import json
import logging

from botbuilder.core import Bot, CardFactory, MessageFactory, TurnContext
from botbuilder.schema import Activity

from adapters.teams import render, translate
from bot.engine import Engine
from bot.messages import Reply

log = logging.getLogger("coproduce.teams")


def reply_activity(reply: Reply) -> Activity:
    """A message activity carrying the reply as an Adaptive Card."""
    activity = MessageFactory.attachment(CardFactory.adaptive_card(render.card(reply.message)))
    activity.summary = reply.message.summary
    return activity


class CoproduceTeamsBot(Bot):
    """Translates activities for the engine; holds no rules of its own."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    async def on_turn(self, context: TurnContext) -> None:
        activity = context.activity
        raw = activity.serialize()
        address = None
        if translate.is_personal(raw):
            reference = TurnContext.get_conversation_reference(activity)
            address = json.dumps(reference.serialize())
        event = translate.message_activity(raw, address=address)
        if event is None:
            return
        for reply in await self.engine.handle(event):
            outgoing = reply_activity(reply)
            if reply.replace_original and activity.reply_to_id:
                outgoing.id = activity.reply_to_id
                await context.update_activity(outgoing)
            else:
                await context.send_activity(outgoing)
