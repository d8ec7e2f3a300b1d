"""Status updates, credit and following on Teams: proactive messages through the fake connector."""

from __future__ import annotations

from typing import Any

from sqlmodel import select

from storage.models import Credit
from tests import stored
from tests.conftest import RunningBot
from tests.fakes.teams_connector import FakeConnector
from tests.teams_activities import command_with_mentions, personal_message
from tests.test_teams_ideas import send

FACILITATOR = "29:user-facilitator"


def say(connector: FakeConnector, text: str, user: str = FACILITATOR, name: str = "Fran"):  # type: ignore[no-untyped-def]
    return personal_message(text, service_url=connector.base_url, user_id=user, user_name=name)


def texts_to(connector: FakeConnector, conversation: str, containing: str = "") -> list[str]:
    return [
        s.card_text for s in connector.to_conversation(conversation) if containing in s.card_text
    ]


async def test_update_reaches_every_contributor_privately_once(
    running_bot: RunningBot, teams_connector: FakeConnector
) -> None:
    url = teams_connector.base_url
    await send(running_bot, say(teams_connector, "idea anonymous Hearing loops", "29:ann", "Ann"))
    credit = command_with_mentions(
        "credit {} #1 for testing the loops", [("29:cara", "Cara")], service_url=url
    )
    await send(running_bot, credit)
    follow: dict[str, Any] = say(teams_connector, "", "29:finn", "Finn")
    follow["value"] = {"action": "idea.follow", "value": "1"}
    await send(running_bot, follow)
    await send(running_bot, say(teams_connector, "update 1 green-lit Estates said yes"))
    await running_bot.deliver()
    await running_bot.deliver()

    [to_ann] = texts_to(teams_connector, "a:personal-29:ann", "News about")
    assert "your idea #1" in to_ann and "Estates said yes" in to_ann
    # Cara never messaged the bot: a personal chat is started for her, then used again
    [created] = [c for c in teams_connector.created if c["members"][0]["id"] == "29:cara"]
    assert created["channelData"]["tenant"]["id"] == "tenant-0001" and created["isGroup"] is False
    [to_cara] = texts_to(teams_connector, "a:new-chat-29:cara", "News about")
    assert "Estates said yes" in to_cara and "Ann" not in to_cara
    [to_finn] = texts_to(teams_connector, "a:personal-29:finn", "News about")
    assert "which you follow" in to_finn and "Ann" not in to_finn
    [idea] = await stored.ideas(running_bot.database)
    assert idea.status == "green-lit"


async def test_credit_several_people_with_at_mentions(
    running_bot: RunningBot, teams_connector: FakeConnector
) -> None:
    activity = command_with_mentions(
        "credit {} {} for running the stall",
        [("29:sam", "Sam"), ("29:ali", "Ali")],
        service_url=teams_connector.base_url,
    )
    await send(running_bot, activity)
    assert texts_to(teams_connector, "a:new-chat-29:user-facilitator", "Sam and Ali")
    assert "replied to you privately" in teams_connector.sent[-1].card_text
    await running_bot.deliver()
    for who in ("sam", "ali"):
        [thanks] = texts_to(teams_connector, f"a:new-chat-29:{who}", "thanked you")
        assert "running the stall" in thanks
    async with running_bot.database.reading() as session:
        assert len((await session.exec(select(Credit))).all()) == 2
    record = say(teams_connector, "coproduce record", "29:sam", "Sam")
    await send(running_bot, record)
    assert "running the stall" in teams_connector.sent[-1].card_text


async def test_members_are_refused_kindly_and_nothing_changes(
    running_bot: RunningBot, teams_connector: FakeConnector
) -> None:
    await send(running_bot, say(teams_connector, "idea Signs", "29:ann", "Ann"))
    await send(running_bot, say(teams_connector, "update 1 done all done", "29:ann", "Ann"))
    assert "Only facilitators" in teams_connector.sent[-1].card_text
    [idea] = await stored.ideas(running_bot.database)
    assert idea.status == "new"


async def test_update_mistakes_are_explained(
    running_bot: RunningBot, teams_connector: FakeConnector
) -> None:
    await send(running_bot, say(teams_connector, "idea Signs", "29:ann", "Ann"))
    for text, expected in (
        ("update 42 done yes", "no idea #42"),
        ("update 1 parked", "needs a reason"),
        ("/update 1 sideways hmm", "don't know the status"),
        # without the slash, words that do not read as the command are an idea, with a hint
        ("update 1 sideways hmm", "The statuses are considering, green-lit"),
    ):
        await send(running_bot, say(teams_connector, text))
        assert expected in teams_connector.sent[-1].card_text
