"""Neutral messages to JSON and back, so the outbox can keep them until they are delivered."""

from __future__ import annotations

import json
from dataclasses import fields
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


_FIELDS: dict[type, tuple[str, ...]] = {}


def _plain(value: Any) -> dict[str, Any]:
    """A block or a button as a dict of its fields, one level deep: json.dumps comes back
    here for a button inside a block. `dataclasses.asdict` copied every level first, and took
    half of each queued reply's encoding time."""
    names = _FIELDS.get(type(value))
    if names is None:
        names = _FIELDS[type(value)] = tuple(field.name for field in fields(value))
    return {name: getattr(value, name) for name in names}


def encode(message: Message) -> str:
    blocks = [{"kind": _NAMES[type(block)], **_plain(block)} for block in message.blocks]
    summary = {"summary": message.summary, "blocks": blocks}
    return json.dumps(summary, ensure_ascii=False, default=_plain)


def _block(raw: dict[str, Any]) -> Block:
    kind = _KINDS[raw.pop("kind")]
    if kind is Facts:
        return Facts(tuple((label, value) for label, value in raw["items"]))
    if kind is Choice:
        options = tuple((v, label) for v, label in raw["options"])
        chosen = tuple(raw.get("chosen", ()))
        return Choice(raw["name"], raw["label"], options, raw.get("many", False), chosen)
    if kind is Buttons:
        return Buttons(tuple(Button(**button) for button in raw["buttons"]))
    return kind(**raw)  # type: ignore[no-any-return]


def decode(data: str) -> Message:
    raw = json.loads(data)
    return Message(summary=raw["summary"], blocks=tuple(_block(b) for b in raw["blocks"]))
