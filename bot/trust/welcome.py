"""The privacy note that comes with a person's first reply from the bot, and their consent."""

from __future__ import annotations

from dataclasses import replace

from bot.i18n import N_, _
from bot.seam.messages import Button, Buttons, Paragraph, Reply, simple
from bot.turn import Turn

CONSENT = "welcome.ok"
NOTE = N_(
    "Welcome, and thank you for joining in. A word on privacy: I keep what you send me and your "
    "name here. The group's facilitators see your name on ideas you share with it. The weekly "
    "\u201cYou said, we did\u201d post shows ideas without anyone's name. Anonymous ideas show "
    "no name to anyone, facilitators included; in a group of fewer than 5, others might still "
    "guess. Thanks you receive are named in that post, unless you type /coproduce "
    "public-thanks off. Replies about you come only to you. /coproduce my-data gives you a "
    "copy of your data, /coproduce forget-me deletes it, and /coproduce help tells you more."
)


def with_welcome(turn: Turn, replies: list[Reply]) -> list[Reply]:
    """Add the note to the first reply a person ever gets, once; forms are left alone."""
    if turn.person.welcomed_at is not None or not replies or replies[0].message.is_form:
        return replies
    turn.person.welcomed_at = turn.now
    first = replies[0]
    blocks = (
        *first.message.blocks,
        Paragraph(_(NOTE)),
        Paragraph(_(turn.config.urgent_help)),
        Buttons((Button(_("Got it, thanks"), CONSENT, "1", "primary"),)),
    )
    return [replace(first, message=replace(first.message, blocks=blocks)), *replies[1:]]


def acknowledge(turn: Turn) -> Reply:
    """The person read the note: record when."""
    if turn.person.consented_at is None:
        turn.person.consented_at = turn.now
    return Reply(simple(_("Thank you. You can change your mind about anything, any time.")))
