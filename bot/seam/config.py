"""What the engine needs to know about its deployment, independent of how it was configured."""

from __future__ import annotations

from dataclasses import dataclass

from bot.i18n import N_

# Nobody watches the bot for urgent help; every person is told so, and where to go instead.
URGENT_HELP = N_(
    "Nobody watches these messages for urgent help. If you need help now, call 999 in an "
    "emergency, NHS 111 for health advice, or Samaritans on 116 123."
)


@dataclass(frozen=True)
class EngineConfig:
    default_timezone: str = "Europe/London"
    admins: frozenset[str] = frozenset()  # `platform:user-id` pairs
    urgent_help: str = URGENT_HELP  # COPRODUCE_URGENT_HELP: other countries and trusts differ
    # COPRODUCE_PUBLIC_URL and COPRODUCE_SECRET_KEY: web links (the impact report) need both.
    public_url: str | None = None
    secret_key: str | None = None
    # Guests can be invited: outgoing email is set up (SMTP_URL, MAIL_FROM) as well.
    guests: bool = False
