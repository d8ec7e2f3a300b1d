"""Slack payloads to neutral events. Pure functions over the JSON Slack sends; a payload that is
not what Slack sends gives None (or an event with empty fields), never an exception."""

from __future__ import annotations

import json
import re
from typing import Any

from adapters.payloads import first, obj, text
from adapters.slack.render import REPEAT_MARK
from bot.seam.events import (
    ActionInvoked,
    Actor,
    CommandInvoked,
    Conversation,
    HomeOpened,
    IncomingMessage,
)

PLATFORM = "slack"
_MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|([^>]*))?>")
_CHANNEL = re.compile(r"<#([CG][A-Z0-9]+)(?:\|([^>]*))?>")
# An address Slack turned into a link (`<mailto:sam@example.org|sam@example.org>`): as typed.
_LINK = re.compile(r"<((?:mailto:|https?://)[^|>]*)(?:\|([^>]*))?>")


def unescape(value: str) -> str:
    """Slack escapes &, < and > in what people type; store what they actually typed."""
    return value.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def address(team_id: str, user_id: str) -> str:
    """How to reach a Slack user privately: open a DM with them (conversations.open)."""
    return json.dumps({"team": team_id, "user": user_id})


def _actor(team_id: str, user_id: str, name: str | None = None) -> Actor:
    return Actor(PLATFORM, team_id, user_id, name or None, address=address(team_id, user_id))


def mentions(team_id: str, value: str) -> tuple[tuple[Actor, ...], str]:
    """People mentioned as `<@U…>` or `<@U…|name>`, and the text with them shown as @name."""
    found: list[Actor] = []
    for match in _MENTION.finditer(value):
        actor = _actor(team_id, match.group(1), match.group(2) or None)
        if actor.user_id not in {a.user_id for a in found}:
            found.append(actor)
    readable = _MENTION.sub(lambda m: "@" + (m.group(2) or m.group(1)), value)
    return tuple(found), readable


def _kind(channel_id: str) -> str:
    return "direct" if channel_id.startswith("D") else "group"


def message_event(body: dict[str, Any]) -> IncomingMessage | None:
    """A person's direct message to the bot; None for edits, bots, channels and joins."""
    event = obj(body.get("event"))
    if event.get("subtype") or event.get("bot_id") or event.get("channel_type") != "im":
        return None
    team_id = text(body.get("team_id")) or text(event.get("team"))
    user_id = text(event.get("user"))
    if not user_id or not team_id:
        return None
    event_id = text(body.get("event_id"))
    return IncomingMessage(
        actor=_actor(team_id, user_id),
        conversation=Conversation(id=text(event.get("channel")), kind="direct"),
        text=unescape(text(event.get("text"))),
        delivery_id=f"slack:{event_id}" if event_id else None,
    )


def slash_command(body: dict[str, Any]) -> CommandInvoked:
    """`/idea text` and friends; the command name loses its slash."""
    team_id = text(body.get("team_id"))
    user_id = text(body.get("user_id"))
    channel_id = text(body.get("channel_id"))
    kind = "direct" if body.get("channel_name") == "directmessage" else _kind(channel_id)
    named, said = mentions(team_id, text(body.get("text")))
    channels = tuple(
        Conversation(id=m.group(1), kind="group", address=m.group(1))
        for m in _CHANNEL.finditer(said)
    )
    said = _CHANNEL.sub(lambda m: "#" + (m.group(2) or m.group(1)), said)
    said = _LINK.sub(lambda m: m.group(2) or m.group(1).removeprefix("mailto:"), said)
    return CommandInvoked(
        actor=_actor(team_id, user_id, text(body.get("user_name"))),
        conversation=Conversation(id=channel_id, kind=kind),  # type: ignore[arg-type]
        name=text(body.get("command")).lstrip("/"),
        text=unescape(said),
        mentions=named,
        channels=channels,
    )


def _who(body: dict[str, Any]) -> tuple[str, str, str]:
    user = obj(body.get("user"))
    team_id = text(obj(body.get("team")).get("id")) or text(user.get("team_id"))
    return team_id, text(user.get("id")), text(user.get("username"))


def home_opened(body: dict[str, Any]) -> HomeOpened | None:
    """The person opened the app's Home tab."""
    event = obj(body.get("event"))
    if event.get("tab", "home") != "home":
        return None
    team_id = text(body.get("team_id"))
    user_id = text(event.get("user"))
    if not user_id:
        return None
    return HomeOpened(
        actor=_actor(team_id, user_id),
        conversation=Conversation(id=text(event.get("channel")), kind="direct"),
    )


def block_action(body: dict[str, Any]) -> ActionInvoked | None:
    """A button press on one of our messages."""
    action = first(body.get("actions"))
    team_id, user_id, name = _who(body)
    if not action or not user_id:
        return None
    channel_id = text(obj(body.get("channel")).get("id")) or text(
        obj(body.get("container")).get("channel_id")
    )
    return ActionInvoked(
        actor=_actor(team_id, user_id, name),
        conversation=Conversation(id=channel_id, kind=_kind(channel_id)),  # type: ignore[arg-type]
        action_id=text(action.get("action_id")).split(REPEAT_MARK, 1)[0],
        value=text(action.get("value")),
    )


def view_submission(body: dict[str, Any]) -> ActionInvoked | None:
    """A submitted modal: the action it stands for travels in private_metadata."""
    view = obj(body.get("view"))
    team_id, user_id, name = _who(body)
    try:
        meta = obj(json.loads(text(view.get("private_metadata")) or "{}"))
    except json.JSONDecodeError:
        return None
    if not user_id:
        return None
    inputs: dict[str, str] = {}
    for block_id, fields in obj(obj(view.get("state")).get("values")).items():
        for field in map(obj, obj(fields).values()):
            chosen = text(obj(field.get("selected_option")).get("value"))
            several = field.get("selected_options")
            if isinstance(several, list):  # a multi-select: the values, comma-separated
                chosen = ",".join(text(obj(option).get("value")) for option in several)
            inputs[block_id] = chosen or text(field.get("value"))
    channel_id = text(meta.get("channel"))
    return ActionInvoked(
        actor=_actor(team_id, user_id, name),
        conversation=Conversation(id=channel_id, kind=_kind(channel_id)),  # type: ignore[arg-type]
        action_id=text(meta.get("action_id")),
        value=text(meta.get("value")),
        inputs=inputs,
    )
