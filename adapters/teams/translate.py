"""Bot Framework activities (as JSON dicts) to neutral events. Pure functions."""

from __future__ import annotations

import json
import re
from typing import Any

from bot.commands import parse_command
from bot.events import (
    ActionInvoked,
    Actor,
    CommandInvoked,
    Conversation,
    Event,
    IncomingMessage,
    MeetingEnded,
)

PLATFORM = "teams"


def tenant_of(activity: dict[str, Any]) -> str:
    """The tenant is the workspace; Teams puts it in channelData or on the conversation."""
    channel_data = activity.get("channelData") or {}
    tenant = (channel_data.get("tenant") or {}).get("id")
    return tenant or (activity.get("conversation") or {}).get("tenantId") or "default"


def is_personal(activity: dict[str, Any]) -> bool:
    return (activity.get("conversation") or {}).get("conversationType", "personal") == "personal"


def personal_address(activity: dict[str, Any]) -> str:
    """A personal chat's ConversationReference, for continue_conversation later."""
    reference = {
        "activityId": activity.get("id"),
        "user": activity.get("from"),
        "bot": activity.get("recipient"),
        "conversation": activity.get("conversation"),
        "channelId": activity.get("channelId", "msteams"),
        "serviceUrl": activity.get("serviceUrl"),
        "locale": activity.get("locale"),
    }
    return json.dumps({"reference": reference})


def new_chat_address(activity: dict[str, Any], user: dict[str, Any]) -> str:
    """How to start a personal chat with someone who has not messaged the bot yet."""
    return json.dumps(
        {
            "create": {
                "serviceUrl": activity.get("serviceUrl"),
                "tenantId": tenant_of(activity),
                "bot": activity.get("recipient"),
                "user": {"id": user.get("id"), "name": user.get("name")},
            }
        }
    )


def _sender(activity: dict[str, Any], personal: bool) -> Actor:
    sender = activity.get("from") or {}
    address = personal_address(activity) if personal else new_chat_address(activity, sender)
    return Actor(PLATFORM, tenant_of(activity), sender["id"], sender.get("name"), address=address)


def _mentions(activity: dict[str, Any]) -> tuple[tuple[Actor, ...], str]:
    """People @mentioned (the bot left out), and the text with `<at>Name</at>` as `@Name`."""
    text = activity.get("text") or ""
    bot_id = (activity.get("recipient") or {}).get("id")
    people: list[Actor] = []
    for entity in activity.get("entities") or []:
        if entity.get("type") != "mention":
            continue
        mentioned = entity.get("mentioned") or {}
        tag = entity.get("text") or ""
        if mentioned.get("id") == bot_id:
            text = text.replace(tag, " ") if tag else text
            continue
        if not mentioned.get("id"):
            continue
        name = mentioned.get("name")
        if tag:
            text = text.replace(tag, f"@{name or mentioned['id']}")
        if mentioned["id"] not in {p.user_id for p in people}:
            people.append(
                Actor(
                    PLATFORM,
                    tenant_of(activity),
                    mentioned["id"],
                    name,
                    address=new_chat_address(activity, mentioned),
                )
            )
    return tuple(people), re.sub(r"[ \t]{2,}", " ", text).strip()


MEETING_END = "application/vnd.microsoft.meetingEnd"


def meeting_end(activity: dict[str, Any]) -> MeetingEnded | None:
    """Teams' meeting-end event in a meeting chat the bot is part of."""
    if activity.get("type") != "event" or activity.get("name") != MEETING_END:
        return None
    conversation = activity.get("conversation") or {}
    sender = activity.get("from") or {}
    if not conversation.get("id") or not sender.get("id"):
        return None
    value = activity.get("value") if isinstance(activity.get("value"), dict) else {}
    meeting = (activity.get("channelData") or {}).get("meeting") or {}
    return MeetingEnded(
        actor=_sender(activity, personal=False),
        conversation=Conversation(id=conversation["id"], kind="group"),
        title=str(value.get("Title") or value.get("title") or "Meeting"),
        external_id=str(value.get("Id") or meeting.get("id") or "") or None,
        delivery_id=f"teams:{conversation['id']}:{activity['id']}" if activity.get("id") else None,
    )


def export_request(activity: dict[str, Any]) -> CommandInvoked | None:
    """An accepted file-consent card for the data export asks for the export again, now."""
    if not (activity.get("from") or {}).get("id") or not (activity.get("conversation") or {}):
        return None
    return CommandInvoked(
        actor=_sender(activity, personal=True),
        conversation=Conversation(id=activity["conversation"]["id"], kind="direct"),
        name="coproduce",
        text="my-data",
    )


def translate_activity(activity: dict[str, Any]) -> Event | None:
    """Any activity the engine cares about, as a neutral event; None for the rest."""
    if activity.get("type") == "event":
        return meeting_end(activity)
    return message_activity(activity)


def message_activity(activity: dict[str, Any]) -> Event | None:
    """A message activity as an idea, a command or a card submission; None for anything else."""
    if activity.get("type") != "message":
        return None
    conversation = activity.get("conversation") or {}
    if not (activity.get("from") or {}).get("id") or not conversation.get("id"):
        return None
    personal = is_personal(activity)
    actor = _sender(activity, personal)
    where = Conversation(id=conversation["id"], kind="direct" if personal else "group")
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
    people, text = _mentions(activity)
    command = parse_command(text, slash_optional=True)
    if command is not None:
        return CommandInvoked(
            actor=actor,
            conversation=where,
            name=command.name,
            text=command.text,
            delivery_id=delivery,
            mentions=people,
        )
    return IncomingMessage(actor=actor, conversation=where, text=text, delivery_id=delivery)
