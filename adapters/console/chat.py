"""The console chat loop: stdin lines become neutral events, replies are printed as text."""

from __future__ import annotations

import asyncio
import getpass
import re
import sys
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from pathlib import Path
from typing import TextIO

from sqlmodel.ext.asyncio.session import AsyncSession

from adapters.console import render
from adapters.console.buttons import ButtonBoard
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
from bot.seam.messages import Choice, Message, TextInput
from storage.database import Database
from storage.groups import create_group, workspace_groups
from storage.models import Workspace, id_of, utcnow
from storage.people import ensure_workspace

PLATFORM = "console"
_MENTION = re.compile(r"(?<![\w@])@([\w][\w.-]*)")
WORKSPACE = "local"

BANNER = (
    "Coproduce console: you are {name} here (use --as NAME to be someone else).\n"
    "Type an idea and press Enter, or /coproduce help. Press a button by typing the number\n"
    "shown beside it, like :3.1. Start a line with #group to say it in the group's channel\n"
    "(meetings happen there). Ctrl-D to leave."
)
# Who the person at the terminal is when they don't say: their login name, unless that is a
# system account, then a name that reads as a person's in every message ("Thank you, Sam").
FALLBACK_NAME = "Sam"


def default_name() -> str:
    try:
        login = getpass.getuser()
    except (KeyError, OSError):
        return FALLBACK_NAME
    if not login or login in ("root", "nobody") or not login.isalnum():
        return FALLBACK_NAME
    return login.title()


@dataclass
class _Form:
    """A form being filled in, one field per typed line."""

    action_id: str
    value: str
    fields: list[TextInput | Choice]
    answers: dict[str, str] = dataclass_field(default_factory=dict)

    @property
    def current(self) -> TextInput | Choice:
        return self.fields[len(self.answers)]


GROUP_PREFIX = "#group"
GROUP_CHANNEL = "console:group"
SWITCH = ":group "
FIRST_GROUP = "Our group"


def _numbers(line: str, most: int) -> list[int] | None:
    """`1,3` or `1 3` → [1, 3]; an empty line → []; None when any is not an option."""
    parts = line.replace(",", " ").split()
    if not all(part.isdigit() and 1 <= int(part) <= most for part in parts):
        return None
    return sorted({int(part) for part in parts})


class ConsoleRoster:
    """The group's channel in the console: you, plus the names given with --people."""

    def __init__(self, names: list[str]) -> None:
        self.names = names

    async def members(self, conversation: Conversation) -> list[Actor]:
        return [Actor(PLATFORM, WORKSPACE, name, name, address=name) for name in self.names]


def group_channel(name: str) -> str:
    """The console's channel for a named group."""
    slug = "-".join(name.lower().split())
    return f"{GROUP_CHANNEL}:{slug}"


async def _console_workspace(session: AsyncSession) -> Workspace:
    return await ensure_workspace(
        session=session,
        platform=PLATFORM,
        external_id=WORKSPACE,
        timezone="Europe/London",
        now=utcnow(),
    )


async def first_group(database: Database) -> None:
    """The console's own channel is a group from the start: on your own machine there is
    nobody else to make it one, and a new console should work at once."""
    async with database.transaction() as session:
        workspace = await _console_workspace(session)
        if not await workspace_groups(session=session, workspace_id=id_of(workspace)):
            await create_group(
                session=session,
                workspace_id=id_of(workspace),
                channel_id=GROUP_CHANNEL,
                channel_address=GROUP_CHANNEL,
                name=FIRST_GROUP,
                now=utcnow(),
            )


