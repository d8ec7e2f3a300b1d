"""Building each configured platform once: its Bolt app or CloudAdapter, and its messenger.

The web routes and the delivery worker share these objects, so one HTTP session per platform
serves both incoming requests and outgoing messages.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

import aiohttp
from botbuilder.integration.aiohttp import CloudAdapter
from slack_bolt.async_app import AsyncApp
from slack_bolt.oauth.async_oauth_flow import AsyncOAuthFlow
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_sdk.oauth.installation_store.sqlalchemy import AsyncSQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import AsyncSQLAlchemyOAuthStateStore
from slack_sdk.web.async_client import AsyncWebClient

from adapters.settings import Settings
from adapters.slack.app import build_slack_app
from adapters.slack.messenger import SlackMessenger
from adapters.teams.app import TeamsCredentials, build_adapter
from adapters.teams.bot import CoproduceTeamsBot
from adapters.teams.messenger import TeamsMessenger
from bot.delivery import Messenger
from bot.engine import Engine


@dataclass
class Platforms:
    slack: AsyncApp | None = None
    teams_adapter: CloudAdapter | None = None
    teams_bot: CoproduceTeamsBot | None = None
    # False only in TEAMS_DEV_MODE: then no Bot Framework token is asked for.
    teams_authenticated: bool = True
    messengers: dict[str, Messenger] = field(default_factory=dict)
    _closers: list[Callable[[], Awaitable[None]]] = field(default_factory=list)

    async def close(self) -> None:
        for closer in self._closers:
            await closer()


def slack_oauth(
    settings: Settings, engine: Engine, client: AsyncWebClient
) -> tuple[AsyncOAuthFlow, AsyncSQLAlchemyInstallationStore]:
    """Installs and OAuth state kept in our database, in slack_sdk's own tables."""
    database = engine.database.engine
    store = AsyncSQLAlchemyInstallationStore(
        client_id=settings.SLACK_CLIENT_ID or "", engine=database
    )
    oauth_settings = AsyncOAuthSettings(
        client_id=settings.SLACK_CLIENT_ID,
        client_secret=settings.SLACK_CLIENT_SECRET,
        scopes=list(manifest_scopes()),
        installation_store=store,
        state_store=AsyncSQLAlchemyOAuthStateStore(expiration_seconds=600, engine=database),
        install_path="/slack/install",
        redirect_uri_path="/slack/oauth_redirect",
    )
    return AsyncOAuthFlow(client=client, settings=oauth_settings), store


def manifest_scopes() -> list[str]:
    from adapters.slack.manifest import PLACEHOLDER, manifest

    return list(manifest(PLACEHOLDER)["oauth_config"]["scopes"]["bot"])


def slack_client(settings: Settings, session: aiohttp.ClientSession) -> AsyncWebClient:
    # No SDK retry handlers: the outbox decides when to try again (DESIGN.md §5, pacing).
    return AsyncWebClient(
        token=settings.SLACK_BOT_TOKEN,
        base_url=settings.SLACK_API_URL,
        session=session,
        retry_handlers=[],
    )


async def build_platforms(settings: Settings, engine: Engine) -> Platforms:
    """Everything the configured platforms need, created inside the running event loop."""
    platforms = Platforms()
    if settings.slack_enabled:
        session = aiohttp.ClientSession()
        client = slack_client(settings, session)
        flow, store = (
            slack_oauth(settings, engine, client) if settings.slack_oauth else (None, None)
        )
        platforms.slack = build_slack_app(
            engine=engine,
            signing_secret=settings.SLACK_SIGNING_SECRET or "",
            client=client,
            oauth_flow=flow,
        )
        platforms.messengers["slack"] = SlackMessenger(client, installations=store)
        platforms._closers.append(session.close)
    if settings.teams_enabled:
        adapter = build_adapter(
            TeamsCredentials(
                APP_ID=settings.MICROSOFT_APP_ID or "",
                APP_PASSWORD=settings.MICROSOFT_APP_PASSWORD or "",
                APP_TYPE=settings.MICROSOFT_APP_TYPE or "MultiTenant",
                APP_TENANTID=settings.MICROSOFT_APP_TENANT_ID or "",
            )
        )
        messenger = TeamsMessenger(adapter, settings.MICROSOFT_APP_ID or "")
        platforms.teams_adapter = adapter
        platforms.teams_authenticated = bool(settings.MICROSOFT_APP_ID)
        platforms.teams_bot = CoproduceTeamsBot(engine, messenger)
        platforms.messengers["teams"] = messenger
        platforms._closers.append(platforms.teams_bot.close)
    return platforms
