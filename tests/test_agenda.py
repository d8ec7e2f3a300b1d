"""Agenda triage end to end on Slack: hidden votes, the top half kept, ties explained, proposers
of parked items told privately; and on Teams, the same words as commands."""

from __future__ import annotations

from sqlmodel import select

from storage.models import AgendaItem
from tests.conftest import RunningBot
from tests.fakes.slack_api import FakeSlackWebApi
from tests.fakes.teams_connector import FakeConnector
from tests.slack_requests import action_request, command_request
from tests.test_slack_closing_the_loop import command, dms_to
from tests.test_slack_ideas import all_text, post


async def vote(bot: RunningBot, api: FakeSlackWebApi, user: str, item: int) -> str:
    body, headers = action_request(
        "agenda.vote", str(item), response_url=api.response_url(), user=user, channel="CGROUP"
    )
    await post(bot, body, headers)
    return all_text(api.private_answers()[-1])


async def agenda(bot: RunningBot, api: FakeSlackWebApi, text: str, user: str = "UFAC") -> str:
    """/agenda in the group's channel."""
    return await command(bot, api, "/agenda", text, user=user, channel="CGROUP")


async def test_a_member_cannot_start_an_agenda_where_there_is_no_group(
    running_bot: RunningBot, slack_api: FakeSlackWebApi
) -> None:
    refused = await agenda(running_bot, slack_api, "add Parking", user="UA")
    assert "isn't a group yet" not in refused  # they are told where agendas live instead
    assert "Each group has its own agenda" in refused
    # A facilitator's first /agenda makes the channel a group; then everyone in it can add.
    assert "Nothing is on the agenda yet" in await agenda(running_bot, slack_api, "")
    assert "on the list" in await agenda(running_bot, slack_api, "add Parking", user="UA")


async def test_triage_keeps_the_top_half_and_parks_the_rest_kindly(
    running_bot: RunningBot, slack_api: FakeSlackWebApi
) -> None:
    await agenda(running_bot, slack_api, "")  # the facilitator makes the channel a group
    for user, item in (
        ("UA", "Parking"),
        ("UB", "Signage"),
        ("UC", "Cafe hours"),
        ("UD", "Hearing loops"),
        ("UE", "Volunteer expenses"),
    ):
        answer = await agenda(running_bot, slack_api, f"add {item}", user=user)
        assert "on the list" in answer
    listing = await agenda(running_bot, slack_api, "", user="UX")
    assert "Vote for A1" in listing and "vote)" not in listing and "votes)" not in listing
    for voter, item in (("UA", 2), ("UB", 2), ("UC", 4), ("UD", 3), ("UE", 1), ("UF", 5)):
        assert "vote for" in await vote(running_bot, slack_api, voter, item)
    assert "already voted" in await vote(running_bot, slack_api, "UA", 2)
    # tallies are still hidden from members
    assert "2 votes" not in await agenda(running_bot, slack_api, "", user="UX")
    refused = await agenda(running_bot, slack_api, "triage", user="UA")
    assert "Only facilitators" in refused

    proposal = await agenda(running_bot, slack_api, "triage")
    assert "Keeping the top half (3 of 5)" in proposal
    assert "Keep \u00b7 A2 (2 votes)" in proposal
    assert "A1, A3, A4, A5 tied on 1 vote at the cut-off" in proposal  # and explained
    body, headers = action_request(
        "agenda.confirm", "1", response_url=slack_api.response_url(), user="UFAC", channel="CGROUP"
    )
    await post(running_bot, body, headers)
    assert "3 items kept" in all_text(slack_api.private_answers()[-1])
    async with running_bot.database.reading() as session:
        items = {i.id: i.status for i in (await session.exec(select(AgendaItem))).all()}
    assert items == {1: "kept", 2: "kept", 3: "kept", 4: "parked", 5: "parked"}
    await running_bot.deliver()
    for proposer in ("UD", "UE"):
        [told] = dms_to(slack_api, proposer, "parked for a future session")
        assert "not forgotten" in told
    for proposer in ("UA", "UB", "UC"):
        assert dms_to(slack_api, proposer, "parked") == []
    again = await agenda(running_bot, slack_api, "triage")
    assert "nothing on the agenda" in again


