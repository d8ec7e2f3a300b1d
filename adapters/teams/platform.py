"""Teams' registration: its settings, what turns it on, its route, messenger and set-up
command (`coproduce teams package`)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from adapters.registry import Platform, Route, Running, register
from adapters.teams.app import TeamsCredentials, build_adapter, messages_route
from adapters.teams.bot import CoproduceTeamsBot
from adapters.teams.messenger import TeamsMessenger
from adapters.teams.package import package
from adapters.teams.settings import TeamsSettings

if TYPE_CHECKING:
    from bot.engine import Engine


def _report(settings: Any) -> str:
    if settings.TEAMS_DEV_MODE:
        return "Teams: on WITHOUT authentication (TEAMS_DEV_MODE, loopback only)"
    if settings.teams_enabled:
        return "Teams: on at POST /api/messages"
    return "Teams: off (set MICROSOFT_APP_ID and its password; see docs/teams.md)"


async def _build(settings: Any, engine: Engine) -> Running:
    adapter = build_adapter(
        TeamsCredentials(
            APP_ID=settings.MICROSOFT_APP_ID or "",
            APP_PASSWORD=settings.MICROSOFT_APP_PASSWORD or "",
            APP_TYPE=settings.MICROSOFT_APP_TYPE or "MultiTenant",
            APP_TENANTID=settings.MICROSOFT_APP_TENANT_ID or "",
        )
    )
    messenger = TeamsMessenger(adapter, settings.MICROSOFT_APP_ID or "")
    bot = CoproduceTeamsBot(engine, messenger)
    # Without an app id (dev mode only) no Bot Framework token is asked for.
    route = messages_route(adapter, bot, authenticated=bool(settings.MICROSOFT_APP_ID))
    return Running(
        routes=[Route("POST", "/api/messages", route)], messenger=messenger, close=bot.close
    )


def _add_commands(commands: Any) -> None:
    teams = commands.add_parser("teams", help="Teams set-up helpers")
    teams.add_argument(
        "action", choices=["package"], help="package: write the app package to upload in Teams"
    )
    teams.add_argument("--app-id", required=True, help="the bot's Microsoft App ID (a GUID)")
    teams.add_argument("--endpoint", required=True, help="your server's https origin")
    teams.add_argument("--out", default="coproduce-teams.zip", help="where to write the zip")
    teams.add_argument(
        "--version",
        dest="app_version",
        default="1.0.0",
        help="the app's version (1.0.0); raise it to upload an updated package",
    )


def _run_command(args: argparse.Namespace) -> int:
    try:
        zipped = package(app_id=args.app_id, endpoint=args.endpoint, version=args.app_version)
    except ValueError as error:
        print(f"coproduce: {error}", file=sys.stderr)
        return 2
    Path(args.out).write_bytes(zipped)
    print(f"Wrote {args.out}: upload it in Teams (Apps, Manage your apps, Upload an app).")
    return 0


PLATFORM = register(
    Platform(
        name="teams",
        settings=TeamsSettings,
        enabled=lambda settings: bool(settings.teams_enabled),
        report=_report,
        build=_build,
        add_commands=_add_commands,
        run_command=_run_command,
        commands=("teams",),
    )
)
