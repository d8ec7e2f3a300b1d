"""Recognising commands in typed text (console, Teams) the same way Slack routes slash commands."""

from __future__ import annotations

from dataclasses import dataclass

COMMANDS: tuple[str, ...] = (
    "idea",
    "ideas",
    "follow",
    "unfollow",
    "update",
    "credit",
    "meeting",
    "agenda",
    "digest",
    "coproduce",
)

# Without a leading slash, a bare word like "ideas" starts plenty of ordinary sentences. These
# commands only count slash-less when they stand alone, so "ideas are welcome" stays an idea.
_ALONE_ONLY = frozenset({"ideas"})
# Without a slash these only count when followed by one of their own words.
_SUBCOMMANDS = {
    "agenda": ("add", "triage"),
    "digest": ("preview",),
    "meeting": ("start", "end", "schedule"),
}
_ALIASES = {"help": ("coproduce", "help")}


@dataclass(frozen=True)
class ParsedCommand:
    name: str
    text: str


def parse_command(text: str, *, slash_optional: bool) -> ParsedCommand | None:
    """The command a line of text invokes, or None when it is ordinary text."""
    stripped = text.strip()
    has_slash = stripped.startswith("/")
    if has_slash:
        stripped = stripped[1:]
    elif not slash_optional:
        return None
    word, _, rest = stripped.partition(" ")
    word = word.lower()
    rest = rest.strip()
    if word in _ALIASES and not rest:
        name, sub = _ALIASES[word]
        return ParsedCommand(name=name, text=sub)
    if word not in COMMANDS:
        return ParsedCommand(name=word, text=rest) if has_slash and word else None
    if not has_slash and word in _ALONE_ONLY and rest:
        return None
    sub = rest.split(" ", 1)[0].lower()
    if not has_slash and word in _SUBCOMMANDS and rest and sub not in _SUBCOMMANDS[word]:
        return None
    return ParsedCommand(name=word, text=rest)
