"""Microsoft Teams' settings: the Azure Bot registration, or dev mode on loopback."""

from __future__ import annotations

from pydantic import field_validator, model_validator
from pydantic_settings import BaseSettings


class TeamsSettings(BaseSettings):
    MICROSOFT_APP_ID: str | None = None
    MICROSOFT_APP_PASSWORD: str | None = None
    MICROSOFT_APP_TYPE: str | None = None
    MICROSOFT_APP_TENANT_ID: str | None = None
    TEAMS_DEV_MODE: bool = False

    @field_validator(
        "MICROSOFT_APP_ID",
        "MICROSOFT_APP_PASSWORD",
        "MICROSOFT_APP_TYPE",
        "MICROSOFT_APP_TENANT_ID",
        mode="before",
    )
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @model_validator(mode="after")
    def _teams(self) -> TeamsSettings:
        asked = any(
            (self.MICROSOFT_APP_PASSWORD, self.MICROSOFT_APP_TYPE, self.MICROSOFT_APP_TENANT_ID)
        )
        if asked and not self.MICROSOFT_APP_ID and not self.TEAMS_DEV_MODE:
            raise ValueError(
                "MICROSOFT_APP_ID: Teams needs an app id (or TEAMS_DEV_MODE=1 for local tests)"
            )
        return self

    @property
    def teams_enabled(self) -> bool:
        return bool(self.MICROSOFT_APP_ID) or self.TEAMS_DEV_MODE

    @property
    def loopback_only(self) -> bool:
        """Dev mode turns authentication off, so the server may listen on loopback only."""
        return self.TEAMS_DEV_MODE
