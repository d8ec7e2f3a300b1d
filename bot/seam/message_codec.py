"""Neutral messages to JSON and back, so the outbox can keep them until they are delivered."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from bot.seam.messages import (
    Block,
    Button,
    Buttons,
    Choice,
    Context,
    Facts,
    FileAttachment,
    Heading,
    Link,
    Message,
    Paragraph,
    TextInput,
)

_KINDS: dict[str, type] = {
    "heading": Heading,
    "paragraph": Paragraph,
    "facts": Facts,
    "context": Context,
    "buttons": Buttons,
    "input": TextInput,
    "file": FileAttachment,
    "choice": Choice,
    "link": Link,
}
_NAMES = {kind: name for name, kind in _KINDS.items()}


def encode(message: Message) -> str:
    blocks = [{"kind": _NAMES[type(block)], **asdict(block)} for block in message.blocks]
    return json.dumps({"summary": message.summary, "blocks": blocks}, ensure_ascii=False)


def _block(raw: dict[str, Any]) -> Block:
    kind = _KINDS[raw.pop("kind")]
    if kind is Facts:
        return Facts(tuple((label, value) for label, value in raw["items"]))
    if kind is Choice:
        return Choice(raw["name"], raw["label"], tuple((v, label) for v, label in raw["options"]))
    if kind is Buttons:
        return Buttons(tuple(Button(**button) for button in raw["buttons"]))
    return kind(**raw)  # type: ignore[no-any-return]


def decode(data: str) -> Message:
    raw = json.loads(data)
    return Message(summary=raw["summary"], blocks=tuple(_block(b) for b in raw["blocks"]))
