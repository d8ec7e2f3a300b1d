"""`/metrics` reflects real traffic and the outbox."""

from __future__ import annotations

import re

from tests.conftest import RunningBot
from tests.fakes.slack_api import FakeSlackWebApi
from tests.fakes.teams_connector import FakeConnector
from tests.slack_requests import command_request, dm_event, event_request
from tests.teams_activities import personal_message
from tests.test_slack_ideas import post
from tests.test_teams_ideas import send


async def scrape(bot: RunningBot) -> dict[str, float]:
    async with bot.http.get(f"{bot.url}metrics") as response:
        assert response.status == 200
        body = await response.text()
    values = {}
    for line in body.splitlines():
        match = re.match(r"^(\w+(?:\{[^}]*\})?) ([0-9.e+-]+)$", line)
        if match:
            values[match.group(1)] = float(match.group(2))
    return values


async def test_metrics_count_requests_and_show_the_outbox(
    running_bot: RunningBot, slack_api: FakeSlackWebApi, teams_connector: FakeConnector
) -> None:
    await post(running_bot, *event_request(dm_event("One")))
    await post(running_bot, *event_request(dm_event("Two")))
    body, headers = event_request(dm_event("Forged"))
    headers["X-Slack-Signature"] = "v0=" + "0" * 64
    await post(running_bot, body, headers)
    await send(running_bot, personal_message("Three", service_url=teams_connector.base_url))
    body, headers = command_request(
        "/update", "1 green-lit yes", response_url=slack_api.response_url(), user="UFAC"
    )
    await post(running_bot, body, headers)
    values = await scrape(running_bot)
    assert values['coproduce_http_requests_total{route="/slack/events",status="200"}'] == 3
    assert values['coproduce_http_requests_total{route="/slack/events",status="401"}'] == 1
    assert values['coproduce_http_requests_total{route="/api/messages",status="201"}'] == 1
    assert values['coproduce_http_request_seconds_count{route="/slack/events"}'] == 4
    assert values['coproduce_outbox_messages{status="pending"}'] == 1  # the author's update
    await running_bot.deliver()
    values = await scrape(running_bot)
    assert values['coproduce_outbox_messages{status="pending"}'] == 0
    # the two replies to the DMs, then the author's update
    assert values['coproduce_outbox_messages{status="delivered"}'] == 3
    assert "coproduce_reflection_windows_open" in values
