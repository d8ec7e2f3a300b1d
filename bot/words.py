"""Words without a slash: when a direct message is a command, and when it is an idea.

The same rule on every platform (docs/architecture.md): a message whose first word is a command
name runs that command only when the rest reads as that command (`update 3 done …`, `ideas`,
`help`, `coproduce record`, and `idea …` typed in lower case as the command is). Anything else
is an idea, saved whole ("Idea for a quieter room" keeps its first word), and if it began like
a command the reply says how to run it.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.contributions.numbers import parse_number
from bot.i18n import N_, _
from bot.loop.status_updates import split_status
from bot.seam.commands import COMMANDS

COPRODUCE_WORDS = frozenset(
    {
        "help",
        "record",
        "whoami",
        "settings",
        "pause",
        "resume",
        "my-data",
        "forget-me",
        "facilitators",
        "anonymous",
        "public-thanks",
        "participation",
        "language",
    }
)
# How to run each command on purpose, for the hint after a message that only looked like one.
HOW = {
    "idea": "/idea <your idea>",
    "ideas": "ideas",
    "update": N_(
        "update 12 done and a short note. The statuses are considering, green-lit, "
        "in-progress, done and parked."
    ),
    "credit": N_("/credit @name for <what>, in the group's channel"),
    "follow": N_("follow <number>, for example: follow 12"),
    "unfollow": N_("unfollow <number>, for example: unfollow 12"),
    "meeting": N_("meeting start <title>, in the group's channel"),
    "agenda": "agenda add <item>",
    "digest": "digest preview",
    "coproduce": "coproduce help",
    "help": "help",
}


@dataclass(frozen=True)
class Reading:
    """What a direct message is: a command to run (`name`, `text`), or an idea that perhaps
    `looked_like` a command."""

    name: str | None = None
    text: str = ""
    looked_like: str | None = None


def read(message: str) -> Reading:
    """Read one direct message by the rule above."""
    stripped = message.strip()
    if stripped.startswith("/"):
        return Reading()  # typed with a slash: the adapter has already made it a command
    first, _space, rest = stripped.partition(" ")
    word = first.lower().rstrip(".,:;!?")
    rest = rest.strip()
    if word == "help" and not rest:
        return Reading("coproduce", "help")
    if first == "idea" and rest:
        # typed the way the command is ("idea anonymous …"): the command, which also honours
        # "anonymous"; a sentence ("Idea for a quieter room", "idea: …") is kept whole below
        return Reading("idea", rest)
    if word not in COMMANDS and word != "help":
        return Reading()
    if _is_command(word, rest):
        return Reading(word, rest)
    return Reading(looked_like=word)


def _is_command(word: str, rest: str) -> bool:
    parts = rest.split()
    sub = parts[0].lower() if parts else ""
    if word == "ideas":
        return not rest
    if word == "update":
        return (
            len(parts) >= 2
            and parse_number(parts[0]) is not None
            and split_status(" ".join(parts[1:]))[0] is not None
        )
    if word in ("follow", "unfollow"):
        # "follow 12", never "follow up the letters"
        return len(parts) == 1 and parse_number(parts[0]) is not None
    if word == "meeting":
        return sub in ("start", "end", "schedule")
    if word == "agenda":
        return not rest or sub in ("add", "triage")
    if word == "digest":
        return not rest or (sub == "preview" and len(parts) == 1)
    if word == "coproduce":
        return sub in COPRODUCE_WORDS
    # "idea …" is an idea either way, kept whole; "credit" needs @mentions, in a channel.
    return False


def hint(looked_like: str) -> str:
    """One line after a message saved as an idea that began like a command."""
    return _(
        "I saved that as an idea. If you meant the \u201c{command}\u201d command, type: {how}",
        command=looked_like,
        how=_(HOW.get(looked_like, looked_like)),
    )
