"""Building and reading Bot Framework activities."""

from __future__ import annotations

from typing import Any

from botbuilder.core import CardFactory, MessageFactory
from botbuilder.schema import Activity

from adapters.teams import render
from bot.seam.messages import Message


def card_activity(message: Message) -> Activity:
    """A message activity carrying the message as an Adaptive Card."""
    activity = MessageFactory.attachment(CardFactory.adaptive_card(render.card(message)))
    activity.summary = message.summary
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
