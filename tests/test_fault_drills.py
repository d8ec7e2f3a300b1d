"""Breaking things on purpose: nothing is lost and nothing is stored twice."""

from __future__ import annotations

from storage.database import Database
from tests import stored
from tests.conftest import RunningBot
from tests.fakes.slack_api import FakeSlackWebApi
from tests.slack_requests import dm_event, event_request
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
