"""The console chat loop: stdin lines become neutral events, replies are printed as text."""

from __future__ import annotations

import asyncio
import re
import sys
from pathlib import Path
from typing import TextIO

from adapters.console import render
from bot.engine import Engine
from bot.seam.commands import parse_command
from bot.seam.events import (
    ActionInvoked,
    Actor,
    CommandInvoked,
    Conversation,
    Event,
    IncomingMessage,
)
from bot.seam.messages import TextInput
from storage.database import Database
from storage.models import utcnow
from storage.people import ensure_workspace

PLATFORM = "console"
_MENTION = re.compile(r"(?<![\w@])@([\w][\w.-]*)")
WORKSPACE = "local"

BANNER = (
    "Coproduce console. Type an idea and press Enter, or /coproduce help.\n"
    "Press a button by typing its number, like :1. Start a line with #group to say it in the\n"
    "group's channel (meetings happen there). Ctrl-D to leave."
)
GROUP_PREFIX = "#group"
GROUP_CHANNEL = "console:group"


class ConsoleRoster:
    """The group's channel in the console: you, plus the names given with --group."""

    def __init__(self, names: list[str]) -> None:
        self.names = names

    async def members(self, conversation: Conversation) -> list[Actor]:
        return [Actor(PLATFORM, WORKSPACE, name, name, address=name) for name in self.names]


async def demo_timing(database: Database, delay: str) -> None:
    """For a quick demo: prompts `delay` after a meeting ends, at any hour."""
    async with database.transaction() as session:
        workspace = await ensure_workspace(
            session=session,
            platform=PLATFORM,
            external_id=WORKSPACE,
            timezone="Europe/London",
            now=utcnow(),
        )
        workspace.reflection_delay = delay
        workspace.quiet_hours = "off"


class ConsoleChat:
    """One person talking to the bot in a terminal, as a 1:1 chat would on Slack or Teams."""

    def __init__(
        self,
        engine: Engine,
        *,
        name: str,
        out: TextIO = sys.stdout,
        roster: ConsoleRoster | None = None,
        files_dir: Path = Path("."),
    ) -> None:
        self.engine = engine
        self.files_dir = files_dir
        self.roster = roster or ConsoleRoster([])
        self.group = Conversation(id=GROUP_CHANNEL, kind="group", address=GROUP_CHANNEL)
        self.actor = Actor(PLATFORM, WORKSPACE, name, name, address=name)
        self.conversation = Conversation(id=f"console:{name}", kind="direct")
        self.out = out
        self._buttons: list[tuple[str, str, str]] = []
        self._form: tuple[str, str, str] | None = None  # (action_id, value, input name)

    def _event(self, line: str) -> Event | None:
        if self._form is not None:
            action_id, value, field = self._form
            self._form = None
            return ActionInvoked(self.actor, self.conversation, action_id, value, {field: line})
        stripped = line.strip()
        if stripped.startswith(":") and stripped[1:].isdigit():
            index = int(stripped[1:]) - 1
            if 0 <= index < len(self._buttons):
                _, action_id, value = self._buttons[index]
                return ActionInvoked(self.actor, self.conversation, action_id, value)
            self._print("There's no button with that number.")
            return None
        where = self.conversation
        if stripped.startswith(GROUP_PREFIX):
            where, line = self.group, stripped[len(GROUP_PREFIX) :].strip()
        command = parse_command(line, slash_optional=False)
        if command is not None and command.name == "meeting":
            where = self.group  # the console has one group, and meetings happen in it
        if command is not None:
            mentioned = tuple(
                Actor(PLATFORM, WORKSPACE, name, name, address=name)
                for name in dict.fromkeys(_MENTION.findall(command.text))
            )
            return CommandInvoked(self.actor, where, command.name, command.text, mentions=mentioned)
        return IncomingMessage(self.actor, where, line)

    def _print(self, text: str) -> None:
        self.out.write(text + "\n")
        self.out.flush()

    async def say(self, line: str) -> None:
        """Handle one typed line and print the bot's answers."""
        event = self._event(line)
        if event is None:
            return
        roster = self.roster if event.conversation.kind == "group" else None
        for reply in await self.engine.handle(event, roster=roster):
            shown, buttons = render.text(reply.message)
            self._print(shown)
            if reply.message.attachment is not None:
                path = self.files_dir / reply.message.attachment.filename
                path.write_text(reply.message.attachment.content, encoding="utf-8")
                self._print(f"(Saved to {path})")
            if reply.message.is_form and reply.message.submit:
                field = next(b.name for b in reply.message.blocks if isinstance(b, TextInput))
                self._form = (reply.message.submit.action_id, reply.message.submit.value, field)
            elif buttons:
                self._buttons = buttons

    async def run(self, lines: TextIO = sys.stdin) -> None:
        """Read lines until end of input."""
        self._print(BANNER)
        interactive = lines.isatty()
        while True:
            if interactive:
                self.out.write("you> ")
                self.out.flush()
            line = await asyncio.to_thread(lines.readline)
            if not line:
                break
            await self.say(line.rstrip("\n"))
