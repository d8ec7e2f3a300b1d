"""Settings from the environment and an optional `.env`, checked once at start-up."""

from __future__ import annotations

import ipaddress
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.config import EngineConfig
from storage.database import normalise_url

LOOPBACK_NAMES = ("localhost",)


class SettingsError(Exception):
    """A setting is missing or malformed; the message names it in one line."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore", case_sensitive=True)

    DATABASE_URL: str = "sqlite:///coproduce.db"
    PORT: int = Field(default=3978, ge=1, le=65535)
    HOST: str | None = None
    SLACK_BOT_TOKEN: str | None = None
    SLACK_SIGNING_SECRET: str | None = None
    SLACK_APP_TOKEN: str | None = None
    SLACK_CLIENT_ID: str | None = None
    SLACK_CLIENT_SECRET: str | None = None
    SLACK_API_URL: str = "https://slack.com/api/"
    MICROSOFT_APP_ID: str | None = None
    MICROSOFT_APP_PASSWORD: str | None = None
    MICROSOFT_APP_TYPE: str | None = None
    MICROSOFT_APP_TENANT_ID: str | None = None
    TEAMS_DEV_MODE: bool = False
    COPRODUCE_TIMEZONE: str = "Europe/London"
    COPRODUCE_ADMINS: str = ""
    COPRODUCE_DELIVERY_LEASE_SECONDS: float = Field(default=60.0, gt=0, le=3600)
    # Markdown files that replace the default /privacy and /terms pages.
    COPRODUCE_PRIVACY_FILE: Path | None = None
    COPRODUCE_TERMS_FILE: Path | None = None

    @field_validator(
        "SLACK_BOT_TOKEN",
        "SLACK_SIGNING_SECRET",
        "SLACK_APP_TOKEN",
        "SLACK_CLIENT_ID",
        "SLACK_CLIENT_SECRET",
        "MICROSOFT_APP_ID",
        "MICROSOFT_APP_PASSWORD",
        "MICROSOFT_APP_TYPE",
        "MICROSOFT_APP_TENANT_ID",
        "HOST",
        mode="before",
    )
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("COPRODUCE_PRIVACY_FILE", "COPRODUCE_TERMS_FILE", mode="before")
    @classmethod
    def _page_file(cls, value: object) -> object:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        path = Path(str(value)).expanduser()
        try:
            path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise ValueError(f"cannot read {path} as UTF-8 text ({type(error).__name__})") from None
        return path

    @field_validator("DATABASE_URL")
    @classmethod
    def _database_url(cls, value: str) -> str:
        try:
            normalise_url(value)
        except Exception as error:
            raise ValueError(f"not a sqlite or postgresql URL ({error})") from None
        return value

    @field_validator("COPRODUCE_TIMEZONE")
    @classmethod
    def _timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown IANA time zone {value!r}") from None
        return value

    @field_validator("SLACK_API_URL")
    @classmethod
    def _api_url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value if value.endswith("/") else value + "/"

    @field_validator("COPRODUCE_ADMINS")
    @classmethod
    def _admins(cls, value: str) -> str:
        for entry in filter(None, (part.strip() for part in value.split(","))):
            platform, _, user = entry.partition(":")
            if platform not in ("slack", "teams", "console") or not user:
                raise ValueError(f"{entry!r} is not platform:user-id (slack, teams or console)")
        return value

    @model_validator(mode="after")
    def _platforms(self) -> Settings:
        if bool(self.SLACK_CLIENT_ID) != bool(self.SLACK_CLIENT_SECRET):
            missing = "SLACK_CLIENT_SECRET" if self.SLACK_CLIENT_ID else "SLACK_CLIENT_ID"
            raise ValueError(f"{missing}: installing on several workspaces needs both")
        if self.slack_oauth and not self.SLACK_SIGNING_SECRET:
            raise ValueError("SLACK_SIGNING_SECRET: Slack needs it to verify every request")
        if not self.slack_oauth and bool(self.SLACK_BOT_TOKEN) != bool(self.SLACK_SIGNING_SECRET):
            missing = "SLACK_SIGNING_SECRET" if self.SLACK_BOT_TOKEN else "SLACK_BOT_TOKEN"
            raise ValueError(
                f"{missing}: Slack needs both SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET"
            )
        if self.SLACK_APP_TOKEN and not self.SLACK_APP_TOKEN.startswith("xapp-"):
            raise ValueError("SLACK_APP_TOKEN: an app-level token starts with xapp-")
        teams_asked = any(
            (self.MICROSOFT_APP_PASSWORD, self.MICROSOFT_APP_TYPE, self.MICROSOFT_APP_TENANT_ID)
        )
        if teams_asked and not self.MICROSOFT_APP_ID and not self.TEAMS_DEV_MODE:
            raise ValueError(
                "MICROSOFT_APP_ID: Teams needs an app id (or TEAMS_DEV_MODE=1 for local tests)"
            )
        if self.TEAMS_DEV_MODE and not _is_loopback(self.bind_host):
            raise ValueError(
                f"HOST: TEAMS_DEV_MODE turns off authentication, so it only binds to loopback, "
                f"not {self.bind_host}"
            )
        return self

    @property
    def slack_oauth(self) -> bool:
        """Installed per workspace through Slack's OAuth flow, instead of one bot token."""
        return bool(self.SLACK_CLIENT_ID and self.SLACK_CLIENT_SECRET)

    @property
    def slack_enabled(self) -> bool:
        return bool(self.SLACK_SIGNING_SECRET and (self.SLACK_BOT_TOKEN or self.slack_oauth))

    @property
    def socket_mode_enabled(self) -> bool:
        return self.slack_enabled and bool(self.SLACK_APP_TOKEN)

    @property
    def teams_enabled(self) -> bool:
        return bool(self.MICROSOFT_APP_ID) or self.TEAMS_DEV_MODE

    def platform_report(self) -> list[str]:
        """One line per platform: on, or off and which setting would turn it on."""
        if self.slack_enabled:
            how = "OAuth, many workspaces" if self.slack_oauth else "one workspace's bot token"
            slack = f"Slack: on ({how}) at POST /slack/events"
        else:
            slack = (
                "Slack: off (set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET, or SLACK_CLIENT_ID "
                "and SLACK_CLIENT_SECRET; see docs/slack.md)"
            )
        if self.TEAMS_DEV_MODE:
            teams = "Teams: on WITHOUT authentication (TEAMS_DEV_MODE, loopback only)"
        elif self.teams_enabled:
            teams = "Teams: on at POST /api/messages"
        else:
            teams = "Teams: off (set MICROSOFT_APP_ID and its password; see docs/teams.md)"
        lines = [slack, teams]
        if not self.slack_enabled and not self.teams_enabled:
            lines.append(
                "Neither Slack nor Teams is set up, so nobody can reach the bot yet. "
                "Try `coproduce console` to chat with it here."
            )
        return lines

    @property
    def bind_host(self) -> str:
        if self.HOST:
            return self.HOST
        return "127.0.0.1" if self.TEAMS_DEV_MODE else "0.0.0.0"

    @property
    def admins(self) -> frozenset[str]:
        return frozenset(filter(None, (a.strip() for a in self.COPRODUCE_ADMINS.split(","))))

    def engine_config(self) -> EngineConfig:
        return EngineConfig(default_timezone=self.COPRODUCE_TIMEZONE, admins=self.admins)


def _is_loopback(host: str) -> bool:
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def load_settings(**overrides: object) -> Settings:
    """Read and check settings; raise SettingsError with one line naming what is wrong."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as error:
        first = error.errors()[0]
        name = ".".join(str(part) for part in first["loc"]) or "settings"
        message = first["msg"].removeprefix("Value error, ")
        if name == "settings" and ":" in message:
            name, message = message.split(":", 1)
        raise SettingsError(f"{name}: {message.strip()}") from None
