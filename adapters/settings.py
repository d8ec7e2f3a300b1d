"""Settings from the environment and an optional `.env`, checked once at start-up."""

from __future__ import annotations

import ipaddress
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from adapters import registry
from bot.seam.config import URGENT_HELP, EngineConfig
from storage.database import DEFAULT_POOL_SIZE, normalise_url

LOOPBACK_NAMES = ("localhost",)


class SettingsError(Exception):
    """A setting is missing or malformed; the message names it in one line."""


class CoreSettings(BaseSettings):
    """What every process needs whatever the platforms; each platform adds its own fields
    (adapters/<platform>/settings.py), and `Settings` is all of them together."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", case_sensitive=True)

    DATABASE_URL: str = "sqlite:///coproduce.db"
    # PostgreSQL connections each process keeps open; a burst may open as many again.
    DATABASE_POOL_SIZE: int = Field(default=DEFAULT_POOL_SIZE, ge=1, le=100)
    PORT: int = Field(default=3978, ge=1, le=65535)
    HOST: str | None = None
    COPRODUCE_TIMEZONE: str = "Europe/London"
    COPRODUCE_ADMINS: str = ""
    COPRODUCE_DELIVERY_LEASE_SECONDS: float = Field(default=60.0, gt=0, le=3600)
    # The one line on where to get urgent help: in help, the welcome note and the guest page.
    COPRODUCE_URGENT_HELP: str = Field(default=URGENT_HELP, min_length=10, max_length=500)
    # Markdown files that replace the default /privacy and /terms pages.
    COPRODUCE_PRIVACY_FILE: Path | None = None
    COPRODUCE_TERMS_FILE: Path | None = None
    # The server's public address, for links people open in a browser (the impact report),
    # and the key that signs those links and the report's cookie.
    COPRODUCE_PUBLIC_URL: str | None = None
    COPRODUCE_SECRET_KEY: str | None = None

    @field_validator("HOST", mode="before")
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("COPRODUCE_PUBLIC_URL", "COPRODUCE_SECRET_KEY", mode="before")
    @classmethod
    def _blank_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("COPRODUCE_PUBLIC_URL")
    @classmethod
    def _public_url(cls, value: str | None) -> str | None:
        if value is None:
            return None
        parts = urlsplit(value.strip())
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("not a web address such as https://coproduce.example.nhs.uk")
        if parts.scheme == "http" and not _is_loopback(parts.hostname):
            raise ValueError("must be https:// (plain http:// only for localhost)")
        if parts.query or parts.fragment:
            raise ValueError("must be the server's address alone, with no ? or #")
        return value.strip().rstrip("/")

    @field_validator("COPRODUCE_SECRET_KEY")
    @classmethod
    def _secret_key(cls, value: str | None) -> str | None:
        if value is not None and len(value) < 32:
            raise ValueError(
                "too short: use at least 32 random characters "
                "(python -c 'import secrets; print(secrets.token_urlsafe(48))')"
            )
        return value

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

    @field_validator("COPRODUCE_ADMINS")
    @classmethod
    def _admins(cls, value: str) -> str:
        known = registry.names()
        for entry in filter(None, (part.strip() for part in value.split(","))):
            platform, _, user = entry.partition(":")
            if platform not in known or not user:
                raise ValueError(f"{entry!r} is not platform:user-id ({', '.join(sorted(known))})")
        return value

    @model_validator(mode="after")
    def _web_links(self) -> CoreSettings:
        if self.COPRODUCE_PUBLIC_URL and not self.COPRODUCE_SECRET_KEY:
            raise ValueError(
                "COPRODUCE_SECRET_KEY: required when COPRODUCE_PUBLIC_URL is set, to sign links"
            )
        return self

    @model_validator(mode="after")
    def _loopback(self) -> CoreSettings:
        if getattr(self, "loopback_only", False) and not _is_loopback(self.bind_host):
            raise ValueError(
                f"HOST: TEAMS_DEV_MODE turns off authentication, so it only binds to loopback, "
                f"not {self.bind_host}"
            )
        return self

    def platform_report(self) -> list[str]:
        """One line per platform: on, or off and which setting would turn it on."""
        served = [p for p in registry.platforms() if p.report(self)]
        lines = [p.report(self) for p in served]
        if not any(p.enabled(self) for p in served):
            lines.append(
                "Neither Slack nor Teams is set up, so nobody can reach the bot yet. "
                "Try `coproduce console` to chat with it here."
            )
        return lines

    def serves_a_platform(self) -> bool:
        return any(platform.enabled(self) for platform in registry.platforms())

    @property
    def bind_host(self) -> str:
        if self.HOST:
            return self.HOST
        return "127.0.0.1" if getattr(self, "loopback_only", False) else "0.0.0.0"

    @property
    def admins(self) -> frozenset[str]:
        return frozenset(filter(None, (a.strip() for a in self.COPRODUCE_ADMINS.split(","))))

    def engine_config(self) -> EngineConfig:
        return EngineConfig(
            default_timezone=self.COPRODUCE_TIMEZONE,
            admins=self.admins,
            urgent_help=self.COPRODUCE_URGENT_HELP,
            public_url=self.COPRODUCE_PUBLIC_URL,
            secret_key=self.COPRODUCE_SECRET_KEY,
            guests=any(p.invites_people and p.enabled(self) for p in registry.platforms()),
        )

    @property
    def report_on(self) -> bool:
        return bool(self.COPRODUCE_PUBLIC_URL and self.COPRODUCE_SECRET_KEY)


def settings_class() -> type[CoreSettings]:
    """The settings of the core and of every registered platform, as one class."""
    bases = (*(p.settings for p in registry.platforms()), CoreSettings)
    return type("Settings", bases, {"model_config": CoreSettings.model_config})


# The settings as the registered platforms have them now; `load_settings` composes afresh, so a
# platform registered later (a test's throwaway one) is read too.
Settings: Any = settings_class()


def _is_loopback(host: str) -> bool:
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def load_settings(**overrides: object) -> Any:
    """Read and check settings; raise SettingsError with one line naming what is wrong."""
    try:
        return settings_class()(**overrides)
    except ValidationError as error:
        first = error.errors()[0]
        name = ".".join(str(part) for part in first["loc"]) or "settings"
        message = first["msg"].removeprefix("Value error, ")
        if name == "settings" and ":" in message:
            name, message = message.split(":", 1)
        raise SettingsError(f"{name}: {message.strip()}") from None
