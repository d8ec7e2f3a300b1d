"""Private stays private on Teams: a command typed in a channel is answered in the person's own
chat, and the channel sees one neutral line, whatever the command and whoever typed it."""

from __future__ import annotations

import json

import pytest

from tests.conftest import RunningBot
from tests.fakes.teams_connector import FakeConnector, SentActivity
from tests.teams_activities import channel_message_mentioning_bot, command_with_mentions
from tests.test_teams_ideas import send

CHANNEL = "19:channel@thread.tacv2;messageid=1"
NEUTRAL = "I've replied to you privately, in your chat with me."
MEMBER = ("29:user-alice", "Alice")
FACILITATOR = ("29:user-facilitator", "Fran")

# Every command that answers about the person who typed it, as a member and as a facilitator.
MEMBER_COMMANDS = [
    "idea anonymous My private worry about the car park",
    "idea Named thought about the car park",
    "ideas",
    "coproduce record",
    "coproduce my-data",
    "coproduce help",
    "coproduce whoami",
    "coproduce anonymous on",
    "coproduce public-thanks off",
    "coproduce pause",
    "coproduce resume",
    "coproduce forget-me",
    "agenda add Shorter meetings please",
    "agenda",
    "update 1 done (a member may not)",
]
FACILITATOR_COMMANDS = [
    "update 1 considering Estates will look at it",
    "coproduce settings",
    "coproduce participation",
    "digest preview",
    "agenda triage",
    "meeting start Winter planning",
    "meeting end",
]


def said_by(text: str, who: tuple[str, str], url: str) -> dict:
    activity = channel_message_mentioning_bot(text, service_url=url)
    activity["from"] = {"id": who[0], "name": who[1], "aadObjectId": f"aad-{who[0]}"}
    return activity


def in_channel(connector: FakeConnector) -> list[SentActivity]:
    return [s for s in connector.sent if s.conversation_id == CHANNEL]


@pytest.mark.parametrize(
    ("who", "commands"), [(MEMBER, MEMBER_COMMANDS), (FACILITATOR, FACILITATOR_COMMANDS)]
)
async def test_answers_about_a_person_never_reach_the_channel(
    running_bot: RunningBot,
    teams_connector: FakeConnector,
    who: tuple[str, str],
    commands: list[str],
) -> None:
    teams_connector.rosters[CHANNEL] = [MEMBER, FACILITATOR, ("29:bo", "Bo"), ("29:cy", "Cy")]
    url = teams_connector.base_url
    # an idea to talk about, shared in the channel by the member
    await send(running_bot, said_by("idea The first idea", MEMBER, url))
    for text in commands:
        before = len(teams_connector.sent)
        await send(running_bot, said_by(text, who, url))
        sent = teams_connector.sent[before:]
        to_channel = [s for s in sent if s.conversation_id == CHANNEL]
        assert [s.card_text for s in to_channel] == [NEUTRAL], text
        private = [s for s in sent if s.conversation_id != CHANNEL]
        assert private, f"{text!r} was answered nowhere"
        assert {s.conversation_id for s in private} <= {f"a:new-chat-{who[0]}"}, text
    # what anyone in the channel can read: the cards, the notification summary, the text
    shown = json.dumps(
        [
            [s.cards, s.activity.get("summary"), s.activity.get("text")]
            for s in in_channel(teams_connector)
        ]
    )
    for words in ("car park", "A word on privacy", "first idea", "anonymous", "Fran", "Alice"):
        assert words not in shown, words


async def test_credit_in_a_channel_thanks_people_privately_and_tells_the_channel_nothing(
    running_bot: RunningBot, teams_connector: FakeConnector
) -> None:
    activity = command_with_mentions(
        "credit {} for the leaflet", [("29:sam", "Sam")], service_url=teams_connector.base_url
    )
    await send(running_bot, activity)
    await running_bot.deliver()
    assert [s.card_text for s in in_channel(teams_connector)] == [NEUTRAL]
    assert "leaflet" not in json.dumps([s.cards for s in in_channel(teams_connector)])
