"""Status updates, credit, following and the personal record on Slack, end to end."""

from __future__ import annotations

from sqlmodel import select

from storage.models import Contribution, Credit, OutboxDelivery, StatusChange
from tests import stored
from tests.conftest import RunningBot
from tests.fakes.slack_api import FakeSlackWebApi
from tests.slack_requests import action_request, command_request, dm_event, event_request
from tests.test_slack_ideas import all_text, post

FACILITATOR = "UFAC"


async def command(
    bot: RunningBot,
    api: FakeSlackWebApi,
    name: str,
    text: str,
    user: str = FACILITATOR,
    channel: str = "C0001",
) -> str:
    """Run a slash command and return what the person was answered, privately."""
    before = len(api.private_answers())
    body, headers = command_request(
        name, text, response_url=api.response_url(), user=user, channel=channel
    )
    status, _ = await post(bot, body, headers)
    assert status == 200
    answers = api.private_answers()[before:]
    assert len(answers) == 1
    return all_text(answers[0])


def dms_to(api: FakeSlackWebApi, user: str, containing: str = "") -> list[str]:
    return [
        all_text(call)
        for call in api.calls_to("chat.postMessage")
        if call.params["channel"] == f"D{user}" and containing in all_text(call)
    ]


async def seed_idea_with_contributors(bot: RunningBot, api: FakeSlackWebApi) -> None:
    """An anonymous idea by U100, Carol credited for it, Fola following it."""
    await command(bot, api, "/idea", "anonymous More parking for carers", user="U100")
    await command(bot, api, "/credit", "<@UCRED|carol> #1 for measuring the car park")
    body, headers = action_request(
        "idea.follow", "1", response_url=api.response_url(), user="UFOL", channel="CGROUP"
    )
    await post(bot, body, headers)


async def test_update_tells_every_contributor_once_with_the_note(
    running_bot: RunningBot, slack_api: FakeSlackWebApi
) -> None:
    await seed_idea_with_contributors(running_bot, slack_api)
    answer = await command(
        running_bot, slack_api, "/update", "1 green-lit Estates agreed to add ten spaces"
    )
    assert "now marked \u201cGoing ahead\u201d" in answer and "Everyone behind it" in answer
    assert "people" not in answer.replace("Everyone", "")  # no count: it could point at someone
    await running_bot.deliver()
    await running_bot.deliver()  # a second pass sends nothing more
    for user in ("U100", "UCRED", "UFOL"):
        [news] = dms_to(slack_api, user, "News about")
        assert "agreed to go ahead" in news and "Estates agreed to add ten spaces" in news
    assert "your idea #1" in dms_to(slack_api, "U100", "News about")[0]
    # the anonymous author stays anonymous to the others
    for user in ("UCRED", "UFOL"):
        assert "U100" not in dms_to(slack_api, user)[0] and "u100" not in dms_to(slack_api, user)[0]
    assert dms_to(slack_api, FACILITATOR, "News about") == []
    [idea] = await stored.ideas(running_bot.database)
    assert idea.status == "green-lit"


async def test_every_change_is_kept_in_the_history(
    running_bot: RunningBot, slack_api: FakeSlackWebApi
) -> None:
    await command(running_bot, slack_api, "/idea", "Quiet waiting room", user="U100")
    await command(running_bot, slack_api, "/update", "1 considering Raised at the board")
    await command(running_bot, slack_api, "/update", "#1 parked No budget until April")
    async with running_bot.database.reading() as session:
        steps = (await session.exec(select(StatusChange).order_by(StatusChange.id))).all()
    assert [(s.status, s.note) for s in steps] == [
        ("new", None),
        ("considering", "Raised at the board"),
        ("parked", "No budget until April"),
    ]
    record = await command(running_bot, slack_api, "/coproduce", "record", user="U100")
    assert "Being looked at: Raised at the board" in record
    assert "Parked: No budget until April" in record


async def test_members_cannot_update_and_nothing_changes(
    running_bot: RunningBot, slack_api: FakeSlackWebApi
) -> None:
    await command(running_bot, slack_api, "/idea", "Mine", user="U100")
    answer = await command(running_bot, slack_api, "/update", "1 done finished", user="U100")
    assert "Only facilitators" in answer
    [idea] = await stored.ideas(running_bot.database)
    assert idea.status == "new"
    async with running_bot.database.reading() as session:
        assert (await session.exec(select(OutboxDelivery))).all() == []


async def test_update_mistakes_are_explained(
    running_bot: RunningBot, slack_api: FakeSlackWebApi
) -> None:
    await command(running_bot, slack_api, "/idea", "Something", user="U100")
    unknown_idea = await command(running_bot, slack_api, "/update", "99 done finished")
    assert "no idea #99" in unknown_idea
    no_reason = await command(running_bot, slack_api, "/update", "1 parked")
    assert "needs a reason" in no_reason
    bad_status = await command(running_bot, slack_api, "/update", "1 approved yes")
    assert "don't know the status" in bad_status and "green-lit" in bad_status
    [idea] = await stored.ideas(running_bot.database)
    assert idea.status == "new"


