"""Logs carry ids and event types, never what people wrote, whatever the log level."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator

import pytest

from adapters.logs import JsonFormatter, configure_logging
from tests.conftest import RunningBot
from tests.fakes.mailbox import SmtpServer
from tests.fakes.slack_api import FakeSlackWebApi
from tests.fakes.teams_connector import FakeConnector
from tests.guest_site import guest_bot, smtp  # noqa: F401  (fixtures)
from tests.slack_requests import command_request, dm_event, event_request
from tests.teams_activities import personal_message
from tests.test_slack_ideas import post
from tests.test_teams_ideas import send

SECRETS = (
    "my daughter's epilepsy clinic",
    "the night nurse was kind",
    "because the ward is closing",
    "sat with families in A&E",
)


class Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.setFormatter(JsonFormatter())
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@pytest.fixture
def logs() -> Iterator[Collect]:
    root = logging.getLogger()
    saved = (root.handlers[:], root.level)
    configure_logging(logging.DEBUG)
    collect = Collect()
    root.addHandler(collect)
    yield collect
    root.handlers[:], _ = saved
    root.setLevel(saved[1])


async def test_no_contribution_text_in_any_log_line(
    logs: Collect,
    running_bot: RunningBot,
    slack_api: FakeSlackWebApi,
    teams_connector: FakeConnector,
) -> None:
    await post(running_bot, *event_request(dm_event(SECRETS[0], user="U100")))
    body, headers = command_request(
        "/update", f"1 parked {SECRETS[2]}", response_url=slack_api.response_url(), user="UFAC"
    )
    await post(running_bot, body, headers)
    body, headers = command_request(
        "/credit", f"<@U100> for {SECRETS[3]}", response_url=slack_api.response_url(), user="UFAC"
    )
    await post(running_bot, body, headers)
    await send(running_bot, personal_message(SECRETS[1], service_url=teams_connector.base_url))
    slack_api.per_channel_interval = None
    await running_bot.deliver()
    # a failing delivery logs too: make one fail and check its lines
    await post(running_bot, *event_request(dm_event("x" * 3000, user="U100")))
    assert len(logs.lines) > 5, "nothing was logged, so this test would prove nothing"
    everything = "\n".join(logs.lines)
    for secret in SECRETS:
        assert secret not in everything
    assert "delivered" in everything  # ids are logged


OUR_ROUTES = ("/slack/events", "/api/messages", "/healthz", "/readyz")


def ours(line: str) -> bool:
    """Our logs, and the access log of our own routes (not the fake platforms' servers)."""
    entry = json.loads(line)
    if entry["logger"] == "aiohttp.access":
        return any(route in entry["message"] for route in OUR_ROUTES)
    return True


async def test_no_log_line_names_an_anonymous_author(
    logs: Collect,
    running_bot: RunningBot,
    slack_api: FakeSlackWebApi,
    teams_connector: FakeConnector,
) -> None:
    body, headers = command_request(
        "/idea", "anonymous Quiet room", response_url=slack_api.response_url(), user="UZARA"
    )
    await post(running_bot, body, headers)
    url = teams_connector.base_url
    await send(
        running_bot,
        personal_message(
            "anonymous Ramp", service_url=url, user_id="29:zara", user_name="Zara Quinn"
        ),
    )
    for text in ("/update", "1 considering Looking"), ("/digest", ""), ("/ideas", ""):
        body, headers = command_request(
            text[0], text[1], response_url=slack_api.response_url(), user="UFAC", channel="CGROUP"
        )
        await post(running_bot, body, headers)
    await send(
        running_bot,
        personal_message("ideas", service_url=url, user_id="29:user-facilitator", user_name="Fran"),
    )
    await running_bot.deliver()
    lines = [line for line in logs.lines if ours(line)]
    assert len(lines) > 5
    for secret in ("UZARA", "uzara", "29:zara", "Zara Quinn", "Quiet room", "Ramp"):
        assert not [line for line in lines if secret in line], secret


async def test_no_link_secret_or_email_address_in_any_log_line(
    logs: Collect,
    guest_bot: RunningBot,  # noqa: F811
    slack_api: FakeSlackWebApi,
    smtp: SmtpServer,  # noqa: F811
) -> None:
    """A guest's link and address, and a report sign-in link, are secrets: the access log keeps
    the path without them, and nothing else logs them."""
    from tests.guest_site import open_page, press
    from tests.report_site import report_link
    from tests.test_guests import SAM, invited
    from tests.test_report import browser, sign_in

    link = await invited(guest_bot, slack_api, smtp)
    async with browser() as http:
        await open_page(http, link)
        await press(http, link, "share|", idea=SECRETS[0])
        report = await report_link(guest_bot, slack_api, user="UFAC")
        await sign_in(http, report)
    # aiosmtpd (mail.log) is the test's own mail server, standing in for the trust's relay
    everything = "\n".join(line for line in logs.lines if '"logger": "mail.log"' not in line)
    assert "/g/\u2026" in everything and "sign-in?t=\u2026" in everything  # the paths are there
    for secret in (link.rsplit("/", 1)[1], report.split("t=")[1], SAM, SECRETS[0]):
        assert secret not in everything
