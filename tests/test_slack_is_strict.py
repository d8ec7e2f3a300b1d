"""What real Slack refuses, our fake refuses too: Block Kit rules measured after escaping, and
scopes. Each test here failed against the first round's renderer, manifest or words."""

from __future__ import annotations

from adapters.slack.render import escape
from tests.conftest import RunningBot
from tests.fakes import block_kit, scopes
from tests.fakes.slack_api import FakeSlackWebApi
from tests.slack_requests import action_request, command_request, dm_event, event_request
from tests.specs import load_spec
from tests.test_digest_and_home import a_busy_week_posted, digest_posts
from tests.test_slack_closing_the_loop import dms_to
from tests.test_slack_ideas import post


def button(action_id: str, label: str = "Follow", value: str = "1") -> dict:
    return {
        "type": "button",
        "text": {"type": "plain_text", "text": label},
        "action_id": action_id,
        "value": value,
    }


def test_the_fake_refuses_what_slack_refuses() -> None:
    repeated = [{"type": "actions", "elements": [button("idea.follow"), button("idea.follow")]}]
    assert "repeated in one block" in " ".join(block_kit.problems(repeated, where="t"))
    escaped_too_long = [{"type": "section", "text": {"type": "mrkdwn", "text": escape("<" * 800)}}]
    assert "3000" in " ".join(block_kit.problems(escaped_too_long, where="t"))
    long_label = [{"type": "actions", "elements": [button("a", label="x" * 76)]}]
    assert block_kit.problems(long_label, where="t")
    crowded = [{"type": "actions", "elements": [button(f"a{n}") for n in range(26)]}]
    assert block_kit.problems(crowded, where="t")
    many = [{"type": "divider"}] * 51
    assert "51 blocks" in " ".join(block_kit.problems(many, where="t"))
    assert not block_kit.problems(many[:100], where="view", limit=block_kit.VIEW_BLOCKS)


def test_scopes_are_read_from_the_spec_with_their_new_names() -> None:
    spec = load_spec("slack/web-api.openapi-v2.json")
    assert scopes.needed("chat.postMessage", spec) == {"chat:write"}
    assert scopes.needed("files.completeUploadExternal", spec) == {"files:write"}
    assert scopes.needed("auth.test", spec) is None
    assert "im:write" in scopes.needed("conversations.open", spec)  # type: ignore[operator]


async def test_a_digest_with_many_follow_buttons_reaches_slack_and_each_button_works(
    running_bot: RunningBot, slack_api: FakeSlackWebApi
) -> None:
    await a_busy_week_posted(running_bot, slack_api)
    [digest] = digest_posts(slack_api)  # accepted: the fake answers invalid_blocks otherwise
    follows = [
        element
        for block in digest["blocks"]
        if block["type"] == "actions"
        for element in block["elements"]
        if element["text"]["text"].startswith("Follow")
    ]
    assert len(follows) >= 2
    second = follows[1]
    assert second["action_id"] != follows[0]["action_id"]
    body, headers = action_request(
        second["action_id"],
        second["value"],
        response_url=slack_api.response_url(),
        user="UNEW",
        channel="CGROUP",  # pressed where the post is: in the group's channel
    )
    await post(running_bot, body, headers)
    assert f"following idea #{second['value']}" in "\n".join(
        str(call.params) for call in slack_api.private_answers()[-1:]
    )


async def test_an_idea_that_grows_when_escaped_is_shown_whole(
    running_bot: RunningBot, slack_api: FakeSlackWebApi
) -> None:
    words = "<b> & <i> " * 200  # 2,000 characters that escape to 5,400
    await post(running_bot, *event_request(dm_event(words.strip())))
    [reply] = slack_api.calls_to("chat.postMessage")
    shown = " ".join(
        b["text"]["text"] for b in reply.params["blocks"] if b["type"] == "section" and "text" in b
    )
    assert " ".join(escape(words).split()) in " ".join(shown.split())


async def test_a_channel_that_refuses_the_digest_tells_facilitators_which_and_what_to_do(
    running_bot: RunningBot, slack_api: FakeSlackWebApi
) -> None:
    slack_api.refusing["CGROUP"] = "not_in_channel"
    await a_busy_week_posted(running_bot, slack_api)
    [notice] = dms_to(slack_api, "UFAC", "could not be posted")
    assert "CGROUP" in notice and "/invite @Coproduce" in notice and "not_in_channel" in notice
    assert "blocked the bot" not in notice


async def test_a_full_home_fits_in_one_slack_message(
    running_bot: RunningBot, slack_api: FakeSlackWebApi
) -> None:
    """A facilitator with every section at its longest: 25 ideas of their own, credits, and a
    dozen ideas waiting for a decision. The fakes refuse anything over the platforms' limits."""
    for n in range(25):
        await command_as(running_bot, slack_api, "/idea", f"My idea {n} " + "word " * 30, "UFAC")
    for n in range(5):
        await command_as(
            running_bot, slack_api, "/credit", f"<@UFAC|fran> #{n + 1} for {n}", "UFAC"
        )
    await command_as(running_bot, slack_api, "/ideas", "", "UFAC")
    answer = slack_api.private_answers()[-1]
    assert "Waiting for a decision" in str(answer.params)
    assert len(answer.params["blocks"]) <= block_kit.MESSAGE_BLOCKS


async def command_as(
    bot: RunningBot, api: FakeSlackWebApi, name: str, text: str, user: str
) -> None:
    body, headers = command_request(
        name, text, response_url=api.response_url(), user=user, channel="CGROUP"
    )
    assert (await post(bot, body, headers))[0] == 200
