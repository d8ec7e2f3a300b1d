"""Neutral messages to Adaptive Cards 1.5, with every piece of text escaped for card markdown."""

from __future__ import annotations

import re
from typing import Any

from bot.messages import Buttons, Choice, Context, Facts, Heading, Message, Paragraph, TextInput

SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!>|~<])")
_STYLES = {"primary": "positive", "danger": "destructive"}


def escape(text: str) -> str:
    """Backslash-escape card markdown, so `**x**`, `[link](url)` and `{{DATE()}}` stay text."""
    return _MARKDOWN.sub(r"\\\1", text)


def _text(text: str, **extra: Any) -> dict[str, Any]:
    return {"type": "TextBlock", "text": escape(text), "wrap": True, **extra}


def card(message: Message) -> dict[str, Any]:
    """An Adaptive Card for a message; a form's inputs and submit button work in place."""
    body: list[dict[str, Any]] = []
    actions: list[dict[str, Any]] = []
    for block in message.blocks:
        if isinstance(block, Heading):
            body.append(_text(block.text, size="Large", weight="Bolder"))
        elif isinstance(block, Paragraph):
            body.append(_text(block.text))
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
            body.append(_text(block.text, isSubtle=True, size="Small"))
        elif isinstance(block, Choice):
            body.append(
                {
                    "type": "Input.ChoiceSet",
                    "id": block.name,
                    "label": block.label,
                    "style": "compact",
                    "isRequired": True,
                    "choices": [{"title": label, "value": value} for value, label in block.options],
                }
            )
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
            for button in block.buttons:
                action: dict[str, Any] = {
                    "type": "Action.Submit",
                    "title": button.label,
                    "data": {"action": button.action_id, "value": button.value},
                }
                if button.style in _STYLES:
                    action["style"] = _STYLES[button.style]
                actions.append(action)
    result: dict[str, Any] = {
        "type": "AdaptiveCard",
        "$schema": SCHEMA,
        "version": "1.5",
        "body": body,
    }
    if actions:
        result["actions"] = actions
    return result
