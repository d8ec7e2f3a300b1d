"""Breaking things on purpose: nothing is lost and nothing is stored twice."""

from __future__ import annotations

import asyncio
import json

from storage.database import Database
from tests import stored
from tests.conftest import RunningBot
from tests.fakes.slack_api import FakeSlackWebApi
from tests.slack_requests import command_request, dm_event, event_request
from tests.test_slack_ideas import all_text, post


async def test_database_down_during_an_event_then_slacks_retry_stores_once(
    running_bot: RunningBot, slack_api: FakeSlackWebApi, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    payload = dm_event("Idea while the database is down", event_id="EvDBDOWN1")
    working = running_bot.engine.database
    running_bot.engine.database = Database(f"sqlite:///{tmp_path}/missing/dir/x.db")  # unreachable
    status, _ = await post(running_bot, *event_request(payload))
    assert status == 503  # so Slack delivers it again
    assert "nothing was saved" in all_text(slack_api.calls_to("chat.postMessage")[-1])
    await running_bot.engine.database.dispose()
    running_bot.engine.database = working
    status, _ = await post(running_bot, *event_request(payload), retry=1)
    assert status == 200
    status, _ = await post(running_bot, *event_request(payload), retry=2)
    assert status == 200
    assert [i.text for i in await stored.ideas(running_bot.database)] == [
        "Idea while the database is down"
    ]


async def test_slow_web_api_does_not_hold_slacks_acknowledgement(
    running_bot: RunningBot, slack_api: FakeSlackWebApi
) -> None:
    slack_api.stall_posts()  # chat.postMessage stops answering altogether
    url = f"{running_bot.url}slack/events"
    body, headers = event_request(dm_event("Said while Slack is slow", user="U100"))
    async with asyncio.timeout(3):  # Slack's acknowledgement deadline
        async with running_bot.http.post(url, data=body, headers=headers) as response:
            assert response.status == 200
    assert [i.text for i in await stored.ideas(running_bot.database)] == [
        "Said while Slack is slow"
    ]
    for _ in range(40):  # the reply leaves from the outbox just after the answer
        if slack_api.posts_waiting:
            break
        await asyncio.sleep(0.025)
    assert slack_api.posts_waiting == 1
    body, headers = command_request("/idea", "And another", response_url=slack_api.response_url())
    async with asyncio.timeout(3):
        async with running_bot.http.post(url, data=body, headers=headers) as response:
            assert response.status == 200
            answer = json.loads(await response.text())
    assert answer["response_type"] == "ephemeral" and "#2" in answer["text"]
    slack_api.release_posts()
    await running_bot.replies_sent()
    [reply] = slack_api.calls_to("chat.postMessage")
    assert reply.params["channel"] == "DU100" and "#1" in all_text(reply)
