"""The platform registry: each `adapters/<platform>/` registers itself here, once, and the
composition root (settings, web routes, processes, the command line) loops over what is
registered instead of naming Slack or Teams.

A platform is one folder plus its registration: its settings (a pydantic settings class whose
fields are read from the environment like every other), whether those settings turn it on and
what the operator is told at start, how to build it inside the running event loop (routes and a
messenger), and any set-up command it adds to `coproduce`.
"""

from __future__ import annotations

import argparse
import importlib
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from aiohttp import web
from pydantic_settings import BaseSettings

from bot.runtime.delivery import Messenger

if TYPE_CHECKING:
    from bot.engine import Engine

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

# The platforms this repository ships, imported so that each registers itself.
BUILT_IN = (
    "adapters.slack.platform",
    "adapters.teams.platform",
    "adapters.console.platform",
    "adapters.guests.platform",
)


@dataclass(frozen=True)
class Route:
    method: str
    path: str
    handler: Handler


@dataclass
class Running:
    """What one built platform contributes: routes, a messenger, and how to close it."""

    routes: list[Route] = field(default_factory=list)
    messenger: Messenger | None = None
    close: Callable[[], Awaitable[None]] | None = None
    # Platform objects other processes of the same platform need (Socket Mode's Bolt app).
    parts: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Platform:
    name: str
    settings: type[BaseSettings]
    enabled: Callable[[Any], bool]
    report: Callable[[Any], str]
    build: Callable[[Any, Engine], Awaitable[Running]]
    add_commands: Callable[[Any], None] | None = None  # argparse subparsers → set-up helpers
    run_command: Callable[[argparse.Namespace], int] | None = None
    commands: tuple[str, ...] = ()
    # Commands that run the bot its own way (Slack's Socket Mode): given the loaded settings.
    run_process: Callable[[argparse.Namespace, Any], int] | None = None
    process_commands: tuple[str, ...] = ()
    # Reaches people a facilitator invites by address (guests, by email): `/coproduce invite`.
    invites_people: bool = False


_REGISTRY: dict[str, Platform] = {}


def register(platform: Platform) -> Platform:
    """Make a platform known; registering the same name again replaces it."""
    _REGISTRY[platform.name] = platform
    return platform


def unregister(name: str) -> None:
    _REGISTRY.pop(name, None)


def platforms() -> list[Platform]:
    """Every registered platform, the built-in ones first, in a stable order."""
    for module in BUILT_IN:
        importlib.import_module(module)
    return list(_REGISTRY.values())


def names() -> set[str]:
    return {platform.name for platform in platforms()}


@dataclass
class Platforms:
    """The platforms the settings turned on, built and running in this process."""

    running: dict[str, Running] = field(default_factory=dict)

    @property
    def messengers(self) -> dict[str, Messenger]:
        return {name: part.messenger for name, part in self.running.items() if part.messenger}

    def routes(self) -> Iterator[Route]:
        for part in self.running.values():
            yield from part.routes

    def part(self, platform: str, name: str) -> Any:
        running = self.running.get(platform)
        return None if running is None else running.parts.get(name)

    async def close(self) -> None:
        for part in self.running.values():
            if part.close is not None:
                await part.close()


async def build_platforms(settings: Any, engine: Engine) -> Platforms:
    """Build every platform the settings turn on, inside the running event loop."""
    built = Platforms()
    for platform in platforms():
        if platform.enabled(settings):
            built.running[platform.name] = await platform.build(settings, engine)
    return built
