"""Building and reading Bot Framework activities."""

from __future__ import annotations

from contextvars import ContextVar
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


# The request's JSON as Teams sent it, set by the route for the turn it starts: reading it
# back from msrest's parsed activity cost a tenth of a turn's CPU (docs/benchmarks.md).
INCOMING: ContextVar[dict[str, Any] | None] = ContextVar("incoming_activity", default=None)


def incoming_json(activity: Activity) -> dict[str, Any]:
    """The turn's activity as JSON: the request's own, or rebuilt when there is none (a turn
    botbuilder started itself, such as a proactive continuation)."""
    raw = INCOMING.get()
    if raw is not None and raw.get("id") == activity.id and raw.get("type") == activity.type:
        return raw
    return activity_json(activity)


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
