"""The Bot Framework bot: each turn is translated, handled by the engine, and answered as a card."""

from __future__ import annotations

import logging
from typing import Any

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


def activity_json(activity: Activity) -> dict[str, Any]:
    """The activity as Teams sent it. msrest's serialize() drops entity fields it has no model
    for (a mention's `text` and `mentioned`), so entities are rebuilt from what it kept aside."""
    raw: dict[str, Any] = activity.serialize()
    if activity.entities:
        raw["entities"] = [
            {**(entity.additional_properties or {}), **entity.serialize()}
            for entity in activity.entities
        ]
    return raw


class CoproduceTeamsBot(Bot):
    """Translates activities for the engine; holds no rules of its own."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    async def on_turn(self, context: TurnContext) -> None:
        activity = context.activity
        event = translate.message_activity(activity_json(activity))
        if event is None:
            return
        for reply in await self.engine.handle(event):
            outgoing = reply_activity(reply)
            if reply.replace_original and activity.reply_to_id:
                outgoing.id = activity.reply_to_id
                await context.update_activity(outgoing)
            else:
                await context.send_activity(outgoing)
