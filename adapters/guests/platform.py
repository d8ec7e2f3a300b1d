"""The guests' registration: on when email is set up (SMTP_URL, MAIL_FROM) alongside the
public address and secret key their links need."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from adapters.guests.messenger import EmailMessenger, Smtp
from adapters.guests.routes import GuestPages
from adapters.guests.settings import GuestSettings
from adapters.registry import Platform, Running, register

if TYPE_CHECKING:
    from bot.engine import Engine


async def _build(settings: Any, engine: Engine) -> Running:
    pages = GuestPages(
        database=engine.database,
        engine=engine,
        secret_key=settings.COPRODUCE_SECRET_KEY,
        clock=engine.clock,
    )
    messenger = EmailMessenger(
        database=engine.database,
        smtp=Smtp.from_url(settings.SMTP_URL),
        sender=settings.MAIL_FROM,
        public_url=settings.COPRODUCE_PUBLIC_URL,
        secret_key=settings.COPRODUCE_SECRET_KEY,
        clock=engine.clock,
    )
    return Running(routes=pages.routes(), messenger=messenger)


def _report(settings: Any) -> str:
    if settings.guests_enabled:
        return "Guests: on (email through SMTP_URL, pages at /g/…)"
    return "Guests: off (set SMTP_URL and MAIL_FROM, with COPRODUCE_PUBLIC_URL)"


PLATFORM = register(
    Platform(
        name="guests",
        settings=GuestSettings,
        enabled=lambda settings: bool(settings.guests_enabled),
        report=_report,
        build=_build,
        invites_people=True,
    )
)
