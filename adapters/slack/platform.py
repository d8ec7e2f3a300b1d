"""Slack's registration: its settings, what turns it on, its routes, messenger and set-up
command (`coproduce slack manifest`)."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from typing import TYPE_CHECKING, Any

import aiohttp
from slack_bolt.oauth.async_oauth_flow import AsyncOAuthFlow
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_sdk.oauth.installation_store.sqlalchemy import AsyncSQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import AsyncSQLAlchemyOAuthStateStore
from slack_sdk.web.async_client import AsyncWebClient

from adapters.registry import Platform, Route, Running, register
from adapters.slack.app import build_slack_app, events_route, oauth_routes
from adapters.slack.manifest import PLACEHOLDER, manifest
from adapters.slack.messenger import SlackMessenger
from adapters.slack.settings import SlackSettings

if TYPE_CHECKING:
    from bot.engine import Engine


def _report(settings: Any) -> str:
    if settings.slack_enabled:
        how = "OAuth, many workspaces" if settings.slack_oauth else "one workspace's bot token"
        return f"Slack: on ({how}) at POST /slack/events"
    return (
        "Slack: off (set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET, or SLACK_CLIENT_ID "
        "and SLACK_CLIENT_SECRET; see docs/slack.md)"
    )


def slack_client(settings: Any, session: aiohttp.ClientSession) -> AsyncWebClient:
    # No SDK retry handlers: the outbox decides when to try again (docs/architecture.md, "Rules").
    return AsyncWebClient(
        token=settings.SLACK_BOT_TOKEN,
        base_url=settings.SLACK_API_URL,
        session=session,
        retry_handlers=[],
    )


def _oauth(
    settings: Any, engine: Engine, client: AsyncWebClient
) -> tuple[AsyncOAuthFlow, AsyncSQLAlchemyInstallationStore]:
    """Installs and OAuth state kept in our database, in slack_sdk's own tables."""
    database = engine.database.engine
    store = AsyncSQLAlchemyInstallationStore(
        client_id=settings.SLACK_CLIENT_ID or "", engine=database
    )
    oauth_settings = AsyncOAuthSettings(
        client_id=settings.SLACK_CLIENT_ID,
        client_secret=settings.SLACK_CLIENT_SECRET,
        scopes=list(manifest(PLACEHOLDER)["oauth_config"]["scopes"]["bot"]),
        installation_store=store,
        state_store=AsyncSQLAlchemyOAuthStateStore(expiration_seconds=600, engine=database),
        install_path="/slack/install",
        redirect_uri_path="/slack/oauth_redirect",
    )
    return AsyncOAuthFlow(client=client, settings=oauth_settings), store


async def _build(settings: Any, engine: Engine) -> Running:
    session = aiohttp.ClientSession()
    client = slack_client(settings, session)
    flow, store = _oauth(settings, engine, client) if settings.slack_oauth else (None, None)
    app = build_slack_app(
        engine=engine,
        signing_secret=settings.SLACK_SIGNING_SECRET or "",
        client=client,
        oauth_flow=flow,
    )
    routes = [Route("POST", "/slack/events", events_route(app))]
    if flow is not None:
        install, redirect = oauth_routes(app)
        routes += [
            Route("GET", "/slack/install", install),
            Route("GET", "/slack/oauth_redirect", redirect),
        ]
    return Running(
        routes=routes,
        messenger=SlackMessenger(client, installations=store),
        close=session.close,
        parts={"bolt_app": app},
    )


def _add_commands(commands: Any) -> None:
    commands.add_parser("socket", help="Slack over Socket Mode (SLACK_APP_TOKEN), with the worker")
    slack = commands.add_parser("slack", help="Slack set-up helpers")
    slack.add_argument(
        "action", choices=["manifest"], help="manifest: print the app manifest for your server"
    )
    slack.add_argument("--url", required=True, help="your server's https origin")


def _run_command(args: argparse.Namespace) -> int:
    try:
        print(json.dumps(manifest(args.url), indent=2, ensure_ascii=False))
    except ValueError as error:
        print(f"coproduce: {error}", file=sys.stderr)
        return 2
    return 0


def _run_process(args: argparse.Namespace, settings: Any) -> int:
    if not settings.socket_mode_enabled:
        print(
            "coproduce: setting SLACK_APP_TOKEN: Socket Mode needs it, with "
            "SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET",
            file=sys.stderr,
        )
        return 2
    from adapters.slack.socket_mode import socket  # imports the process lifecycle: only here

    asyncio.run(socket(settings))
    return 0


PLATFORM = register(
    Platform(
        name="slack",
        settings=SlackSettings,
        enabled=lambda settings: bool(settings.slack_enabled),
        report=_report,
        build=_build,
        add_commands=_add_commands,
        run_command=_run_command,
        commands=("slack",),
        run_process=_run_process,
        process_commands=("socket",),
    )
)
