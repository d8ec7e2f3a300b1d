"""Two groups in one Slack workspace, end to end through signed requests: each group has its own
facilitators, agenda, meetings, reflection prompts and digest, and neither can run the other.
A DM'd idea from someone in both groups asks which group it is for."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from storage.models import Group, Idea
from tests.conftest import RunningBot
from tests.fakes.slack_api import FakeSlackWebApi
from tests.slack_requests import action_request, dm_event, event_request
from tests.test_slack_closing_the_loop import command, dms_to
from tests.test_slack_ideas import all_text, post

MATERNITY, CARERS = "CMAT", "CCAR"
MAY, CARL, BOTH = "UMAY", "UCARL", "UBOTH"
ADMIN = "UFAC"  # named in COPRODUCE_ADMINS in the tests, and in both channels
PEOPLE = {
    MATERNITY: [ADMIN, MAY, "UA1", "UA2", "UA3", BOTH],
    CARERS: [ADMIN, CARL, "UB1", "UB2", "UB3", BOTH],
}


async def two_groups(bot: RunningBot, api: FakeSlackWebApi) -> None:
    """An admin makes each channel a group and gives each its own facilitator."""
    api.channel_members.update(PEOPLE)
    for channel, name, facilitator in ((MATERNITY, "Maternity", MAY), (CARERS, "Carers", CARL)):
        made = await command(bot, api, "/coproduce", f"group name {name}", channel=channel)
        assert f"now the group \u201c{name}\u201d, with 6 people" in made
        added = await command(
            bot,
            api,
            "/coproduce",
            f"facilitators add <@{facilitator}|{facilitator.lower()}>",
            channel=channel,
        )
        assert f"now facilitate \u201c{name}\u201d" in added
        await command(bot, api, "/coproduce", "settings reflection-delay 1h", channel=channel)


async def in_group(
    bot: RunningBot, api: FakeSlackWebApi, channel: str, user: str, name: str, text: str
) -> str:
    return await command(bot, api, name, text, user=user, channel=channel)


async def test_two_groups_keep_their_own_agendas_meetings_prompts_and_digests(
    running_bot: RunningBot, slack_api: FakeSlackWebApi
) -> None:
    bot, api = running_bot, slack_api
    await two_groups(bot, api)
    # Agendas and triage
    await in_group(bot, api, MATERNITY, "UA1", "/agenda", "add Birth partner parking")
    await in_group(bot, api, CARERS, "UB1", "/agenda", "add Respite information")
    maternity_agenda = await in_group(bot, api, MATERNITY, MAY, "/agenda", "")
    assert "Birth partner parking" in maternity_agenda and "Respite" not in maternity_agenda
    carers_agenda = await in_group(bot, api, CARERS, CARL, "/agenda", "")
    assert "Respite information" in carers_agenda and "Birth partner" not in carers_agenda
    assert "Only facilitators" in await in_group(bot, api, CARERS, MAY, "/agenda", "triage")
    assert "Keeping the top half" in await in_group(bot, api, MATERNITY, MAY, "/agenda", "triage")
    # Ideas shared in a group's channel are that group's; #numbers stay one list
    await in_group(bot, api, MATERNITY, "UA1", "/idea", "Clearer signs to the birth centre")
    await in_group(bot, api, CARERS, "UB1", "/idea", "A carers' lounge on level 2")
    async with bot.database.reading() as session:
        groups = {g.id: g.name for g in (await session.exec(select(Group))).all()}
        ideas = {i.number: groups[i.group_id] for i in (await session.exec(select(Idea))).all()}
    assert ideas == {1: "Maternity", 2: "Carers"}
    # Another group's ideas cannot be followed; your own group's can
    assert "couldn't find" in await in_group(bot, api, CARERS, "UB1", "/follow", "1")
    assert "You're following idea #1" in await in_group(bot, api, MATERNITY, "UA2", "/follow", "1")
    # A facilitator of one group cannot update, credit or digest the other's
    refused = await in_group(bot, api, MATERNITY, MAY, "/update", "2 parked Not ours")
    assert "no idea #2 here" in refused
    refused = await in_group(bot, api, MATERNITY, MAY, "/credit", "<@UB2|b2> #2 for the survey")
    assert "no idea #2 here" in refused
    assert "Only facilitators" in await in_group(bot, api, CARERS, MAY, "/digest", "")
    assert "Only facilitators" in await in_group(bot, api, CARERS, MAY, "/meeting", "start X")
    assert "is now marked" in await in_group(bot, api, CARERS, CARL, "/update", "2 green-lit Yes")
    assert "is now marked" in await in_group(bot, api, MATERNITY, MAY, "/update", "1 done Up")
    await in_group(bot, api, MATERNITY, MAY, "/credit", "<@UA2|ua2> for the photos")
    await in_group(bot, api, CARERS, CARL, "/credit", "<@UB2|ub2> for the survey")
    # Meetings, and the prompts that follow them, go to each group's own people
    for channel, facilitator, title in (
        (MATERNITY, MAY, "Maternity voices"),
        (CARERS, CARL, "Carers' circle"),
    ):
        started = await in_group(bot, api, channel, facilitator, "/meeting", f"start {title}")
        assert "6 participants" in started
        await in_group(bot, api, channel, facilitator, "/meeting", "end")
    await bot.reflection_due(bot.clock.now + timedelta(hours=2))
    await bot.deliver()
    for user in ("UA1", "UA2", "UA3"):
        assert dms_to(api, user, "Maternity voices") and not dms_to(api, user, "Carers' circle")
    for user in ("UB1", "UB2", "UB3"):
        assert dms_to(api, user, "Carers' circle") and not dms_to(api, user, "Maternity voices")
    assert dms_to(api, BOTH, "Maternity voices") and dms_to(api, BOTH, "Carers' circle")
    # Each digest goes to its own channel, with only its own ideas and thanks
    await in_group(bot, api, MATERNITY, MAY, "/digest", "")
    await in_group(bot, api, CARERS, CARL, "/digest", "")
    await bot.deliver()
    posts = {
        channel: " ".join(
            all_text(c) for c in api.calls_to("chat.postMessage") if c.params["channel"] == channel
        )
        for channel in (MATERNITY, CARERS)
    }
    # (the fake Web API's users.info names UA2 "ua2")
    assert "birth centre" in posts[MATERNITY] and "Thank you, ua2" in posts[MATERNITY]
    assert "lounge" not in posts[MATERNITY] and "ub2" not in posts[MATERNITY]
    assert "lounge" in posts[CARERS] and "Thank you, ub2" in posts[CARERS]
    assert "birth centre" not in posts[CARERS] and "ua2" not in posts[CARERS]
    # Each facilitator's /coproduce groups shows their group and its size
    groups = await in_group(bot, api, MATERNITY, MAY, "/coproduce", "groups")
    assert "Maternity: 6 people, and you facilitate it" in groups and "Carers" not in groups


async def test_a_dm_from_someone_in_two_groups_asks_which_and_lands_where_chosen(
    running_bot: RunningBot, slack_api: FakeSlackWebApi
) -> None:
    bot, api = running_bot, slack_api
    await two_groups(bot, api)
    await post(bot, *event_request(dm_event("anonymous A quiet room for feeding", user=BOTH)))
    [reply] = dms_to(api, BOTH, "saved your idea as #1")
    assert "Which group is this for?" in reply
    buttons = [
        element
        for call in api.calls_to("chat.postMessage")
        if call.params["channel"] == f"D{BOTH}"
        for block in call.params["blocks"]
        if block["type"] == "actions"
        for element in block["elements"]
        if element["value"].startswith("1:")
    ]
    assert [b["text"]["text"] for b in buttons] == ["Maternity", "Carers"]
    # Until the author chooses, both groups' facilitators see it, and neither sees who wrote it
    for facilitator, channel in ((MAY, MATERNITY), (CARL, CARERS)):
        home = await in_group(bot, api, channel, facilitator, "/ideas", "")
        assert "#1" in home and "A quiet room for feeding" in home
        assert "uboth" not in home.lower()
    carers = next(b for b in buttons if b["text"]["text"] == "Carers")
    body, headers = action_request(
        carers["action_id"],
        carers["value"],
        response_url=api.response_url(),
        user=BOTH,
        channel=f"D{BOTH}",
    )
    await post(bot, body, headers)
    assert "now with \u201cCarers\u201d" in all_text(api.private_answers()[-1])
    assert "A quiet room" not in await in_group(bot, api, MATERNITY, MAY, "/ideas", "")
    assert "A quiet room" in await in_group(bot, api, CARERS, CARL, "/ideas", "")
    refused = await in_group(bot, api, MATERNITY, MAY, "/update", "1 considering Hmm")
    assert "no idea #1 here" in refused
    # Someone outside a group cannot send an idea to it with a forged button
    body, headers = action_request(
        "idea.group", "1:1", response_url=api.response_url(), user="UB1", channel="DUB1"
    )
    await post(bot, body, headers)
    async with bot.database.reading() as session:
        idea = (await session.exec(select(Idea))).one()
        carers_group = (await session.exec(select(Group).where(Group.name == "Carers"))).one()
    assert idea.group_id == carers_group.id
