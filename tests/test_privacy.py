"""Welcome, anonymity everywhere, export and erasure, on Slack and Teams end to end."""

from __future__ import annotations

import json
from typing import Any

from sqlmodel import select

from bot.engine import Engine
from bot.seam.events import Actor, CommandInvoked, Conversation
from storage.database import Database
from storage.models import AuditEntry, OutboxDelivery
from tests import stored
from tests.conftest import RunningBot
from tests.fakes.slack_api import FakeSlackWebApi
from tests.fakes.teams_connector import FakeConnector
from tests.slack_requests import action_request, command_request, dm_event, event_request
from tests.teams_activities import personal_message
from tests.test_slack_closing_the_loop import command, dms_to
from tests.test_slack_ideas import all_text, post
from tests.test_teams_ideas import send

NOTE = "A word on privacy"


async def test_slack_welcome_comes_once_with_the_first_reply(
    running_bot: RunningBot, slack_api: FakeSlackWebApi
) -> None:
    await post(running_bot, *event_request(dm_event("First", user="UNEW")))
    await post(running_bot, *event_request(dm_event("Second", user="UNEW")))
    first, second = (all_text(c) for c in slack_api.calls_to("chat.postMessage"))
    assert NOTE in first and NOTE not in second
    body, headers = action_request(
        "welcome.ok", "1", response_url=slack_api.response_url(), user="UNEW", channel="DUNEW"
    )
    await post(running_bot, body, headers)
    person = await stored.person(running_bot.database, "UNEW")
    assert person is not None and person.consented_at is not None


async def test_teams_welcome_comes_once_with_the_first_reply(
    running_bot: RunningBot, teams_connector: FakeConnector
) -> None:
    url = teams_connector.base_url
    await send(running_bot, personal_message("One", service_url=url))
    await send(running_bot, personal_message("Two", service_url=url))
    first, second = (s.card_text for s in teams_connector.sent)
    assert NOTE in first and NOTE not in second


async def test_anonymous_author_is_never_shown_but_still_told(
    running_bot: RunningBot, slack_api: FakeSlackWebApi
) -> None:
    await command(
        running_bot, slack_api, "/idea", "anonymous Free parking for carers", user="UZARA"
    )
    await command(running_bot, slack_api, "/credit", "<@UCRED|carol> #1 for costing it")
    body, headers = action_request(
        "idea.follow", "1", response_url=slack_api.response_url(), user="UFOL", channel="CGROUP"
    )
    await post(running_bot, body, headers)
    confirm = await command(running_bot, slack_api, "/update", "1 green-lit Board agreed")
    await running_bot.deliver()
    # the author hears, privately
    assert len(dms_to(slack_api, "UZARA", "News about your idea #1")) == 1
    # nobody else sees who: not the facilitator, the credited person, the follower
    others = [confirm, *dms_to(slack_api, "UCRED"), *dms_to(slack_api, "UFOL")]
    facilitator_export = await export_via_slack(running_bot, slack_api, "UFAC")
    others.append(json.dumps(facilitator_export))
    for shown in others:
        assert "UZARA" not in shown and "uzara" not in shown
    async with running_bot.database.reading() as session:
        audit = (await session.exec(select(AuditEntry))).all()
    zara = await stored.person(running_bot.database, "UZARA")
    assert zara is not None and all(entry.actor_id != zara.id for entry in audit)


async def export_via_slack(bot: RunningBot, api: FakeSlackWebApi, user: str) -> dict[str, Any]:
    before = set(api.uploads)
    body, headers = command_request(
        "/coproduce", "my-data", response_url=api.response_url(), user=user
    )
    await post(bot, body, headers)
    [new] = set(api.uploads) - before
    [complete] = [
        c for c in api.calls_to("files.completeUploadExternal") if new in str(c.params.get("files"))
    ]
    assert complete.params["channel_id"] == f"D{user}"  # to their own DM, never a channel
    return json.loads(api.uploads[new])


