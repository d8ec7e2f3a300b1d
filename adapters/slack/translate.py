"""Slack payloads to neutral events. Pure functions over the JSON Slack sends."""

from __future__ import annotations

import json
from typing import Any

from bot.events import ActionInvoked, Actor, CommandInvoked, Conversation, IncomingMessage

PLATFORM = "slack"


def unescape(text: str) -> str:
    """Slack escapes &, < and > in what people type; store what they actually typed."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _address(team_id: str, user_id: str) -> str:
    # A DM is reached by opening a conversation with the user (conversations.open).
    return json.dumps({"team": team_id, "user": user_id})


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
        actor=Actor(PLATFORM, team_id, user_id),
        conversation=Conversation(
            id=event.get("channel", ""), kind="direct", address=_address(team_id, user_id)
        ),
        text=unescape(event.get("text") or ""),
        delivery_id=f"slack:{body['event_id']}" if body.get("event_id") else None,
    )


def slash_command(body: dict[str, Any]) -> CommandInvoked:
    """`/idea text` and friends; the command name loses its slash."""
    team_id = body.get("team_id", "")
    user_id = body.get("user_id", "")
    channel_id = body.get("channel_id", "")
    kind = "direct" if body.get("channel_name") == "directmessage" else _kind(channel_id)
    return CommandInvoked(
        actor=Actor(PLATFORM, team_id, user_id, body.get("user_name")),
        conversation=Conversation(
            id=channel_id,
            kind=kind,  # type: ignore[arg-type]
            address=_address(team_id, user_id) if kind == "direct" else None,
        ),
        name=body.get("command", "").lstrip("/"),
        text=unescape(body.get("text") or ""),
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
        actor=Actor(PLATFORM, team_id, body["user"]["id"], body["user"].get("username")),
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
        actor=Actor(PLATFORM, team_id, body["user"]["id"], body["user"].get("username")),
        conversation=Conversation(id=channel_id, kind=_kind(channel_id)),  # type: ignore[arg-type]
        action_id=meta.get("action_id", ""),
        value=meta.get("value", ""),
        inputs=inputs,
    )
