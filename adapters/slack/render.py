"""Neutral messages to Block Kit. Every piece of text is escaped: no pings, no links, no markup."""

from __future__ import annotations

import json
from typing import Any

from bot.messages import Buttons, Choice, Context, Facts, Heading, Message, Paragraph, TextInput

FORM_CALLBACK = "coproduce.form"
_STYLES = {"primary": "primary", "danger": "danger"}


def escape(text: str) -> str:
    """Slack mrkdwn escaping: `<!channel>` shows as text instead of pinging everyone."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _plain(text: str, limit: int) -> dict[str, Any]:
    # plain_text is never parsed for mentions, so it only needs trimming to Slack's limit.
    return {"type": "plain_text", "text": text[:limit], "emoji": True}


def _mrkdwn(text: str) -> dict[str, Any]:
    return {"type": "mrkdwn", "text": escape(text), "verbatim": True}


def blocks(message: Message) -> list[dict[str, Any]]:
    """Block Kit blocks for a chat message (forms are rendered by `modal`)."""
    out: list[dict[str, Any]] = []
    for block in message.blocks:
        if isinstance(block, Heading):
            out.append({"type": "header", "text": _plain(block.text, 150)})
        elif isinstance(block, Paragraph):
            out.append({"type": "section", "text": _mrkdwn(block.text)})
        elif isinstance(block, Facts):
            fields = [_mrkdwn(f"{label}\n{value}") for label, value in block.items]
            for start in range(0, len(fields), 10):
                out.append({"type": "section", "fields": fields[start : start + 10]})
        elif isinstance(block, Context):
            out.append({"type": "context", "elements": [_mrkdwn(block.text)]})
        elif isinstance(block, Buttons):
            out.append({"type": "actions", "elements": [_button(b) for b in block.buttons]})
    return out


def _button(button: Any) -> dict[str, Any]:
    element: dict[str, Any] = {
        "type": "button",
        "text": _plain(button.label, 75),
        "action_id": button.action_id,
        "value": button.value,
    }
    if button.style in _STYLES:
        element["style"] = _STYLES[button.style]
    return element


def home_view(message: Message) -> dict[str, Any]:
    """The App Home tab: the same blocks, published as a home view."""
    return {"type": "home", "blocks": blocks(message)[:100]}


def fallback_text(message: Message) -> str:
    """The notification text that accompanies blocks."""
    return escape(message.summary)


def ephemeral_response(message: Message) -> dict[str, Any]:
    """The body of a slash command's acknowledgement: a message only the person sees."""
    return {"response_type": "ephemeral", "text": fallback_text(message), "blocks": blocks(message)}


def modal(message: Message, *, channel_id: str) -> dict[str, Any]:
    """A form as a modal view; the submit action and its value ride in private_metadata."""
    submit = message.submit
    body: list[dict[str, Any]] = []
    for block in message.blocks:
        if isinstance(block, Choice):
            options = [
                {"text": _plain(label, 75), "value": value} for value, label in block.options
            ]
            body.append(
                {
                    "type": "input",
                    "block_id": block.name,
                    "label": _plain(block.label, 2000),
                    "element": {"type": "static_select", "action_id": "value", "options": options},
                }
            )
        elif isinstance(block, TextInput):
            element: dict[str, Any] = {
                "type": "plain_text_input",
                "action_id": "value",
                "multiline": block.multiline,
            }
            if block.initial:
                element["initial_value"] = block.initial
            if block.max_length:
                element["max_length"] = block.max_length
            body.append(
                {
                    "type": "input",
                    "block_id": block.name,
                    "label": _plain(block.label, 2000),
                    "element": element,
                    "optional": block.name == "note",
                }
            )
        elif isinstance(block, Paragraph | Context):
            body.extend(blocks(Message(summary="", blocks=(block,))))
    metadata = {
        "action_id": submit.action_id if submit else "",
        "value": submit.value if submit else "",
        "channel": channel_id,
    }
    return {
        "type": "modal",
        "callback_id": FORM_CALLBACK,
        "title": _plain(message.title, 24),
        "submit": _plain(submit.label if submit else "Send", 24),
        "close": _plain("Cancel", 24),
        "private_metadata": json.dumps(metadata),
        "blocks": body,
    }