async def test_export_holds_exactly_my_data(
    running_bot: RunningBot, slack_api: FakeSlackWebApi
) -> None:
    await command(running_bot, slack_api, "/idea", "My own idea", user="UME")
    await command(running_bot, slack_api, "/idea", "anonymous My quiet idea", user="UME")
    await command(running_bot, slack_api, "/idea", "Somebody else's idea", user="UOTHER")
    await command(running_bot, slack_api, "/credit", "<@UME|me> #3 for reading it")
    data = await export_via_slack(running_bot, slack_api, "UME")
    assert [(i["number"], i["text"], i["anonymous"]) for i in data["ideas"]] == [
        (1, "My own idea", False),
        (2, "My quiet idea", True),
    ]
    assert data["credits_received"][0]["for"] == "reading it"
    assert data["person"]["platform_user_id"] == "UME"
    flat = json.dumps(data)
    assert "Somebody else" not in flat and "UOTHER" not in flat and "UFAC" not in flat
    async with running_bot.database.reading() as session:
        entries = (
            await session.exec(select(AuditEntry).where(AuditEntry.action == "export"))
        ).all()
    assert len(entries) == 1


async def test_teams_export_goes_through_file_consent(
    running_bot: RunningBot, teams_connector: FakeConnector
) -> None:
    url = teams_connector.base_url
    await send(running_bot, personal_message("An idea for the export", service_url=url))
    await send(running_bot, personal_message("coproduce my-data", service_url=url))
    offer = teams_connector.sent[-1].activity["attachments"][0]
    assert offer["contentType"] == "application/vnd.microsoft.teams.card.file.consent"
    assert teams_connector.uploads == {}  # nothing leaves before the person accepts
    accept = personal_message("", service_url=url)
    accept.update(
        type="invoke",
        name="fileConsent/invoke",
        value={
            "type": "fileUpload",
            "action": "accept",
            "context": offer["content"]["acceptContext"],
            "uploadInfo": {
                "contentUrl": f"{url}files/coproduce-my-data.json",
                "name": "coproduce-my-data.json",
                "uploadUrl": f"{url}upload/coproduce-my-data.json",
                "uniqueId": "u1",
                "fileType": "json",
            },
        },
    )
    accept.pop("text", None)
    async with running_bot.http.post(f"{running_bot.url}api/messages", json=accept) as response:
        assert response.status == 200
    data = json.loads(teams_connector.uploads["coproduce-my-data.json"])
    assert [i["text"] for i in data["ideas"]] == ["An idea for the export"]
    info = teams_connector.sent[-1].activity["attachments"][0]
    assert info["contentType"] == "application/vnd.microsoft.teams.card.file.info"


async def test_teams_forget_me_with_the_buttons(
    running_bot: RunningBot, teams_connector: FakeConnector
) -> None:
    url = teams_connector.base_url
    await send(running_bot, personal_message("Delete me later", service_url=url))
    await send(running_bot, personal_message("coproduce forget-me", service_url=url))
    buttons = [a["data"]["action"] for a in teams_connector.sent[-1].actions]
    assert buttons == ["forget.delete", "forget.keep", "forget.cancel"]
    await send(
        running_bot,
        personal_message("", service_url=url, value={"action": "forget.delete", "value": "1"}),
    )
    assert await stored.ideas(running_bot.database) == []
    assert await stored.person(running_bot.database, "29:user-alice") is None


async def test_a_delivered_reply_leaves_no_copy_of_the_idea_in_the_outbox(
    running_bot: RunningBot, slack_api: FakeSlackWebApi
) -> None:
    await post(running_bot, *event_request(dm_event("Private words about my treatment")))
    assert "Private words" in all_text(slack_api.calls_to("chat.postMessage")[0])
    async with running_bot.database.reading() as session:
        rows = (await session.exec(select(OutboxDelivery))).all()
    assert [row.status for row in rows] == ["delivered"]
    assert all("Private words" not in row.message for row in rows)


async def test_replies_in_a_group_conversation_are_never_queued_for_the_channel(
    engine: Engine, database: Database
) -> None:
    actor = Actor("slack", "T0001", "UANN", None)
    group = Conversation("CGROUP", "group")
    replies = await engine.handle(
        CommandInvoked(actor, group, "idea", "Said in the channel", delivery_id="g1"),
        queue_replies=True,
    )
    assert replies, "the adapter keeps the reply, to show it privately"
    async with database.reading() as session:
        assert (await session.exec(select(OutboxDelivery))).all() == []
