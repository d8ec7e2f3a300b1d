"""Slack's settings: one workspace's bot token, or OAuth for many, and Socket Mode."""

from __future__ import annotations

from pydantic import field_validator, model_validator
from pydantic_settings import BaseSettings


class SlackSettings(BaseSettings):
    SLACK_BOT_TOKEN: str | None = None
    SLACK_SIGNING_SECRET: str | None = None
    SLACK_APP_TOKEN: str | None = None
    SLACK_CLIENT_ID: str | None = None
    SLACK_CLIENT_SECRET: str | None = None
    SLACK_API_URL: str = "https://slack.com/api/"

    @field_validator(
        "SLACK_BOT_TOKEN",
        "SLACK_SIGNING_SECRET",
        "SLACK_APP_TOKEN",
        "SLACK_CLIENT_ID",
        "SLACK_CLIENT_SECRET",
        mode="before",
    )
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("SLACK_API_URL")
    @classmethod
    def _api_url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value if value.endswith("/") else value + "/"

    @model_validator(mode="after")
    def _slack(self) -> SlackSettings:
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
