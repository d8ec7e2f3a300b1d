"""Bot Framework activities (as JSON dicts) to neutral events. Pure functions."""

from __future__ import annotations

import json
import re
from typing import Any

from adapters.payloads import obj, text
from bot.seam.commands import parse_command
from bot.seam.events import (
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
    tenant = text(obj(obj(activity.get("channelData")).get("tenant")).get("id"))
    return tenant or text(obj(activity.get("conversation")).get("tenantId")) or "default"


def channel_of(conversation_id: str) -> str:
    """A channel, not one thread in it: a group is the channel, whichever thread people use."""
    return conversation_id.split(";messageid=")[0]


def is_personal(activity: dict[str, Any]) -> bool:
    kind = obj(activity.get("conversation")).get("conversationType", "personal")
    return kind == "personal"


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


def channel_address(activity: dict[str, Any]) -> str:
    """A group conversation's reference, for posting there later (digests). A channel's
    `;messageid=` suffix names one thread; without it a post starts a new one."""
    address = json.loads(personal_address(activity))
    conversation = dict(obj(address["reference"].get("conversation")))
    conversation["id"] = channel_of(text(conversation.get("id")))
    address["reference"]["conversation"] = conversation
    address["reference"]["activityId"] = None
    return json.dumps(address)


def new_chat_address(activity: dict[str, Any], user: dict[str, Any]) -> str:
    """How to start a personal chat with someone who has not messaged the bot yet."""
    return json.dumps(
        {
            "create": {
                "serviceUrl": activity.get("serviceUrl"),
                "tenantId": tenant_of(activity),
                "bot": activity.get("recipient"),
                "user": {"id": text(user.get("id")), "name": text(user.get("name"))},
            }
        }
    )


def _sender(activity: dict[str, Any], personal: bool) -> Actor:
    sender = obj(activity.get("from"))
    address = personal_address(activity) if personal else new_chat_address(activity, sender)
    return Actor(
        PLATFORM,
        tenant_of(activity),
        text(sender.get("id")),
        text(sender.get("name")) or None,
        address=address,
        alias=text(sender.get("aadObjectId")) or None,
    )


def _mentions(activity: dict[str, Any]) -> tuple[tuple[Actor, ...], str]:
    """People @mentioned (the bot left out), and the text with `<at>Name</at>` as `@Name`."""
    said = text(activity.get("text"))
    bot_id = obj(activity.get("recipient")).get("id")
    people: list[Actor] = []
    entities = activity.get("entities") if isinstance(activity.get("entities"), list) else []
    for entity in map(obj, entities):
        if entity.get("type") != "mention":
            continue
        mentioned = obj(entity.get("mentioned"))
        tag = text(entity.get("text"))
        who = text(mentioned.get("id"))
        if who and who == bot_id:
            said = said.replace(tag, " ") if tag else said
            continue
        if not who:
            continue
        name = text(mentioned.get("name")) or None
        if tag:
            said = said.replace(tag, f"@{name or who}")
        if who not in {p.user_id for p in people}:
            people.append(
                Actor(
                    PLATFORM,
                    tenant_of(activity),
                    who,
                    name,
                    address=new_chat_address(activity, mentioned),
                )
            )
    return tuple(people), re.sub(r"[ \t]{2,}", " ", said).strip()


MEETING_END = "application/vnd.microsoft.meetingEnd"


def meeting_end(activity: dict[str, Any]) -> MeetingEnded | None:
    """Teams' meeting-end event in a meeting chat the bot is part of."""
    if activity.get("type") != "event" or activity.get("name") != MEETING_END:
        return None
    conversation_id = text(obj(activity.get("conversation")).get("id"))
    if not conversation_id or not text(obj(activity.get("from")).get("id")):
        return None
    value = obj(activity.get("value"))
    meeting = obj(obj(activity.get("channelData")).get("meeting"))
    activity_id = text(activity.get("id"))
    return MeetingEnded(
        actor=_sender(activity, personal=False),
        conversation=Conversation(id=channel_of(conversation_id), kind="group"),
        title=text(value.get("Title")) or text(value.get("title")) or "Meeting",
        external_id=text(value.get("Id")) or text(meeting.get("id")) or None,
        delivery_id=f"teams:{conversation_id}:{activity_id}" if activity_id else None,
    )


def export_request(activity: dict[str, Any]) -> CommandInvoked | None:
    """An accepted file-consent card for the data export asks for the export again, now."""
    conversation_id = text(obj(activity.get("conversation")).get("id"))
    if not text(obj(activity.get("from")).get("id")) or not conversation_id:
        return None
    return CommandInvoked(
        actor=_sender(activity, personal=True),
        conversation=Conversation(id=conversation_id, kind="direct"),
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
    conversation_id = text(obj(activity.get("conversation")).get("id"))
    if not text(obj(activity.get("from")).get("id")) or not conversation_id:
        return None
    personal = is_personal(activity)
    actor = _sender(activity, personal)
    where = Conversation(
        id=conversation_id if personal else channel_of(conversation_id),
        kind="direct" if personal else "group",
        address=None if personal else channel_address(activity),
    )
    activity_id = text(activity.get("id"))
    delivery = f"teams:{conversation_id}:{activity_id}" if activity_id else None
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
    people, said = _mentions(activity)
    # In a channel the bot was @mentioned, so the words are a command; in the personal chat
    # only a leading slash makes one, and the engine reads the rest (bot/words.py).
    command = parse_command(said, slash_optional=not personal)
    if command is not None:
        return CommandInvoked(
            actor=actor,
            conversation=where,
            name=command.name,
            text=command.text,
            delivery_id=delivery,
            mentions=people,
        )
    return IncomingMessage(actor=actor, conversation=where, text=said, delivery_id=delivery)
