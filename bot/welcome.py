"""The privacy note that comes with a person's first reply from the bot, and their consent."""

from __future__ import annotations

from dataclasses import replace

from bot.messages import Button, Buttons, Context, Reply, simple
from bot.turn import Turn

CONSENT = "welcome.ok"
NOTE = (
    "Welcome, and thank you for joining in. A word on privacy: I keep what you send me and your "
    "name on this platform. Ideas shared with your name can be seen by the group's "
    "facilitators; anonymous ones show as \u201cAnonymous\u201d to everyone, facilitators and "
    "admins included, and you still hear what happens to them. You can get a copy of your data "
    "with /coproduce my-data, or have it deleted with /coproduce forget-me. /coproduce help "
    "tells you more."
)


def with_welcome(turn: Turn, replies: list[Reply]) -> list[Reply]:
    """Add the note to the first reply a person ever gets, once; forms are left alone."""
    if turn.person.welcomed_at is not None or not replies or replies[0].message.is_form:
        return replies
    turn.person.welcomed_at = turn.now
    first = replies[0]
    blocks = (
        *first.message.blocks,
        Context(NOTE),
        Buttons((Button("Got it, thanks", CONSENT, "1", "primary"),)),
    )
    return [replace(first, message=replace(first.message, blocks=blocks)), *replies[1:]]


def acknowledge(turn: Turn) -> Reply:
    """The person read the note: record when."""
    if turn.person.consented_at is None:
        turn.person.consented_at = turn.now
    return Reply(simple("Thank you. You can change your mind about anything, any time."))
