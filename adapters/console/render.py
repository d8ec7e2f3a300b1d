"""Neutral messages to plain terminal text, with control characters removed from all text."""

from __future__ import annotations

import re

from bot.seam.messages import (
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

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def clean(text: str) -> str:
    """Strip terminal control characters (escape sequences could rewrite the screen)."""
    return _CONTROL.sub("", text)


def text(message: Message, *, number: int | None = None) -> tuple[str, list[tuple[str, str, str]]]:
    """The message as lines of text, and its buttons as (label, action_id, value) in order.
    With the message's `number`, buttons show how to press them (`[:4.1] Edit`); without, they
    are listed as what the recipient will see. A form's fields are asked for one at a time by
    the chat, so they are not printed here."""
    lines: list[str] = []
    buttons: list[tuple[str, str, str]] = []
    for block in message.blocks:
        if isinstance(block, Heading):
            lines.append(f"== {clean(block.text)} ==")
        elif isinstance(block, Paragraph):
            lines.append(clean(block.text))
        elif isinstance(block, Facts):
            lines.extend(f"  {clean(label)}  {clean(value)}" for label, value in block.items)
        elif isinstance(block, Context):
            lines.append(f"  ({clean(block.text)})")
        elif isinstance(block, Link):
            lines.append(f"{clean(block.label)}: {block.url}")
        elif isinstance(block, TextInput | Choice):
            continue
        elif isinstance(block, Buttons):
            for button in block.buttons:
                buttons.append((button.label, button.action_id, button.value))
    if buttons and not message.is_form:
        if number is None:
            lines.append("  Buttons: " + " \u00b7 ".join(clean(label) for label, _, _ in buttons))
        else:
            lines.append(
                "  ".join(
                    f"[:{number}.{i}] {clean(label)}" for i, (label, _, _) in enumerate(buttons, 1)
                )
            )
    return "\n".join(lines), buttons
