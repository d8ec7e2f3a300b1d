"""A meeting on Teams end to end, including Teams' own meeting-end event."""

from __future__ import annotations

from typing import Any

from sqlmodel import select

from storage.models import Idea, Meeting, as_utc
from tests.conftest import RunningBot
from tests.fakes.teams_connector import FakeConnector
from tests.teams_activities import TENANT, channel_message_mentioning_bot, personal_message
from tests.test_teams_ideas import send

MEETING_CHAT = "19:meeting_Autumn@thread.v2"
PEOPLE = [
    ("29:user-facilitator", "Fran"),
    ("29:ann", "Ann"),
    ("29:ben", "Ben"),
    ("29:cal", "Cal"),
    ("29:dee", "Dee"),
]


def meeting_end_event(service_url: str) -> dict[str, Any]:
    """The event Teams sends a bot in a meeting's chat when the meeting ends."""
    return {
        "type": "event",
        "name": "application/vnd.microsoft.meetingEnd",
        "id": "f:meeting-end-1",
        "timestamp": "2026-11-24T15:00:00.000Z",
        "serviceUrl": service_url,
        "channelId": "msteams",
        "from": {"id": "29:user-facilitator", "name": "Fran", "aadObjectId": "aad-fran"},
        "conversation": {
            "id": MEETING_CHAT,
            "conversationType": "groupChat",
            "isGroup": True,
            "tenantId": TENANT,
        },
        "recipient": {"id": "28:coproduce-bot", "name": "Coproduce"},
        "channelData": {
            "tenant": {"id": TENANT},
            "meeting": {"id": "MCMxOTptZWV0aW5n"},
            "source": {"name": "message"},
        },
        "value": {
            "Id": "MCMxOTptZWV0aW5n",
            "MeetingType": "Scheduled",
            "JoinUrl": "https://teams.microsoft.com/l/meetup-join/x",
            "Title": "Autumn review",
            "EndTime": "2026-11-24T15:00:00.000Z",
        },
    }


async def the_meeting(bot: RunningBot) -> Meeting:
    async with bot.database.reading() as session:
        return (await session.exec(select(Meeting))).one()


def to(connector: FakeConnector, user: str, containing: str) -> list[str]:
    conversations = (f"a:personal-{user}", f"a:new-chat-{user}")
    return [
        s.card_text
        for s in connector.sent
        if s.conversation_id in conversations and containing in s.card_text
    ]


async def test_meeting_end_event_opens_the_reflection_window(
    running_bot: RunningBot, teams_connector: FakeConnector
) -> None:
    teams_connector.rosters[MEETING_CHAT] = PEOPLE
    assert await send(running_bot, meeting_end_event(teams_connector.base_url)) in (200, 201)
    meeting = await the_meeting(running_bot)
    assert (meeting.title, meeting.status, meeting.external_id) == (
        "Autumn review",
        "ended",
        "MCMxOTptZWV0aW5n",
    )
    await running_bot.reflection_due(as_utc(meeting.prompt_at))  # type: ignore[arg-type]
    await running_bot.deliver()
    for user, _ in PEOPLE:
        assert len(to(teams_connector, user, "Any afterthoughts")) == 1, user

    reply = personal_message(
        "Captions on the screen",
        service_url=teams_connector.base_url,
        user_id="29:ann",
        user_name="Ann",
    )
    await send(running_bot, reply)
    assert "as afterthought #" in teams_connector.sent[-1].card_text
    nothing = personal_message(
        "",
        service_url=teams_connector.base_url,
        user_id="29:ben",
        user_name="Ben",
        value={"action": "reflection.nothing", "value": str(meeting.id)},
    )
    await send(running_bot, nothing)

    await running_bot.reflection_due(as_utc(meeting.reminder_at))  # type: ignore[arg-type]
    await running_bot.deliver()
    reminded = [u for u, _ in PEOPLE if to(teams_connector, u, "gentle reminder")]
    assert reminded == ["29:user-facilitator", "29:cal", "29:dee"]

    await running_bot.reflection_due(as_utc(meeting.closes_at))  # type: ignore[arg-type]
    await running_bot.deliver()
    [summary] = to(teams_connector, "29:user-facilitator", "time for afterthoughts has ended")
    assert "1 afterthought came in" in summary
    async with running_bot.database.reading() as session:
        [idea] = (await session.exec(select(Idea))).all()
    assert idea.meeting_id == meeting.id


async def test_start_and_end_in_a_channel_with_the_roster(
    running_bot: RunningBot, teams_connector: FakeConnector
) -> None:
    channel = "19:channel@thread.tacv2;messageid=1"
    teams_connector.rosters[channel] = [*PEOPLE, ("28:coproduce-bot", "Coproduce")]
    start = channel_message_mentioning_bot(
        "meeting start Winter planning", service_url=teams_connector.base_url
    )
    start["from"] = {"id": "29:user-facilitator", "name": "Fran"}
    await send(running_bot, start)
    # the answer goes to the facilitator's own chat; the channel hears only that there was one
    assert to(teams_connector, "29:user-facilitator", "started with 5 participants")
    assert "replied to you privately" in teams_connector.sent[-1].card_text
    end = channel_message_mentioning_bot("meeting end", service_url=teams_connector.base_url)
    end["from"] = {"id": "29:user-facilitator", "name": "Fran"}
    await send(running_bot, end)
    assert to(teams_connector, "29:user-facilitator", "5 participants privately")
    meeting = await the_meeting(running_bot)
    assert meeting.status == "ended" and meeting.prompt_at is not None


async def test_group_size_note_goes_to_the_facilitators_personal_chat(
    running_bot: RunningBot, teams_connector: FakeConnector
) -> None:
    channel = "19:channel@thread.tacv2;messageid=1"
    teams_connector.rosters[channel] = PEOPLE[:3]
    start = channel_message_mentioning_bot(
        "meeting start Small", service_url=teams_connector.base_url
    )
    start["from"] = {"id": "29:user-facilitator", "name": "Fran"}
    await send(running_bot, start)
    in_channel = [s.card_text for s in teams_connector.sent if s.conversation_id == channel]
    assert not any("Groups of 5 or 6" in t for t in in_channel)
    [note] = to(teams_connector, "29:user-facilitator", "Groups of 5 or 6")
    assert "3 participants" in note
