"""Ideas over Teams end to end: activities into the real CloudAdapter, replies at a fake."""

from __future__ import annotations

from typing import Any

from tests import stored
from tests.conftest import RunningBot
from tests.fakes.teams_connector import FakeConnector
from tests.teams_activities import channel_message_mentioning_bot, personal_message


async def send(bot: RunningBot, activity: dict[str, Any]) -> int:
    async with bot.http.post(f"{bot.url}api/messages", json=activity) as response:
        return response.status


async def test_personal_message_saves_an_idea_and_replies_with_a_card(
    running_bot: RunningBot, teams_connector: FakeConnector
) -> None:
    activity = personal_message("Evening clinics", service_url=teams_connector.base_url)
    assert await send(running_bot, activity) in (200, 201)
    [idea] = await stored.ideas(running_bot.database)
    assert (idea.number, idea.text) == (1, "Evening clinics")
    [reply] = teams_connector.sent
    assert reply.conversation_id == activity["conversation"]["id"]
    assert reply.reply_to == activity["id"]
    assert "#1" in reply.card_text and "\\" not in reply.card_text  # nothing to escape here
    titles = [a["title"] for a in reply.actions]
    # a first reply also carries the privacy note, with a button to acknowledge it
    assert titles == ["Make anonymous", "Edit", "Withdraw", "Got it, thanks"]
    assert "A word on privacy" in reply.card_text


async def test_personal_chat_address_is_kept_for_later_private_messages(
    running_bot: RunningBot, teams_connector: FakeConnector
) -> None:
    await send(running_bot, personal_message("hello", service_url=teams_connector.base_url))
    alice = await stored.person(running_bot.database, "29:user-alice")
    assert alice is not None and teams_connector.base_url in (alice.direct_address or "")


async def test_commands_work_with_or_without_a_slash(
    running_bot: RunningBot, teams_connector: FakeConnector
) -> None:
    url = teams_connector.base_url
    await send(running_bot, personal_message("idea Better signage", service_url=url))
    await send(running_bot, personal_message("/idea anonymous Kinder letters", service_url=url))
    await send(running_bot, personal_message("ideas", service_url=url))
    saved = await stored.ideas(running_bot.database)
    assert [(i.text, i.anonymous) for i in saved] == [
        ("Better signage", False),
        ("Kinder letters", True),
    ]
    listing = teams_connector.sent[-1].card_text
    assert "Better signage" in listing and "Kinder letters" in listing


async def test_a_sentence_starting_with_a_command_word_is_still_an_idea(
    running_bot: RunningBot, teams_connector: FakeConnector
) -> None:
    text = "ideas are welcome from everyone"
    await send(running_bot, personal_message(text, service_url=teams_connector.base_url))
    assert [i.text for i in await stored.ideas(running_bot.database)] == [text]


async def test_card_button_makes_the_idea_anonymous(
    running_bot: RunningBot, teams_connector: FakeConnector
) -> None:
    url = teams_connector.base_url
    await send(running_bot, personal_message("Name me not", service_url=url))
    card_message_id = "reply-1"
    press = personal_message(
        "",
        service_url=url,
        value={"action": "idea.anonymous", "value": "1"},
        reply_to_id=card_message_id,
    )
    await send(running_bot, press)
    [idea] = await stored.ideas(running_bot.database)
    assert idea.anonymous
    update = teams_connector.sent[-1]
    assert update.verb == "PUT" and update.reply_to == card_message_id
    assert "now anonymous" in update.card_text


async def test_edit_card_input_saves_the_new_wording(
    running_bot: RunningBot, teams_connector: FakeConnector
) -> None:
    url = teams_connector.base_url
    await send(running_bot, personal_message("Draft", service_url=url))
    await send(
        running_bot,
        personal_message("", service_url=url, value={"action": "idea.edit", "value": "1"}),
    )
    [form] = teams_connector.sent[-1].cards
    field = next(e for e in form["body"] if e["type"] == "Input.Text")
    assert field["value"] == "Draft"
    submit = teams_connector.sent[-1].actions[0]["data"]
    await send(
        running_bot,
        personal_message("", service_url=url, value={**submit, field["id"]: "Final wording"}),
    )
    [idea] = await stored.ideas(running_bot.database)
    assert idea.text == "Final wording"


