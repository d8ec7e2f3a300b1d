"""The guests' settings: where to send email from. Guests also need COPRODUCE_PUBLIC_URL and
COPRODUCE_SECRET_KEY for their pages' links."""

from __future__ import annotations

from email.utils import parseaddr
from urllib.parse import urlsplit

from pydantic import field_validator, model_validator
from pydantic_settings import BaseSettings

SCHEMES = ("smtp", "smtps")


class GuestSettings(BaseSettings):
    SMTP_URL: str | None = None
    MAIL_FROM: str | None = None

    @field_validator("SMTP_URL", "MAIL_FROM", mode="before")
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("SMTP_URL")
    @classmethod
    def _smtp_url(cls, value: str | None) -> str | None:
        if value is None:
            return None
        parts = urlsplit(value)
        if parts.scheme not in SCHEMES or not parts.hostname:
            raise ValueError("not smtp://user:password@host:587 (STARTTLS) or smtps://…:465 (TLS)")
        return value

    @field_validator("MAIL_FROM")
    @classmethod
    def _mail_from(cls, value: str | None) -> str | None:
        if value is not None and "@" not in parseaddr(value)[1]:
            raise ValueError("not an address such as Coproduce <coproduce@example.nhs.uk>")
        return value

    @model_validator(mode="after")
    def _guests(self) -> GuestSettings:
        if bool(self.SMTP_URL) != bool(self.MAIL_FROM):
            missing = "MAIL_FROM" if self.SMTP_URL else "SMTP_URL"
            raise ValueError(f"{missing}: guests' email needs both SMTP_URL and MAIL_FROM")
        if self.SMTP_URL and not (
            getattr(self, "COPRODUCE_PUBLIC_URL", None)
            and getattr(self, "COPRODUCE_SECRET_KEY", None)
        ):
            raise ValueError(
                "COPRODUCE_PUBLIC_URL: guests' pages need it and COPRODUCE_SECRET_KEY as well"
            )
        return self

    @property
    def guests_enabled(self) -> bool:
        return bool(self.SMTP_URL and self.MAIL_FROM)
