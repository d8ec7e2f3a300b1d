"""Neutral messages to Block Kit. Every piece of text is escaped: no pings, no links, no markup."""

from __future__ import annotations

import json
from typing import Any

from bot.seam.messages import (
    Button,
    Buttons,
    Choice,
    Context,
    Facts,
    Heading,
    Link,
    Message,
    Paragraph,
    TextInput,
)

FORM_CALLBACK = "coproduce.form"
_STYLES = {"primary": "primary", "danger": "danger"}
# Block Kit's limits (api.slack.com/reference/block-kit), counted on the escaped text.
SECTION_TEXT = 3000
FIELD_TEXT = 2000
HEADER_TEXT = 150
SELECT_OPTIONS = 100  # a select menu's most options
BUTTON_TEXT = 75
ACTIONS_ELEMENTS = 25
# Slack refuses a block whose buttons share an action_id; a repeated one gets this and a count,
# and `translate.action_id` takes it off again.
REPEAT_MARK = "~"


def escape(text: str) -> str:
    """Slack mrkdwn escaping: `<!channel>` shows as text instead of pinging everyone."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _clip(text: str, limit: int) -> str:
    """Labels and titles that must fit a Slack limit end in an ellipsis, never mid-word."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0] or text[: limit - 1]
    return cut.rstrip(",.;:") + "\u2026"


def _plain(text: str, limit: int) -> dict[str, Any]:
    # plain_text is never parsed for mentions, so it only needs fitting to Slack's limit.
    return {"type": "plain_text", "text": _clip(text, limit), "emoji": True}


def _mrkdwn(escaped: str) -> dict[str, Any]:
    return {"type": "mrkdwn", "text": escaped, "verbatim": True}


def _pieces(escaped: str, limit: int) -> list[str]:
    """Escaped text in pieces of at most `limit` characters, split at a line or a space and
    never inside an entity such as `&lt;`, so a long idea is shown whole across sections."""
    pieces: list[str] = []
    rest = escaped
    while len(rest) > limit:
        window = rest[:limit]
        cut = max(window.rfind("\n"), window.rfind(" "))
        if cut <= 0:
            cut = limit
            amp = window.rfind("&")
            if amp > limit - 6 and ";" not in window[amp:]:
                cut = amp
        pieces.append(rest[:cut])
        rest = rest[cut:].lstrip(" \n")
    return [*pieces, rest]


def blocks(message: Message) -> list[dict[str, Any]]:
    """Block Kit blocks for a chat message (forms are rendered by `modal`)."""
    out: list[dict[str, Any]] = []
    for block in message.blocks:
        if isinstance(block, Heading):
            out.append({"type": "header", "text": _plain(block.text, HEADER_TEXT)})
        elif isinstance(block, Paragraph):
            for piece in _pieces(escape(block.text), SECTION_TEXT):
                out.append({"type": "section", "text": _mrkdwn(piece)})
        elif isinstance(block, Facts):
            fields = [
                _mrkdwn(_clip(escape(f"{label}\n{value}"), FIELD_TEXT))
                for label, value in block.items
            ]
            for start in range(0, len(fields), 10):
                out.append({"type": "section", "fields": fields[start : start + 10]})
        elif isinstance(block, Context):
            for piece in _pieces(escape(block.text), SECTION_TEXT):
                out.append({"type": "context", "elements": [_mrkdwn(piece)]})
        elif isinstance(block, Link):
            # A link in text, not a link button: Slack sends an interaction for a button even
            # when it only opens a page.
            out.append({"type": "section", "text": _mrkdwn(f"<{block.url}|{escape(block.label)}>")})
        elif isinstance(block, Buttons):
            for start in range(0, len(block.buttons), ACTIONS_ELEMENTS):
                row = block.buttons[start : start + ACTIONS_ELEMENTS]
                out.append({"type": "actions", "elements": _buttons(row)})
    return out


def _buttons(row: tuple[Button, ...]) -> list[dict[str, Any]]:
    """One actions block's buttons, each with an action_id of its own."""
    seen: dict[str, int] = {}
    elements = []
    for button in row:
        count = seen.get(button.action_id, 0)
        seen[button.action_id] = count + 1
        action_id = button.action_id if count == 0 else f"{button.action_id}{REPEAT_MARK}{count}"
        elements.append(_button(button, action_id))
    return elements


def _button(button: Button, action_id: str) -> dict[str, Any]:
    element: dict[str, Any] = {
        "type": "button",
        "text": _plain(button.label, BUTTON_TEXT),
        "action_id": action_id,
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
            ][:SELECT_OPTIONS]
            select: dict[str, Any] = {
                "type": "multi_static_select" if block.many else "static_select",
                "action_id": "value",
                "options": options,
            }
            initial = [option for option in options if option["value"] in block.chosen]
            if block.many and initial:
                select["initial_options"] = initial
            body.append(
                {
                    "type": "input",
                    "block_id": block.name,
                    "label": _plain(block.label, 2000),
                    "element": select,
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
