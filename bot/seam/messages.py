"""Neutral messages: a summary plus a few block kinds every adapter can render.

All text here is plain: renderers escape it for their platform, so user text can never become
markup, mentions or card elements.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class Heading:
    text: str


@dataclass(frozen=True)
class Paragraph:
    text: str


@dataclass(frozen=True)
class Facts:
    items: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Context:
    text: str


@dataclass(frozen=True)
class Link:
    """A web address to open (the report's sign-in link): a link button where the platform has
    one. `url` is ours, never user text."""

    label: str
    url: str


@dataclass(frozen=True)
class Button:
    label: str
    action_id: str
    value: str = ""
    style: Literal["default", "primary", "danger"] = "default"


@dataclass(frozen=True)
class Buttons:
    buttons: tuple[Button, ...]


@dataclass(frozen=True)
class TextInput:
    """A field to fill in; a message holding one is a form (Slack modal, card input)."""

    name: str
    label: str
    initial: str = ""
    multiline: bool = True
    max_length: int | None = None


@dataclass(frozen=True)
class Choice:
    """Pick one of a few options (a Slack select, a card choice set) inside a form; with
    `many`, any number of them (a checklist), `chosen` ticked to begin with. The answer is the
    chosen values, comma-separated."""

    name: str
    label: str
    options: tuple[tuple[str, str], ...]  # (value, label)
    many: bool = False
    chosen: tuple[str, ...] = ()


@dataclass(frozen=True)
class FileAttachment:
    """A file for the person alone (their data export): uploaded, offered or written out."""

    filename: str
    content: str
    mime_type: str = "application/json"


Block = Heading | Paragraph | Facts | Context | Link | Buttons | TextInput | Choice | FileAttachment


@dataclass(frozen=True)
class Message:
    """`summary` is the one-line notification text; `blocks` the full content."""

    summary: str
    blocks: tuple[Block, ...]

    @property
    def is_form(self) -> bool:
        return any(isinstance(block, TextInput | Choice) for block in self.blocks)

    @property
    def attachment(self) -> FileAttachment | None:
        return next((b for b in self.blocks if isinstance(b, FileAttachment)), None)

    @property
    def title(self) -> str:
        return next((b.text for b in self.blocks if isinstance(b, Heading)), self.summary)

    @property
    def submit(self) -> Button | None:
        """The button that submits a form: the first primary one."""
        for block in self.blocks:
            if isinstance(block, Buttons):
                for button in block.buttons:
                    if button.style == "primary":
                        return button
        return None


@dataclass(frozen=True)
class Reply:
    """An answer to the person who acted.

    `replace_original` asks the adapter to update the message whose button was pressed.
    `private` means nobody else in a group conversation may see it (Slack answers are ephemeral
    anyway; Teams then answers in the person's 1:1 chat instead of the channel).
    """

    message: Message
    replace_original: bool = False
    private: bool = False
    # Nothing was saved because of a fault on our side: the platform should deliver again.
    retry_later: bool = False
    # The language of the person it answers, for any note the adapter adds (bot/seam/notes.py).
    language: str = "en"


def simple(text: str) -> Message:
    """A one-paragraph message."""
    return Message(summary=text, blocks=(Paragraph(text),))
