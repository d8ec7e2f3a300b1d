"""Email for guests: everything a member would get as a direct message, by SMTP (aiosmtplib).

An address the server refuses, or a permanent (5xx) answer, is a permanent failure: the worker
stops trying. A busy server (4xx) or a dropped connection is tried again with backoff. A guest
who stopped emails gets none: the message counts as handled, and their page still shows it.
Addresses are personal data: they never reach a log.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import unquote, urlsplit

import aiosmtplib

from adapters.guests import render
from bot.guests import links
from bot.i18n import speaking
from bot.runtime.delivery import DeliveryFailed, Recipient
from bot.seam.messages import Message
from storage import guests as guest_store
from storage import people as people_store
from storage.database import Database

log = logging.getLogger("coproduce.guests")


@dataclass(frozen=True)
class Smtp:
    hostname: str
    port: int
    username: str | None
    password: str | None
    implicit_tls: bool

    @classmethod
    def from_url(cls, url: str) -> Smtp:
        parts = urlsplit(url)
        implicit = parts.scheme == "smtps"
        return cls(
            hostname=parts.hostname or "localhost",
            port=parts.port or (465 if implicit else 587),
            username=unquote(parts.username) if parts.username else None,
            password=unquote(parts.password) if parts.password else None,
            implicit_tls=implicit,
        )


class EmailMessenger:
    # A small gap between two emails to one guest, and between any two: mail servers throttle
    # bursts, and a digest to a group's guests is never urgent.
    pacing_interval = 1.0
    workspace_pacing_interval = 0.2

    def __init__(
        self,
        *,
        database: Database,
        smtp: Smtp,
        sender: str,
        public_url: str,
        secret_key: str,
        clock: Callable[[], datetime],
    ) -> None:
        self.database = database
        self.smtp = smtp
        self.sender = sender
        self.public_url = public_url.rstrip("/")
        self.secret_key = secret_key
        self.clock = clock

    def pacing_key(self, recipient: Recipient) -> str:
        return f"guests:{recipient.address}"

    async def deliver(self, recipient: Recipient, message: Message) -> str | None:
        if not recipient.address or not recipient.address.isdigit():
            raise DeliveryFailed("no guest to send to", permanent=True)
        async with self.database.reading() as session:
            guest = await guest_store.get(session=session, guest_id=int(recipient.address))
            person = (
                await people_store.get_person(session=session, person_id=guest.person_id)
                if guest
                else None
            )
        if guest is None or person is None or guest.removed_at or not guest.link_salt:
            raise DeliveryFailed("guest removed", permanent=True)
        if guest.emails_off:
            log.info("email not sent: the guest stopped emails", extra={"guest": guest.id})
            return None
        page = links.page_url(self.public_url, self.secret_key, guest.link_salt)
        with speaking(person.language):
            mail = render.email(
                message,
                sender=self.sender,
                to=guest.email,
                page_url=page,
                stop_url=f"{page}/stop",
                language=person.language,
                sent_at=self.clock(),
            )
        try:
            await aiosmtplib.send(
                mail,
                hostname=self.smtp.hostname,
                port=self.smtp.port,
                username=self.smtp.username,
                password=self.smtp.password,
                use_tls=self.smtp.implicit_tls,
                # smtp://: STARTTLS whenever the server offers it; smtps://: TLS from the start
                start_tls=False if self.smtp.implicit_tls else None,
                timeout=30,
            )
        except aiosmtplib.SMTPRecipientsRefused as refused:
            raise DeliveryFailed("address refused", permanent=True) from refused
        except aiosmtplib.SMTPResponseException as answer:
            permanent = 500 <= answer.code < 600
            raise DeliveryFailed(f"smtp {answer.code}", permanent=permanent) from answer
        return None
