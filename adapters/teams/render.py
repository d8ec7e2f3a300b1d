"""Neutral messages to Adaptive Cards 1.5 for Teams.

Text is escaped only where card markdown would change it (emphasis, links, list markers at the
start of a line, `{{…}}` functions): Teams mobile shows stray backslashes, so `#3 (maybe) - ok.`
is left alone. Each line is its own TextBlock, so list items never run together; buttons sit in
an ActionSet right after the items they belong to.
"""

from __future__ import annotations

import re
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

SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"
_STYLES = {"primary": "positive", "danger": "destructive"}
# Teams shows at most six buttons in one set; more go in a set of their own below.
ACTIONS_PER_SET = 6
_INLINE = re.compile(r"([\\*_\[\]{}`])")
_LIST_MARKER = re.compile(r"^(\s*)(\d*)([-+*.)])(?=\s)")


def escape(text: str) -> str:
    """Backslash-escape what card markdown would act on: `**x**`, `[a](b)`, `{{DATE()}}`, a
    line starting `- ` or `1. `. Everything else is shown as typed."""
    lines = []
    for line in text.split("\n"):
        line = _INLINE.sub(r"\\\1", line)
        lines.append(_LIST_MARKER.sub(r"\1\2\\\3", line))
    return "\n".join(lines)


def _text(text: str, **extra: Any) -> dict[str, Any]:
    return {"type": "TextBlock", "text": escape(text), "wrap": True, **extra}


def _lines(text: str, **extra: Any) -> list[dict[str, Any]]:
    """One TextBlock per line: Teams joins single newlines in one block into one paragraph."""
    lines = [line for line in text.split("\n") if line.strip()] or [text]
    blocks = [_text(lines[0], **extra)]
    blocks.extend(_text(line, spacing="Small", **extra) for line in lines[1:])
    return blocks


def _action(button: Button) -> dict[str, Any]:
    action: dict[str, Any] = {
        "type": "Action.Submit",
        "title": button.label,
        "data": {"action": button.action_id, "value": button.value},
    }
    if button.style in _STYLES:
        action["style"] = _STYLES[button.style]
    return action


def card(message: Message) -> dict[str, Any]:
    """An Adaptive Card for a message; a form's inputs and submit button work in place."""
    body: list[dict[str, Any]] = []
    for block in message.blocks:
        if isinstance(block, Heading):
            body.append(_text(block.text, style="heading", size="Large", weight="Bolder"))
        elif isinstance(block, Paragraph):
            body.extend(_lines(block.text))
        elif isinstance(block, Facts):
            body.append(
                {
                    "type": "FactSet",
                    "facts": [
                        {"title": escape(label), "value": escape(value)}
                        for label, value in block.items
                    ],
                }
            )
        elif isinstance(block, Context):
            body.extend(_lines(block.text, isSubtle=True, size="Small"))
        elif isinstance(block, Link):
            body.append(
                {
                    "type": "ActionSet",
                    "actions": [{"type": "Action.OpenUrl", "title": block.label, "url": block.url}],
                }
            )
        elif isinstance(block, Choice):
            choice_set: dict[str, Any] = {
                "type": "Input.ChoiceSet",
                "id": block.name,
                "label": block.label,
                "style": "expanded" if block.many else "compact",
                "isRequired": not block.many,
                "choices": [{"title": label, "value": value} for value, label in block.options],
            }
            if block.many:
                # Checkboxes, ticked as given; Teams sends the ticked values comma-separated.
                choice_set["isMultiSelect"] = True
                choice_set["value"] = ",".join(block.chosen)
            body.append(choice_set)
        elif isinstance(block, TextInput):
            field: dict[str, Any] = {
                "type": "Input.Text",
                "id": block.name,
                "label": block.label,
                "isMultiline": block.multiline,
                "value": block.initial,
            }
            if block.max_length:
                field["maxLength"] = block.max_length
            body.append(field)
        elif isinstance(block, Buttons):
            for start in range(0, len(block.buttons), ACTIONS_PER_SET):
                row = block.buttons[start : start + ACTIONS_PER_SET]
                body.append({"type": "ActionSet", "actions": [_action(b) for b in row]})
    return {"type": "AdaptiveCard", "$schema": SCHEMA, "version": "1.5", "body": body}
