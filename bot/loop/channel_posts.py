"""Posts in a group's channel, in the language the workspace chose for them: English, Welsh,
or both (Welsh first, as the Welsh Language Standards ask of bilingual material)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from bot.i18n import speaking
from bot.seam.messages import Message

# The `channel-language` setting → the languages of each post, in order.
CHOICES: dict[str, tuple[str, ...]] = {"en": ("en",), "cy": ("cy",), "both": ("cy", "en")}


async def in_channel_languages(setting: str, build: Callable[[], Awaitable[Message]]) -> Message:
    """`build` once per language of the setting; one message with each part in turn."""
    parts = []
    for language in CHOICES.get(setting, ("en",)):
        with speaking(language):
            parts.append(await build())
    if len(parts) == 1:
        return parts[0]
    return Message(
        summary=" / ".join(part.summary for part in parts),
        blocks=tuple(block for part in parts for block in part.blocks),
    )