async def test_credit_one_person_thanks_them_privately_and_shows_in_their_record(
    running_bot: RunningBot, slack_api: FakeSlackWebApi
) -> None:
    answer = await command(running_bot, slack_api, "/credit", "<@UCAR> for chairing today")
    assert "thanked ucar privately" in answer
    await running_bot.deliver()
    [thanks] = dms_to(slack_api, "UCAR")
    assert "thanked you for: chairing today" in thanks
    record = await command(running_bot, slack_api, "/coproduce", "record", user="UCAR")
    assert "chairing today" in record and "received 1 thank-you" in record


async def test_credit_several_people_for_an_idea_makes_them_contributors(
    running_bot: RunningBot, slack_api: FakeSlackWebApi
) -> None:
    await command(running_bot, slack_api, "/idea", "Translated leaflets", user="U100")
    answer = await command(
        running_bot, slack_api, "/credit", "<@UA|asha> <@UB|ben> #1 for translating into Urdu"
    )
    assert "asha and ben" in answer and "idea #1" in answer
    await running_bot.deliver()
    assert len(dms_to(slack_api, "UA", "thanked you")) == 1
    assert len(dms_to(slack_api, "UB", "thanked you")) == 1
    async with running_bot.database.reading() as session:
        credits = (await session.exec(select(Credit))).all()
        links = (await session.exec(select(Contribution))).all()
    assert len(credits) == 2 and {c.kind for c in links} == {"credited"} and len(links) == 2
    await command(running_bot, slack_api, "/update", "1 in-progress First draft done")
    await running_bot.deliver()
    assert len(dms_to(slack_api, "UA", "News about idea #1, which you were thanked")) == 1


async def test_credit_mistakes_are_explained(
    running_bot: RunningBot, slack_api: FakeSlackWebApi
) -> None:
    assert "@mention" in await command(running_bot, slack_api, "/credit", "for nothing")
    assert "what the thanks are for" in await command(running_bot, slack_api, "/credit", "<@UA>")
    assert "no idea #7" in await command(running_bot, slack_api, "/credit", "<@UA> #7 for x")
    assert "Only facilitators" in await command(
        running_bot, slack_api, "/credit", "<@UA> for x", user="U100"
    )
    async with running_bot.database.reading() as session:
        assert (await session.exec(select(Credit))).all() == []


async def test_unfollow_stops_updates(running_bot: RunningBot, slack_api: FakeSlackWebApi) -> None:
    await command(running_bot, slack_api, "/idea", "Benches", user="U100")
    for action in ("idea.follow", "idea.unfollow"):
        body, headers = action_request(
            action, "1", response_url=slack_api.response_url(), user="UF"
        )
        await post(running_bot, body, headers)
    await command(running_bot, slack_api, "/update", "1 done Installed")
    await running_bot.deliver()
    assert dms_to(slack_api, "UF") == []
    assert len(dms_to(slack_api, "U100", "News about")) == 1


async def test_dm_reply_after_update_is_still_an_idea(
    running_bot: RunningBot, slack_api: FakeSlackWebApi
) -> None:
    await post(running_bot, *event_request(dm_event("First", user="U100")))
    await command(running_bot, slack_api, "/update", "1 considering Looking")
    await running_bot.deliver()
    await post(running_bot, *event_request(dm_event("Second", user="U100")))
    assert [i.text for i in await stored.ideas(running_bot.database)] == ["First", "Second"]


async def test_follow_and_unfollow_by_number(
    running_bot: RunningBot, slack_api: FakeSlackWebApi
) -> None:
    """Anyone can choose to hear about an idea they read about, and change their mind."""
    bot, api = running_bot, slack_api
    await command(bot, api, "/idea", "Evening clinic for working carers", user="U100")
    assert "following idea #1" in await command(bot, api, "/follow", "#1", user="UFOL")
    assert "Which idea?" in await command(bot, api, "/follow", "the carers one", user="UFOL")
    assert "couldn't find idea #9" in await command(bot, api, "/follow", "9", user="UFOL")
    await command(bot, api, "/update", "1 considering Asking the clinic team")
    await bot.deliver()
    [news] = dms_to(api, "UFOL", "News about")
    assert "Asking the clinic team" in news
    assert "stopped following idea #1" in await command(bot, api, "/unfollow", "1", user="UFOL")
    assert "weren't following" in await command(bot, api, "/unfollow", "1", user="UFOL")
    await command(bot, api, "/update", "1 green-lit The clinic agreed")
    await bot.deliver()
    assert len(dms_to(api, "UFOL", "News about")) == 1  # nothing after unfollowing
    assert api.problems == []
