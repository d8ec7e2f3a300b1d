"""A message kept in the outbox comes back exactly as it was written, whatever its blocks."""

from __future__ import annotations

import json

from bot.seam import message_codec
from bot.seam.messages import (
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

EVERY_KIND = Message(
    summary="Thank you: idea #12 is saved",
    blocks=(
        Heading("Idea #12"),
        Paragraph("Evening clinics would help people who work. Diolch yn fawr! 🌱"),
        Facts((("Status", "Being considered"), ("Shared", "anonymously"))),
        Context("Only you can see this."),
        Link("Open the report", "https://coproduce.example/report/abc"),
        Buttons(
            (
                Button("Make anonymous", "idea-anonymous", "12"),
                Button("Withdraw", "idea-withdraw", "12", style="danger"),
            )
        ),
        TextInput("afterthought", "Anything you thought of later?", initial="", max_length=3000),
        Choice("who", "Who was there?", (("U1", "Sam"), ("U2", "Ali")), many=True, chosen=("U2",)),
        FileAttachment("my-data.json", '{"ideas": []}'),
    ),
)


def test_every_kind_of_block_comes_back_from_the_outbox_unchanged() -> None:
    stored = message_codec.encode(EVERY_KIND)
    assert message_codec.decode(stored) == EVERY_KIND
    # Words are kept as written (Welsh, emoji), not escaped: the outbox row is readable.
    assert "Diolch yn fawr! 🌱" in stored


def test_a_button_is_stored_by_its_fields_and_a_block_by_its_kind() -> None:
    stored = json.loads(message_codec.encode(EVERY_KIND))
    buttons = next(b for b in stored["blocks"] if b["kind"] == "buttons")
    assert buttons["buttons"][1] == {
        "label": "Withdraw",
        "action_id": "idea-withdraw",
        "value": "12",
        "style": "danger",
    }
    assert [b["kind"] for b in stored["blocks"]] == [
        "heading",
        "paragraph",
        "facts",
        "context",
        "link",
        "buttons",
        "input",
        "choice",
        "file",
    ]