async def test_agenda_on_teams(running_bot: RunningBot, teams_connector: FakeConnector) -> None:
    from tests.teams_activities import channel_message_mentioning_bot, personal_message
    from tests.test_teams_ideas import send

    url = teams_connector.base_url
    first = channel_message_mentioning_bot("agenda", service_url=url)
    first["from"] = {"id": "29:user-facilitator", "name": "Fran"}
    await send(running_bot, first)  # the facilitator's first /agenda makes the channel a group
    await send(running_bot, personal_message("agenda add Quieter waiting room", service_url=url))
    await send(running_bot, personal_message("agenda", service_url=url))
    assert teams_connector.sent[-1].actions[0]["data"] == {"action": "agenda.vote", "value": "1"}
    await send(running_bot, personal_message("agenda is a word people use", service_url=url))
    async with running_bot.database.reading() as session:
        assert len((await session.exec(select(AgendaItem))).all()) == 1


async def press(bot: RunningBot, api: FakeSlackWebApi, action: str, value: int, user: str) -> str:
    body, headers = action_request(
        action, str(value), response_url=api.response_url(), user=user, channel="CGROUP"
    )
    await post(bot, body, headers)
    return all_text(api.private_answers()[-1])


async def test_the_agenda_after_triage_votes_with_a_limit_and_a_facilitator_shapes_it(
    running_bot: RunningBot, slack_api: FakeSlackWebApi
) -> None:
    bot, api = running_bot, slack_api
    await agenda(bot, api, "")
    for user, item in (("UA", "Parking"), ("UB", "Signage"), ("UC", "Cafe"), ("UD", "Loops")):
        await agenda(bot, api, f"add {item}", user=user)
    # Three votes each unless the facilitator says otherwise; a vote can be taken back.
    for item in (1, 2, 3):
        assert "vote for" in await press(bot, api, "agenda.vote", item, "UX")
    refused = await press(bot, api, "agenda.vote", 4, "UX")
    assert "used all 3 of your votes" in refused
    listing = await agenda(bot, api, "", user="UX")
    assert "You have 0 of your 3 votes left" in listing
    assert "Take back my vote for A3" in listing
    assert "taken back" in await press(bot, api, "agenda.unvote", 3, "UX")
    assert "vote for A4 is in" in await press(bot, api, "agenda.vote", 4, "UX")
    assert "hadn't voted" in await press(bot, api, "agenda.unvote", 3, "UX")
    await agenda(bot, api, "triage")
    await press(bot, api, "agenda.confirm", 1, "UFAC")
    # The chosen items stay in view, in order, and the parked ones are listed, not gone.
    listing = await agenda(bot, api, "", user="UX")
    assert "Kept for the next session" in listing and "1. A1: Parking" in listing
    assert "Parked for later, not forgotten" in listing and "A3: Cafe" in listing
    assert "Bring back" not in listing  # members see it, facilitators change it
    assert "Bring back A3" in await agenda(bot, api, "")
    back = await press(bot, api, "agenda.bring-back", 3, "UFAC")
    assert "A3 is back on the agenda, at number 3" in back
    await bot.deliver()
    [told] = dms_to(api, "UC", "back on the agenda")
    assert "Cafe" in told
    assert "Only facilitators" in await agenda(bot, api, "move A3 1", user="UX")
    moved = await agenda(bot, api, "move A3 1")
    assert "1. A3: Cafe\n2. A1: Parking" in moved
    assert "A2 is now number 2" in await press(bot, api, "agenda.up", 2, "UFAC")
    listing = await agenda(bot, api, "", user="UX")
    assert "1. A3: Cafe\n2. A2: Signage\n3. A1: Parking" in listing
    # Once the session has happened, its items are done with.
    for words in ("start Agenda session", "end"):  # answered with more than one note
        body, headers = command_request(
            "/meeting", words, response_url=api.response_url(), user="UFAC", channel="CGROUP"
        )
        await post(bot, body, headers)
    assert "Kept for the next session" not in await agenda(bot, api, "", user="UX")


async def test_the_number_of_votes_is_a_setting(
    running_bot: RunningBot, slack_api: FakeSlackWebApi
) -> None:
    bot, api = running_bot, slack_api
    await agenda(bot, api, "")
    assert "agenda-votes is now 1" in await command(
        bot, api, "/coproduce", "settings agenda-votes 1", channel="CGROUP"
    )
    assert "from 1 to 10" in await command(bot, api, "/coproduce", "settings agenda-votes 50")
    for item in ("Parking", "Signage"):
        await agenda(bot, api, f"add {item}", user="UA")
    assert "vote for A1 is in. You have 0 left" in await press(bot, api, "agenda.vote", 1, "UX")
    assert "used all 1 of your votes" in await press(bot, api, "agenda.vote", 2, "UX")
