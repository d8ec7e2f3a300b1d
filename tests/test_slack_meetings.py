"""A meeting on Slack end to end: start and end in a channel, prompts by DM, an afterthought by
reply and by the modal, one reminder to the silent, and the facilitator's summary."""

from __future__ import annotations

from sqlmodel import select

from storage.models import Idea, Meeting, as_utc
from tests.conftest import RunningBot
from tests.fakes.slack_api import FakeSlackWebApi
from tests.slack_requests import (
    action_request,
    command_request,
    dm_event,
    event_request,
    view_submission_request,
)
from tests.test_slack_closing_the_loop import dms_to
from tests.test_slack_ideas import all_text, post

GROUP = ["UFAC", "UANN", "UBEN", "UCAL", "UDEE"]


async def in_channel(bot: RunningBot, api: FakeSlackWebApi, text: str, user: str = "UFAC") -> str:
    before = len(api.private_answers())
    body, headers = command_request(
        "/meeting", text, response_url=api.response_url(), user=user, channel="CGROUP"
    )
    assert (await post(bot, body, headers))[0] == 200
    return "\n".join(all_text(c) for c in api.private_answers()[before:])


async def the_meeting(bot: RunningBot) -> Meeting:
    async with bot.database.reading() as session:
        return (await session.exec(select(Meeting))).one()


async def test_meeting_to_afterthoughts_to_summary(
    running_bot: RunningBot, slack_api: FakeSlackWebApi
) -> None:
    slack_api.channel_members["CGROUP"] = [*GROUP, "UBOT"]
    started = await in_channel(running_bot, slack_api, "start Autumn review")
    assert "started with 5 participants" in started and "Groups of 5 or 6" not in started
    ended = await in_channel(running_bot, slack_api, "end")
    assert "ask each of the 5 participants privately" in ended
    meeting = await the_meeting(running_bot)

    await running_bot.reflection_due(as_utc(meeting.prompt_at))  # type: ignore[arg-type]
    await running_bot.deliver()
    for user in GROUP:
        [prompt] = dms_to(slack_api, user, "Any afterthoughts?")
        assert "Autumn review" in prompt
    assert dms_to(slack_api, "UBOT") == []

    await post(running_bot, *event_request(dm_event("Shorter agendas please", user="UANN")))
    body, headers = action_request(
        "reflection.nothing",
        str(meeting.id),
        response_url=slack_api.response_url(),
        user="UBEN",
        channel="DUBEN",
    )
    await post(running_bot, body, headers)
    body, headers = action_request(
        "reflection.share",
        str(meeting.id),
        response_url=slack_api.response_url(),
        user="UCAL",
        channel="DUCAL",
    )
    await post(running_bot, body, headers)
    [opened] = slack_api.calls_to("views.open")
    body, headers = view_submission_request(
        opened.params["view"], {"text": "More breaks"}, user="UCAL"
    )
    await post(running_bot, body, headers)
    async with running_bot.database.reading() as session:
        saved = (await session.exec(select(Idea).order_by(Idea.id))).all()
    assert [(i.text, i.source, i.meeting_id) for i in saved] == [
        ("Shorter agendas please", "afterthought", meeting.id),
        ("More breaks", "afterthought", meeting.id),
    ]

    await running_bot.reflection_due(as_utc(meeting.reminder_at))  # type: ignore[arg-type]
    await running_bot.deliver()
    reminded = [u for u in GROUP if dms_to(slack_api, u, "gentle reminder")]
    assert reminded == ["UFAC", "UDEE"]

    await running_bot.reflection_due(as_utc(meeting.closes_at))  # type: ignore[arg-type]
    await running_bot.deliver()
    [summary] = dms_to(slack_api, "UFAC", "time for afterthoughts has ended")
    assert "2 afterthoughts came in" in summary and "1 person said" in summary


async def test_group_size_note_is_ephemeral_to_the_facilitator(
    running_bot: RunningBot, slack_api: FakeSlackWebApi
) -> None:
    slack_api.channel_members["CGROUP"] = [*GROUP, "UEVE", "UFIN", "UGUS", "UBOT"]
    answer = await in_channel(running_bot, slack_api, "start Big group")
    assert "8 participants" in answer and "Groups of 5 or 6 tend to work best" in answer
    assert all(c.params["response_type"] == "ephemeral" for c in slack_api.private_answers())
    ended = await in_channel(running_bot, slack_api, "end")
    assert "Groups of 5 or 6" not in ended  # said once, at the start


async def test_members_are_refused_and_double_ends_explained(
    running_bot: RunningBot, slack_api: FakeSlackWebApi
) -> None:
    slack_api.channel_members["CGROUP"] = GROUP
    assert "Only facilitators" in await in_channel(running_bot, slack_api, "start X", user="UANN")
    assert "no meeting running" in await in_channel(running_bot, slack_api, "end")
    await in_channel(running_bot, slack_api, "start Y")
    await in_channel(running_bot, slack_api, "end")
    again = await in_channel(running_bot, slack_api, "end")
    assert "no meeting running" in again and "\u201cY\u201d, ended" in again
