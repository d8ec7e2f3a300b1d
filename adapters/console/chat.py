"""The console chat loop: stdin lines become neutral events, replies are printed as text."""

from __future__ import annotations

import asyncio
import re
import sys
from typing import TextIO

from adapters.console import render
from bot.commands import parse_command
from bot.engine import Engine
from bot.events import ActionInvoked, Actor, CommandInvoked, Conversation, Event, IncomingMessage
from bot.messages import TextInput

PLATFORM = "console"
_MENTION = re.compile(r"(?<![\w@])@([\w][\w.-]*)")
WORKSPACE = "local"

BANNER = (
    "Coproduce console. Type an idea and press Enter, or /coproduce help.\n"
    "Press a button by typing its number, like :1. Ctrl-D to leave."
)


class ConsoleChat:
    """One person talking to the bot in a terminal, as a 1:1 chat would on Slack or Teams."""

    def __init__(self, engine: Engine, *, name: str, out: TextIO = sys.stdout) -> None:
        self.engine = engine
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
        command = parse_command(line, slash_optional=False)
        if command is not None:
            mentioned = tuple(
                Actor(PLATFORM, WORKSPACE, name, name, address=name)
                for name in dict.fromkeys(_MENTION.findall(command.text))
            )
            return CommandInvoked(
                self.actor, self.conversation, command.name, command.text, mentions=mentioned
            )
        return IncomingMessage(self.actor, self.conversation, line)

    def _print(self, text: str) -> None:
        self.out.write(text + "\n")
        self.out.flush()

    async def say(self, line: str) -> None:
        """Handle one typed line and print the bot's answers."""
        event = self._event(line)
        if event is None:
            return
        for reply in await self.engine.handle(event):
            shown, buttons = render.text(reply.message)
            self._print(shown)
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
