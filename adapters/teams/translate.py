"""Bot Framework activities (as JSON dicts) to neutral events. Pure functions."""

from __future__ import annotations

import re
from typing import Any

from bot.commands import parse_command
from bot.events import ActionInvoked, Actor, CommandInvoked, Conversation, Event, IncomingMessage

PLATFORM = "teams"
_AT_TAG = re.compile(r"<at>.*?</at>", re.DOTALL)


def tenant_of(activity: dict[str, Any]) -> str:
    """The tenant is the workspace; Teams puts it in channelData or on the conversation."""
    channel_data = activity.get("channelData") or {}
    tenant = (channel_data.get("tenant") or {}).get("id")
    return tenant or (activity.get("conversation") or {}).get("tenantId") or "default"


def _without_bot_mention(activity: dict[str, Any]) -> str:
    text = activity.get("text") or ""
    bot_id = (activity.get("recipient") or {}).get("id")
    for entity in activity.get("entities") or []:
        mentioned = (entity.get("mentioned") or {}).get("id")
        if entity.get("type") == "mention" and mentioned == bot_id and entity.get("text"):
            text = text.replace(entity["text"], " ")
    return text.strip()


def is_personal(activity: dict[str, Any]) -> bool:
    return (activity.get("conversation") or {}).get("conversationType", "personal") == "personal"


def message_activity(activity: dict[str, Any], *, address: str | None = None) -> Event | None:
    """A message activity as an idea, a command or a card submission; None for anything else.

    `address` is the serialised ConversationReference of a personal chat, made by the caller.
    """
    if activity.get("type") != "message":
        return None
    sender = activity.get("from") or {}
    conversation = activity.get("conversation") or {}
    if not sender.get("id") or not conversation.get("id"):
        return None
    actor = Actor(PLATFORM, tenant_of(activity), sender["id"], sender.get("name"))
    personal = is_personal(activity)
    where = Conversation(
        id=conversation["id"],
        kind="direct" if personal else "group",
        address=address if personal else None,
    )
    delivery = f"teams:{conversation['id']}:{activity['id']}" if activity.get("id") else None
    value = activity.get("value")
    if isinstance(value, dict) and isinstance(value.get("action"), str):
        inputs = {k: str(v) for k, v in value.items() if k not in ("action", "value")}
        return ActionInvoked(
            actor=actor,
            conversation=where,
            action_id=value["action"],
            value=str(value.get("value", "")),
            inputs=inputs,
            delivery_id=delivery,
        )
    text = _without_bot_mention(activity)
    command = parse_command(text, slash_optional=True)
    if command is not None:
        return CommandInvoked(
            actor=actor,
            conversation=where,
            name=command.name,
            text=command.text,
            delivery_id=delivery,
        )
    return IncomingMessage(actor=actor, conversation=where, text=text, delivery_id=delivery)