async def test_card_text_cannot_inject_markup(
    running_bot: RunningBot, teams_connector: FakeConnector
) -> None:
    text = "**bold** [click](https://evil.example) {{DATE(2017-02-14T06:08:39Z, SHORT)}} <b>x</b>"
    await send(running_bot, personal_message(text, service_url=teams_connector.base_url))
    [idea] = await stored.ideas(running_bot.database)
    assert idea.text == text
    shown = teams_connector.sent[0].card_text
    assert "\\*\\*bold\\*\\*" in shown
    assert "\\[click\\](https://evil.example)" in shown
    assert "\\{\\{DATE" in shown
    assert "[click](" not in shown and "{{" not in shown


async def test_card_text_shows_ordinary_punctuation_without_backslashes(
    running_bot: RunningBot, teams_connector: FakeConnector
) -> None:
    text = "Re #3 (the car park) - could we try 8.30 starts? Also:\n- more chairs\n2. a ramp"
    await send(running_bot, personal_message(text, service_url=teams_connector.base_url))
    reply = teams_connector.sent[0]
    lines = [e["text"] for e in reply.cards[0]["body"] if e["type"] == "TextBlock"]
    assert "Re #3 (the car park) - could we try 8.30 starts? Also:" in lines
    # each line its own block, and a line that would start a list stays text
    assert "\\- more chairs" in lines and "2\\. a ramp" in lines
    await send(running_bot, personal_message("ideas", service_url=teams_connector.base_url))
    body = teams_connector.sent[-1].cards[0]["body"]
    headings = [e["text"] for e in body if e.get("style") == "heading"]
    assert "Your ideas" in headings  # announced as a heading by screen readers


async def test_emoji_and_other_scripts_round_trip(
    running_bot: RunningBot, teams_connector: FakeConnector
) -> None:
    text = "Café ☕ 日本語 العربية 👩🏽‍⚕️"
    await send(running_bot, personal_message(text, service_url=teams_connector.base_url))
    assert [i.text for i in await stored.ideas(running_bot.database)] == [text]
    assert text in teams_connector.sent[0].card_text


async def test_overlong_idea_is_refused_and_nothing_stored(
    running_bot: RunningBot, teams_connector: FakeConnector
) -> None:
    await send(running_bot, personal_message("y" * 2001, service_url=teams_connector.base_url))
    assert await stored.ideas(running_bot.database) == []
    assert "2,000 characters" in teams_connector.sent[0].card_text


async def test_resent_activity_is_stored_once(
    running_bot: RunningBot, teams_connector: FakeConnector
) -> None:
    activity = personal_message("Only once", service_url=teams_connector.base_url)
    await send(running_bot, activity)
    await send(running_bot, activity)
    assert len(await stored.ideas(running_bot.database)) == 1
    assert len(teams_connector.sent) == 1


async def test_channel_message_is_not_taken_as_an_idea(
    running_bot: RunningBot, teams_connector: FakeConnector
) -> None:
    activity = channel_message_mentioning_bot("good morning", service_url=teams_connector.base_url)
    assert await send(running_bot, activity) in (200, 201)
    assert await stored.ideas(running_bot.database) == []


async def test_non_json_is_415(running_bot: RunningBot, teams_connector: FakeConnector) -> None:
    async with running_bot.http.post(
        f"{running_bot.url}api/messages", data="hello", headers={"Content-Type": "text/plain"}
    ) as response:
        assert response.status == 415


async def test_malformed_json_is_400_never_500(
    running_bot: RunningBot, teams_connector: FakeConnector
) -> None:
    for body in ('{"type": "message", ', "[1, 2]", '{"text": "no type"}', "\xff"):
        async with running_bot.http.post(
            f"{running_bot.url}api/messages",
            data=body.encode("utf-8", "surrogateescape") if body != "\xff" else b"\xff\xfe",
            headers={"Content-Type": "application/json"},
        ) as response:
            assert response.status == 400, body
    assert await stored.ideas(running_bot.database) == []


async def test_other_activity_types_are_accepted_quietly(
    running_bot: RunningBot, teams_connector: FakeConnector
) -> None:
    activity = personal_message("", service_url=teams_connector.base_url)
    activity["type"] = "conversationUpdate"
    activity["membersAdded"] = [{"id": "29:someone"}]
    assert await send(running_bot, activity) in (200, 201)
    assert teams_connector.sent == []
