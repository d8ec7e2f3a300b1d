"""Slack payloads to neutral events. Pure functions over the JSON Slack sends."""

from __future__ import annotations

import json
import re
from typing import Any

from bot.events import ActionInvoked, Actor, CommandInvoked, Conversation, IncomingMessage

PLATFORM = "slack"


_MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|([^>]*))?>")


def unescape(text: str) -> str:
    """Slack escapes &, < and > in what people type; store what they actually typed."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def address(team_id: str, user_id: str) -> str:
    """How to reach a Slack user privately: open a DM with them (conversations.open)."""
    return json.dumps({"team": team_id, "user": user_id})


def _actor(team_id: str, user_id: str, name: str | None = None) -> Actor:
    return Actor(PLATFORM, team_id, user_id, name, address=address(team_id, user_id))


def mentions(team_id: str, text: str) -> tuple[tuple[Actor, ...], str]:
    """People mentioned as `<@U…>` or `<@U…|name>`, and the text with them shown as @name."""
    found: list[Actor] = []
    for match in _MENTION.finditer(text):
        actor = _actor(team_id, match.group(1), match.group(2) or None)
        if actor.user_id not in {a.user_id for a in found}:
            found.append(actor)
    readable = _MENTION.sub(lambda m: "@" + (m.group(2) or m.group(1)), text)
    return tuple(found), readable


def _kind(channel_id: str) -> str:
    return "direct" if channel_id.startswith("D") else "group"


def message_event(body: dict[str, Any]) -> IncomingMessage | None:
    """A person's direct message to the bot; None for edits, bots, channels and joins."""
    event = body.get("event") or {}
    if event.get("subtype") or event.get("bot_id") or event.get("channel_type") != "im":
        return None
    team_id = body.get("team_id") or event.get("team") or ""
    user_id = event.get("user")
    if not user_id or not team_id:
        return None
    return IncomingMessage(
        actor=_actor(team_id, user_id),
        conversation=Conversation(id=event.get("channel", ""), kind="direct"),
        text=unescape(event.get("text") or ""),
        delivery_id=f"slack:{body['event_id']}" if body.get("event_id") else None,
    )


def slash_command(body: dict[str, Any]) -> CommandInvoked:
    """`/idea text` and friends; the command name loses its slash."""
    team_id = body.get("team_id", "")
    user_id = body.get("user_id", "")
    channel_id = body.get("channel_id", "")
    kind = "direct" if body.get("channel_name") == "directmessage" else _kind(channel_id)
    named, text = mentions(team_id, body.get("text") or "")
    return CommandInvoked(
        actor=_actor(team_id, user_id, body.get("user_name")),
        conversation=Conversation(id=channel_id, kind=kind),  # type: ignore[arg-type]
        name=body.get("command", "").lstrip("/"),
        text=unescape(text),
        mentions=named,
    )


def block_action(body: dict[str, Any]) -> ActionInvoked | None:
    """A button press on one of our messages."""
    actions = body.get("actions") or []
    if not actions:
        return None
    action = actions[0]
    team_id = (body.get("team") or {}).get("id") or body.get("user", {}).get("team_id", "")
    channel_id = (body.get("channel") or {}).get("id") or (body.get("container") or {}).get(
        "channel_id", ""
    )
    return ActionInvoked(
        actor=_actor(team_id, body["user"]["id"], body["user"].get("username")),
        conversation=Conversation(id=channel_id, kind=_kind(channel_id)),  # type: ignore[arg-type]
        action_id=action.get("action_id", ""),
        value=action.get("value", ""),
    )


def view_submission(body: dict[str, Any]) -> ActionInvoked | None:
    """A submitted modal: the action it stands for travels in private_metadata."""
    view = body.get("view") or {}
    try:
        meta = json.loads(view.get("private_metadata") or "{}")
    except json.JSONDecodeError:
        return None
    inputs: dict[str, str] = {}
    for block_id, fields in (view.get("state") or {}).get("values", {}).items():
        for field in fields.values():
            inputs[block_id] = field.get("value") or ""
    team_id = (body.get("team") or {}).get("id") or body.get("user", {}).get("team_id", "")
    channel_id = meta.get("channel", "")
    return ActionInvoked(
        actor=_actor(team_id, body["user"]["id"], body["user"].get("username")),
        conversation=Conversation(id=channel_id, kind=_kind(channel_id)),  # type: ignore[arg-type]
        action_id=meta.get("action_id", ""),
        value=meta.get("value", ""),
        inputs=inputs,
    )
