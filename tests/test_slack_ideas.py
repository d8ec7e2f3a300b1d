"""Ideas over Slack, end to end: signed HTTP into the real Bolt app, replies at the fake Web API."""

from __future__ import annotations

import time

from tests import stored
from tests.conftest import RunningBot
from tests.fakes.slack_api import FakeSlackWebApi
from tests.slack_requests import (
    action_request,
    command_request,
    dm_event,
    event_request,
    view_submission_request,
)


async def post(bot: RunningBot, body: str, headers: dict[str, str], retry: int | None = None):
    if retry is not None:
        headers = {**headers, "X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "timeout"}
    async with bot.http.post(f"{bot.url}slack/events", data=body, headers=headers) as response:
        answer = response.status, await response.text()
    if response.status == 200:
        bot.slack_api.show_acknowledgement(answer[1])
    await bot.replies_sent()
    return answer


def all_text(call) -> str:  # type: ignore[no-untyped-def]
    """Everything a person would read in one message: fallback text and every block's text."""
    parts = [call.params.get("text", "")]
    for block in call.params.get("blocks") or []:
        if "text" in block:
            parts.append(block["text"]["text"])
        parts.extend(f["text"] for f in block.get("fields", []))
        parts.extend(e.get("text", "") for e in block.get("elements", []) if "text" in e)
    return "\n".join(p if isinstance(p, str) else p.get("text", "") for p in parts)


async def test_dm_saves_an_idea_and_replies_with_its_number(
    running_bot: RunningBot, slack_api: FakeSlackWebApi
) -> None:
    status, _ = await post(running_bot, *event_request(dm_event("A quiet room for carers")))
    assert status == 200
    saved = await stored.ideas(running_bot.database)
    assert [(i.number, i.text, i.source) for i in saved] == [
        (1, "A quiet room for carers", "direct")
    ]
    [reply] = slack_api.calls_to("chat.postMessage")
    assert reply.params["channel"] == "DU100"
    assert "#1" in all_text(reply)
    actions = [b for b in reply.params["blocks"] if b["type"] == "actions"]
    labels = [e["text"]["text"] for e in actions[0]["elements"]]
    assert labels == ["Make anonymous", "Edit", "Withdraw"]


async def test_slash_idea_saves_and_answers_privately_through_response_url(
    running_bot: RunningBot, slack_api: FakeSlackWebApi
) -> None:
    body, headers = command_request(
        "/idea", "Longer appointment slots", response_url=slack_api.response_url()
    )
    status, _ = await post(running_bot, body, headers)
    assert status == 200
    assert [i.text for i in await stored.ideas(running_bot.database)] == [
        "Longer appointment slots"
    ]
    [reply] = slack_api.private_answers()
    assert reply.params["response_type"] == "ephemeral"
    assert "#1" in all_text(reply)


async def test_idea_is_committed_before_slack_gets_its_200(
    running_bot: RunningBot, slack_api: FakeSlackWebApi
) -> None:
    # A fresh connection sees the row the moment the response arrives.
    await post(running_bot, *event_request(dm_event("Committed first")))
    assert len(await stored.ideas(running_bot.database)) == 1


async def test_slash_ideas_lists_only_my_ideas_with_status(
    running_bot: RunningBot, slack_api: FakeSlackWebApi
) -> None:
    await post(running_bot, *event_request(dm_event("Mine", user="U100")))
    await post(running_bot, *event_request(dm_event("Someone else's", user="U200")))
    body, headers = command_request("/ideas", "", response_url=slack_api.response_url())
    await post(running_bot, body, headers)
    listing = all_text(slack_api.private_answers()[-1])
    assert "#1 · New" in listing and "Mine" in listing
    assert "Someone else" not in listing


async def test_bad_signature_is_refused_and_nothing_stored(
    running_bot: RunningBot, slack_api: FakeSlackWebApi
) -> None:
    body, headers = event_request(dm_event("Forged"))
    headers["X-Slack-Signature"] = "v0=" + "0" * 64
    status, _ = await post(running_bot, body, headers)
    assert status == 401
    assert await stored.ideas(running_bot.database) == []
    assert slack_api.messages() == []


async def test_request_older_than_five_minutes_is_refused(
    running_bot: RunningBot, slack_api: FakeSlackWebApi
) -> None:
    body, headers = event_request(dm_event("Replayed"), timestamp=int(time.time()) - 6 * 60)
    status, _ = await post(running_bot, body, headers)
    assert status == 401
    assert await stored.ideas(running_bot.database) == []


async def test_retried_event_is_stored_once(
    running_bot: RunningBot, slack_api: FakeSlackWebApi
) -> None:
    payload = dm_event("Said once", event_id="EvRETRY001")
    assert (await post(running_bot, *event_request(payload)))[0] == 200
    for retry in (1, 2):
        assert (await post(running_bot, *event_request(payload), retry=retry))[0] == 200
    assert len(await stored.ideas(running_bot.database)) == 1
    assert len(slack_api.calls_to("chat.postMessage")) == 1


async def test_mentions_and_specials_are_shown_escaped_never_as_pings(
    running_bot: RunningBot, slack_api: FakeSlackWebApi
) -> None:
    # Slack sends what people type with &, < and > escaped.
    typed = "Tell <!channel> and <@U123> about tea & cake"
    escaped_by_slack = typed.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    await post(running_bot, *event_request(dm_event(escaped_by_slack)))
    [idea] = await stored.ideas(running_bot.database)
    assert idea.text == typed
    shown = all_text(slack_api.calls_to("chat.postMessage")[0])
    assert "&lt;!channel&gt;" in shown and "&lt;@U123&gt;" in shown and "tea &amp; cake" in shown
    assert "<!channel>" not in shown and "<@U123>" not in shown


async def test_emoji_and_other_scripts_round_trip(
    running_bot: RunningBot, slack_api: FakeSlackWebApi
) -> None:
    text = "Café ☕ 日本語 العربية हिन्दी 👩🏽‍⚕️"
    await post(running_bot, *event_request(dm_event(text)))
    [idea] = await stored.ideas(running_bot.database)
    assert idea.text == text
    assert text in all_text(slack_api.calls_to("chat.postMessage")[0])


async def test_empty_idea_gets_a_kind_prompt_and_nothing_stored(
    running_bot: RunningBot, slack_api: FakeSlackWebApi
) -> None:
    body, headers = command_request("/idea", "   ", response_url=slack_api.response_url())
    await post(running_bot, body, headers)
    assert await stored.ideas(running_bot.database) == []
    assert "What's on your mind?" in all_text(slack_api.private_answers()[0])


async def test_overlong_idea_is_refused_naming_the_limit(
    running_bot: RunningBot, slack_api: FakeSlackWebApi
) -> None:
    await post(running_bot, *event_request(dm_event("x" * 2001)))
    assert await stored.ideas(running_bot.database) == []
    reply = all_text(slack_api.calls_to("chat.postMessage")[0])
    assert "2,000 characters" in reply and "Nothing has been saved" in reply


async def test_make_anonymous_button_updates_the_idea_in_place(
    running_bot: RunningBot, slack_api: FakeSlackWebApi
) -> None:
    await post(running_bot, *event_request(dm_event("Anonymise me")))
    body, headers = action_request("idea.anonymous", "1", response_url=slack_api.response_url())
    await post(running_bot, body, headers)
    [idea] = await stored.ideas(running_bot.database)
    assert idea.anonymous
    [update] = slack_api.private_answers()
    assert update.params["replace_original"] is True
    assert "now anonymous" in all_text(update)


async def test_someone_else_cannot_change_my_idea(
    running_bot: RunningBot, slack_api: FakeSlackWebApi
) -> None:
    await post(running_bot, *event_request(dm_event("Mine alone", user="U100")))
    body, headers = action_request(
        "idea.withdraw", "1", response_url=slack_api.response_url(), user="U999", channel="DU999"
    )
    await post(running_bot, body, headers)
    [idea] = await stored.ideas(running_bot.database)
    assert idea.status == "new"
    assert "isn't one of them" in all_text(slack_api.private_answers()[0])


async def test_edit_opens_a_modal_and_saves_the_new_wording(
    running_bot: RunningBot, slack_api: FakeSlackWebApi
) -> None:
    await post(running_bot, *event_request(dm_event("First wording")))
    body, headers = action_request("idea.edit", "1", response_url=slack_api.response_url())
    await post(running_bot, body, headers)
    [opened] = slack_api.calls_to("views.open")
    view = opened.params["view"]
    assert view["blocks"][0]["element"]["initial_value"] == "First wording"
    body, headers = view_submission_request(view, {"text": "Better wording"})
    status, _ = await post(running_bot, body, headers)
    assert status == 200
    [idea] = await stored.ideas(running_bot.database)
    assert idea.text == "Better wording"
    assert "is updated" in all_text(slack_api.calls_to("chat.postMessage")[-1])


async def test_withdraw_keeps_the_idea_but_marks_it_withdrawn(
    running_bot: RunningBot, slack_api: FakeSlackWebApi
) -> None:
    await post(running_bot, *event_request(dm_event("Changed my mind")))
    body, headers = action_request("idea.withdraw", "1", response_url=slack_api.response_url())
    await post(running_bot, body, headers)
    [idea] = await stored.ideas(running_bot.database)
    assert idea.status == "withdrawn"
    body, headers = command_request("/ideas", "", response_url=slack_api.response_url())
    await post(running_bot, body, headers)
    assert "#1 · Withdrawn" in all_text(slack_api.private_answers()[-1])


async def test_help_lists_the_commands(running_bot: RunningBot, slack_api: FakeSlackWebApi) -> None:
    body, headers = command_request("/coproduce", "help", response_url=slack_api.response_url())
    await post(running_bot, body, headers)
    shown = all_text(slack_api.private_answers()[0])
    for command in ("/idea", "/ideas", "/coproduce help"):
        assert command in shown


async def test_events_we_do_not_use_are_acknowledged_not_404(
    running_bot: RunningBot, slack_api: FakeSlackWebApi
) -> None:
    payload = dm_event("ignored")
    payload["event"] = {"type": "team_join", "user": {"id": "U5"}}
    status, _ = await post(running_bot, *event_request(payload))
    assert status == 200
    assert await stored.ideas(running_bot.database) == []


async def test_bot_and_edited_messages_are_not_ideas(
    running_bot: RunningBot, slack_api: FakeSlackWebApi
) -> None:
    from_bot = dm_event("I am a bot")
    from_bot["event"]["bot_id"] = "B1"
    edited = dm_event("edited")
    edited["event"]["subtype"] = "message_changed"
    for payload in (from_bot, edited):
        assert (await post(running_bot, *event_request(payload)))[0] == 200
    assert await stored.ideas(running_bot.database) == []


async def test_every_web_api_call_is_a_real_method(
    running_bot: RunningBot, slack_api: FakeSlackWebApi
) -> None:
    await post(running_bot, *event_request(dm_event("Checking the calls")))
    assert slack_api.calls, "the bot made no Web API call"
    assert slack_api.problems == []
    # parameters we send that Slack's 2020 spec predates are listed, never silently ignored
    assert all("not in the 2020 spec" in w for w in slack_api.warnings)
