"""Property-based bad input: whatever arrives, nothing raises to the platform and nothing changes
that should not. (Hypothesis generates the inputs.)"""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import func, select

from adapters.slack import translate as slack_translate
from adapters.teams import translate as teams_translate
from bot import words
from bot.engine import Engine
from bot.seam.commands import COMMANDS, parse_command
from bot.seam.events import Actor, CommandInvoked, Conversation, IncomingMessage
from storage.models import Credit, Idea, Meeting, StatusChange
from tests.conftest import RunningBot
from tests.slack_requests import signed_headers

SHARED = settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
mentions = st.sampled_from(["<@U123>", "<@U9|sam>", "<!channel>", "<at>Sam</at>", "@sam", "#12"])
texts = st.lists(st.text(max_size=40) | mentions, max_size=8).map(" ".join) | st.text(
    min_size=1900, max_size=2100
)


def slack_shaped() -> st.SearchStrategy[dict[str, Any]]:
    """Payloads that look like Slack's, with any field missing, mistyped or strange."""
    return st.fixed_dictionaries(
        {},
        optional={
            "team_id": json_values,
            "event_id": json_values,
            "event": json_values
            | st.fixed_dictionaries(
                {},
                optional={
                    "type": st.just("message"),
                    "channel_type": st.just("im"),
                    "user": json_values,
                    "text": json_values,
                    "channel": json_values,
                    "subtype": json_values,
                },
            ),
            "user": json_values | st.fixed_dictionaries({}, optional={"id": json_values}),
            "actions": json_values,
            "view": json_values,
            "team": json_values,
            "channel": json_values,
            "command": json_values,
            "text": json_values,
        },
    )


@given(text=texts, slash_optional=st.booleans())
def test_command_parser_never_raises(text: str, slash_optional: bool) -> None:
    parsed = parse_command(text, slash_optional=slash_optional)
    assert parsed is None or isinstance(parsed.name, str)


@settings(max_examples=300, deadline=None)
@given(body=slack_shaped())
def test_slack_translators_never_raise(body: dict[str, Any]) -> None:
    for translator in (
        slack_translate.message_event,
        slack_translate.slash_command,
        slack_translate.block_action,
        slack_translate.view_submission,
    ):
        translator(body)


@settings(max_examples=300, deadline=None)
@given(
    activity=st.fixed_dictionaries(
        {},
        optional={
            "type": st.sampled_from(["message", "event", "invoke", "conversationUpdate"])
            | json_values,
            "name": json_values,
            "id": json_values,
            "text": json_values | texts,
            "from": json_values | st.fixed_dictionaries({"id": st.text(min_size=1)}),
            "conversation": json_values | st.fixed_dictionaries({"id": st.text(min_size=1)}),
            "recipient": json_values,
            "entities": json_values,
            "value": json_values,
            "channelData": json_values,
        },
    )
)
def test_teams_translator_never_raises(activity: dict[str, Any]) -> None:
    teams_translate.translate_activity(activity)


async def counts(engine: Engine) -> tuple[int, ...]:
    found = []
    async with engine.database.reading() as session:
        for model in (Idea, StatusChange, Credit, Meeting):
            found.append((await session.exec(select(func.count()).select_from(model))).one())
    return tuple(found)


@SHARED
@given(
    name=st.sampled_from([c for c in COMMANDS if c != "idea"]) | st.text(max_size=12),
    text=texts,
    group=st.booleans(),
)
async def test_members_commands_never_raise_or_change_what_they_should_not(
    engine: Engine, name: str, text: str, group: bool
) -> None:
    member = Actor("slack", "T1", "UMEMBER", "m")
    where = Conversation("C1", "group") if group else Conversation("D1", "direct")
    before = await counts(engine)
    replies = await engine.handle(
        CommandInvoked(member, where, name, text, mentions=(Actor("slack", "T1", "U2"),))
    )
    assert replies and all(r.message.summary for r in replies)
    assert "went wrong" not in replies[0].message.summary
    assert await counts(engine) == before


@SHARED
@given(text=texts)
async def test_any_direct_message_is_one_idea_or_a_kind_refusal(engine: Engine, text: str) -> None:
    person = Actor("slack", "T1", "UWRITER")
    before = (await counts(engine))[0]
    [reply] = await engine.handle(IncomingMessage(person, Conversation("D1", "direct"), text))
    after = (await counts(engine))[0]
    typed = text.replace("\x00", "").strip()  # NUL cannot be stored, so it is dropped
    if words.read(typed).name is not None:
        assert after == before  # a command typed without a slash (bot/words.py), not an idea
    elif typed and len(typed) <= 2000:
        assert after == before + 1 and "saved your idea" in reply.message.summary
    else:
        assert after == before and "went wrong" not in reply.message.summary


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(payload=slack_shaped(), as_form=st.booleans())
async def test_signed_slack_garbage_never_gets_a_500(
    running_bot: RunningBot, payload: dict[str, Any], as_form: bool
) -> None:
    from urllib.parse import urlencode

    if as_form:
        body = urlencode({"payload": json.dumps(payload)})
        headers = signed_headers(body, "application/x-www-form-urlencoded")
    else:
        body = json.dumps({**payload, "type": "event_callback"})
        headers = signed_headers(body, "application/json")
    async with running_bot.http.post(
        f"{running_bot.url}slack/events", data=body, headers=headers
    ) as response:
        assert response.status < 500


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(body=json_values)
async def test_teams_garbage_never_gets_a_500(running_bot: RunningBot, body: Any) -> None:
    async with running_bot.http.post(f"{running_bot.url}api/messages", json=body) as response:
        assert response.status < 500
