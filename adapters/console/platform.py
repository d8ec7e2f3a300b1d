"""The console's registration: no settings and no routes; `coproduce console` runs it, and
COPRODUCE_ADMINS may name console users (`console:alice`)."""

from __future__ import annotations

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


PLATFORM = register(
    Platform(
        name="console",
        settings=ConsoleSettings,
        enabled=lambda settings: False,  # never served over HTTP; `coproduce console` runs it
        report=lambda settings: "",
        build=_build,
    )
)
