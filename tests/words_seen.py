"""What a member reads: every message of a whole member's journey through the engine, as text.

Used by the plain-words tests, which judge what people are shown rather than the templates."""

from __future__ import annotations

import re

from sqlmodel import select

from bot.engine import Engine
from bot.seam import message_codec
from bot.seam.events import ActionInvoked, Actor, CommandInvoked, Conversation, IncomingMessage
from bot.seam.messages import Buttons, Choice, Context, Facts, Heading, Message, Paragraph
from bot.sessions.reflection import ReflectionSteps
from bot.trust import quiet_voices
from storage.models import Meeting, OutboxDelivery, Person, as_utc
from tests.clock import FakeClock


def visible_text(message: Message) -> list[str]:
    """Each piece of text a person sees in a message, in order."""
    pieces: list[str] = []
    for block in message.blocks:
        if isinstance(block, Heading | Paragraph | Context):
            pieces.append(block.text)
        elif isinstance(block, Buttons):
            pieces.extend(button.label for button in block.buttons)
        elif isinstance(block, Choice):
            pieces.append(block.label)
            pieces.extend(label for _, label in block.options)
        elif isinstance(block, Facts):
            pieces.extend(f"{name}: {value}" for name, value in block.items)
    return pieces


def as_prose(pieces: list[str]) -> str:
    """The pieces as running text for a readability formula: every line, label and heading
    is a unit of its own, so a list is not scored as one endless sentence."""
    lines = [line.strip() for piece in pieces for line in piece.splitlines() if line.strip()]
    return " ".join(line if line[-1] in ".!?:" else f"{line}." for line in lines)


def sentences(text: str) -> list[str]:
    """Sentences of running text; list lines and headings count as their own."""
    found: list[str] = []
    for line in text.splitlines():
        found += [s.strip() for s in re.split(r"(?<=[.!?])\s+", line) if s.strip()]
    return found


MEMBERS = ("UANN", "UBEN", "UCAL", "UDEE", "UEVE")


def member(user: str) -> Actor:
    return Actor("slack", "T1", user, user[1:].title(), address=f'{{"user": "{user}"}}')


class Room:
    async def members(self, conversation: Conversation) -> list[Actor]:
        return [member(u) for u in MEMBERS]


# What Ann types: her own words come back to her in any language.
TYPED = (
    "A quieter waiting room, please",
    "I don't think I can keep going with all this",
    "Evening appointments for carers",
    "Parking for carers",
    "One more thought about the chairs",
    "Thanks to you",
    "for the idea",
    "Review",
    "Signage",
    "Cafe hours",
)


async def a_members_journey(
    engine: Engine,
    clock: FakeClock,
    *,
    language: str | None = None,
    recipients: tuple[str, ...] = MEMBERS,
) -> list[Message]:
    """Everything Ann (a member) is shown, answered or sent, over a full journey; with
    `language`, she chooses it first."""
    ann, dm = member("UANN"), Conversation("DUANN", "direct")
    fran, group = Actor("slack", "T1", "UFAC", "Fran"), Conversation("CGROUP", "group")
    seen: list[Message] = []

    async def as_ann(event: object) -> None:
        seen.extend(reply.message for reply in await engine.handle(event))  # type: ignore[arg-type]

    if language is not None:
        await as_ann(CommandInvoked(ann, dm, "coproduce", f"language {language}"))
    await as_ann(IncomingMessage(ann, dm, "A quieter waiting room, please"))
    await as_ann(IncomingMessage(ann, dm, "I don't think I can keep going with all this"))
    await as_ann(CommandInvoked(ann, dm, "idea", "anonymous Evening appointments for carers"))
    await as_ann(CommandInvoked(ann, dm, "ideas", ""))
    await as_ann(CommandInvoked(ann, dm, "coproduce", "help"))
    await as_ann(ActionInvoked(ann, dm, "idea.anonymous", "1"))
    await as_ann(ActionInvoked(ann, dm, "idea.edit", "1"))
    await as_ann(ActionInvoked(ann, dm, "idea.withdraw", "2"))
    await as_ann(ActionInvoked(ann, dm, "idea.restore", "2"))
    await as_ann(CommandInvoked(ann, dm, "follow", "9"))
    await as_ann(CommandInvoked(ann, dm, "agenda", "add Parking for carers"))
    await as_ann(CommandInvoked(ann, dm, "agenda", ""))
    await as_ann(ActionInvoked(ann, dm, "agenda.vote", "1"))
    await as_ann(CommandInvoked(ann, dm, "coproduce", "record"))
    await as_ann(CommandInvoked(ann, dm, "coproduce", "my-data"))
    await as_ann(CommandInvoked(ann, dm, "coproduce", "settings"))
    await as_ann(CommandInvoked(ann, dm, "coproduce", "pause for 2 weeks"))
    await as_ann(CommandInvoked(ann, dm, "coproduce", "resume"))
    await as_ann(CommandInvoked(ann, dm, "coproduce", "forget-me"))
    await as_ann(CommandInvoked(ann, dm, "update", "1 done"))  # not a facilitator
    await as_ann(CommandInvoked(ann, group, "meeting", "start Coffee"))  # not a facilitator
    # What facilitators do, which Ann hears about.
    for status in ("considering", "green-lit", "in-progress", "done"):
        await engine.handle(CommandInvoked(fran, group, "update", f"1 {status} Thanks to you"))
    await engine.handle(CommandInvoked(fran, group, "credit", "for the idea", mentions=(ann,)))
    await engine.handle(CommandInvoked(fran, group, "agenda", "add Signage"))
    await engine.handle(CommandInvoked(fran, group, "agenda", "add Cafe hours"))
    await engine.handle(CommandInvoked(fran, group, "agenda", "triage"))
    await engine.handle(ActionInvoked(fran, group, "agenda.confirm", "1"))
    await engine.handle(CommandInvoked(fran, group, "meeting", "start Review"), roster=Room())
    await engine.handle(CommandInvoked(fran, group, "meeting", "end"), roster=Room())
    async with engine.database.reading() as session:
        meeting = (await session.exec(select(Meeting))).one()
    steps = ReflectionSteps(engine.database)
    await steps.run_due(as_utc(meeting.prompt_at))  # type: ignore[arg-type]
    await steps.run_due(as_utc(meeting.reminder_at))  # type: ignore[arg-type]
    await as_ann(ActionInvoked(ann, dm, "reflection.share", str(meeting.id)))
    await as_ann(IncomingMessage(ann, dm, "One more thought about the chairs"))
    clock.advance(meeting_gap := (as_utc(meeting.closes_at) - clock.now))  # type: ignore[arg-type]
    assert meeting_gap.total_seconds() > 0
    await steps.run_due(clock.now)
    await quiet_voices.sweep(engine.database, clock.now)
    async with engine.database.reading() as session:
        queued = (
            await session.exec(
                select(OutboxDelivery.message)
                .join(Person, Person.id == OutboxDelivery.person_id)
                .where(Person.external_id.in_(recipients))  # type: ignore[attr-defined]
            )
        ).all()
    seen += [message_codec.decode(m) for m in queued]
    return seen