async def demo_timing(database: Database, delay: str) -> None:
    """For a quick demo: prompts `delay` after a meeting ends, at any hour, in every group."""
    async with database.transaction() as session:
        workspace = await _console_workspace(session)
        for group in await workspace_groups(session=session, workspace_id=id_of(workspace)):
            group.reflection_delay, group.quiet_hours = delay, "off"


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
        board: ButtonBoard | None = None,
    ) -> None:
        self.engine = engine
        self.files_dir = files_dir
        self.roster = roster or ConsoleRoster([])
        self.group = Conversation(id=GROUP_CHANNEL, kind="group", address=GROUP_CHANNEL)
        self.name = name
        self.actor = Actor(PLATFORM, WORKSPACE, name, name, address=name)
        self.conversation = Conversation(id=f"console:{name}", kind="direct")
        self.out = out
        self.board = board or ButtonBoard()
        self._form: _Form | None = None

    def _event(self, line: str) -> Event | None:
        if self._form is not None:
            return self._answer(line)
        stripped = line.strip()
        if stripped.startswith(":") and stripped[1:].replace(".", "", 1).isdigit():
            pressed = self.board.press(stripped[1:])
            if isinstance(pressed, str):
                self._print(pressed)
                return None
            action_id, value = pressed
            return ActionInvoked(self.actor, self.conversation, action_id, value)
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

    def _answer(self, line: str) -> Event | None:
        """One line answers the form's current field; the last answer sends the form."""
        form = self._form
        assert form is not None
        field = form.current
        if isinstance(field, Choice) and field.many:
            picked = _numbers(line, len(field.options))
            if picked is None:
                self._print(f"Please type numbers from 1 to {len(field.options)}, such as 1,3.")
                self._ask(field)
                return None
            values = [value for value, _ in field.options]
            chosen_values = [values[n - 1] for n in picked] if picked else list(field.chosen)
            form.answers[field.name] = ",".join(chosen_values)
        elif isinstance(field, Choice):
            typed = line.strip()
            options = dict(enumerate((value for value, _ in field.options), 1))
            chosen = options.get(int(typed)) if typed.isdigit() else None
            if chosen is None:
                self._print(f"Please type a number from 1 to {len(options)}.")
                self._ask(field)
                return None
            form.answers[field.name] = chosen
        else:
            form.answers[field.name] = line
        if len(form.answers) < len(form.fields):
            self._ask(form.current)
            return None
        self._form = None
        return ActionInvoked(
            self.actor, self.conversation, form.action_id, form.value, dict(form.answers)
        )

    def _ask(self, field: TextInput | Choice) -> None:
        if isinstance(field, Choice) and field.many:
            options = "  ".join(
                f"{n}) {render.clean(label)}{' [ticked]' if value in field.chosen else ''}"
                for n, (value, label) in enumerate(field.options, 1)
            )
            self._print(
                f"{render.clean(field.label).rstrip('?:')}: type the numbers, such as 1,3, "
                f"or press Enter to keep the ticked ones. {options}"
            )
        elif isinstance(field, Choice):
            options = "  ".join(
                f"{n}) {render.clean(label)}" for n, (_, label) in enumerate(field.options, 1)
            )
            self._print(f"{render.clean(field.label).rstrip('?:')}: type a number. {options}")
        else:
            self._print(f"{render.clean(field.label).rstrip('?:')}: type it and press Enter.")

    def _print(self, text: str) -> None:
        self.out.write(text + "\n")
        self.out.flush()

    def _show(self, message: Message) -> None:
        number = None
        _, buttons = render.text(message)
        if buttons and not message.is_form:
            number = self.board.add(buttons)
        shown, _ = render.text(message, number=number)
        self._print(shown)

    async def switch(self, name: str) -> None:
        """Talk in the channel of the group called `name` from now on; it becomes a group
        (named so) the first time, as an admin's /coproduce group name would make it."""
        name = " ".join(name.split())
        if not name:
            self._print("Please give the group's name, such as :group Carers.")
            return
        self.group = Conversation(id=group_channel(name), kind="group", address=group_channel(name))
        self._print(f"(Now in the channel of the group \u201c{render.clean(name)}\u201d.)")
        await self.say(f"{GROUP_PREFIX} /coproduce group name {name}")

    async def say(self, line: str) -> None:
        """Handle one typed line and print the bot's answers."""
        if self._form is None and line.strip().lower().startswith(SWITCH):
            await self.switch(line.strip()[len(SWITCH) :])
            return
        event = self._event(line)
        if event is None:
            return
        roster = self.roster if event.conversation.kind == "group" else None
        for reply in await self.engine.handle(event, roster=roster):
            self._show(reply.message)
            if reply.message.attachment is not None:
                path = self.files_dir / reply.message.attachment.filename
                path.write_text(reply.message.attachment.content, encoding="utf-8")
                self._print(f"(Saved to {path})")
            if reply.message.is_form and reply.message.submit:
                fields = [b for b in reply.message.blocks if isinstance(b, TextInput | Choice)]
                submit = reply.message.submit
                self._form = _Form(submit.action_id, submit.value, fields)
                self._ask(self._form.current)

    async def run(self, lines: TextIO = sys.stdin) -> None:
        """Read lines until end of input."""
        self._print(BANNER.format(name=render.clean(self.name)))
        interactive = lines.isatty()
        while True:
            if interactive:
                self.out.write("you> ")
                self.out.flush()
            line = await asyncio.to_thread(lines.readline)
            if not line:
                break
            await self.say(line.rstrip("\n"))
