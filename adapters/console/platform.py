"""The console's registration: no settings and no routes; `coproduce console` runs it, and
COPRODUCE_ADMINS may name console users (`console:alice`)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from pydantic_settings import BaseSettings

from adapters.console.messenger import ConsoleMessenger
from adapters.registry import Platform, Running, register

if TYPE_CHECKING:
    from bot.engine import Engine


class ConsoleSettings(BaseSettings):
    """The console needs no settings: it is the person at this terminal."""


async def _build(settings: Any, engine: Engine) -> Running:
    return Running(messenger=ConsoleMessenger())


def _add_commands(commands: Any) -> None:
    from adapters.console.process import add_arguments

    add_arguments(commands.add_parser("console", help="chat with the bot in this terminal"))


def _run_process(args: argparse.Namespace, settings: Any) -> int:
    from adapters.console.process import run  # the process lifecycle: only when chatting

    return run(args, settings)


PLATFORM = register(
    Platform(
        name="console",
        settings=ConsoleSettings,
        enabled=lambda settings: False,  # never served over HTTP; `coproduce console` runs it
        report=lambda settings: "",
        build=_build,
        add_commands=_add_commands,
        run_process=_run_process,
        process_commands=("console",),
    )
)
