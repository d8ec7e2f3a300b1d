"""The bot with guests turned on: a real local SMTP server (aiosmtpd) for their email, and
helpers that use a guest's page as a browser without JavaScript would (plain form posts)."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from email.message import EmailMessage

import pytest
from aiohttp import ClientSession

from storage.database import Database
from tests.clock import FakeClock
from tests.conftest import RunningBot
from tests.fakes.mailbox import SmtpServer
from tests.fakes.slack_api import FakeSlackWebApi
from tests.report_site import serving_report

MAIL_FROM = "Coproduce <coproduce@example.nhs.uk>"
PAGE_LINK = re.compile(r"https?://[^\s\"<>]+/g/[A-Za-z0-9_-]{20,}")
CSRF = re.compile(r'name="csrf" value="([^"]+)"')


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
async def guest_bot(
    database_url: str,
    database: Database,
    slack_api: FakeSlackWebApi,
    admins: frozenset[str],
    clock: FakeClock,
    smtp: SmtpServer,
) -> AsyncIterator[RunningBot]:
    async with serving_report(
        database_url, database, slack_api, admins, clock, SMTP_URL=smtp.url, MAIL_FROM=MAIL_FROM
    ) as bot:
        yield bot


def text_of(mail: EmailMessage) -> str:
    part = mail.get_body(preferencelist=("plain",))
    assert part is not None
    return str(part.get_content())


def html_of(mail: EmailMessage) -> str:
    part = mail.get_body(preferencelist=("html",))
    assert part is not None
    return str(part.get_content())


def link_in(mail: EmailMessage) -> str:
    [link] = set(PAGE_LINK.findall(text_of(mail)))
    return link


async def open_page(http: ClientSession, link: str) -> tuple[int, str]:
    async with http.get(link) as response:
        return response.status, await response.text()


async def press(http: ClientSession, link: str, press: str, **fields: str) -> tuple[int, str, str]:
    """Open the page, then send one of its forms: status, content type and body."""
    _, page = await open_page(http, link)
    [csrf, *_] = CSRF.findall(page)
    async with http.post(link, data={"csrf": csrf, "press": press, **fields}) as response:
        return response.status, response.headers["Content-Type"], await response.text()
