"""Findings of the trust review, each through the real request path where one exists: replays,
odd input, unauthenticated Teams requests, unbounded settings, stale admins."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta

import pytest
from aiohttp import ClientSession
from aiohttp.test_utils import TestServer
from sqlalchemy import update
from sqlmodel import select

from adapters.platforms import build_platforms
from adapters.settings import Settings
from adapters.web import create_app
from bot.engine import Engine
from bot.runtime.scheduler import WorkerScheduler
from bot.seam.events import Actor, CommandInvoked, Conversation
from bot.trust.quiet_voices import sweep
from storage.database import Database
from storage.models import Credit, Group, Idea, OutboxDelivery, Person, Workspace
from storage.people import follow_admin_list
from tests import stored
from tests.clock import FakeClock
from tests.conftest import RunningBot
from tests.fakes.slack_api import FakeSlackWebApi
from tests.fakes.teams_connector import FakeConnector
from tests.slack_requests import action_request, command_request, dm_event, event_request
from tests.teams_activities import personal_message
from tests.test_slack_closing_the_loop import command
from tests.test_slack_ideas import all_text, post
from tests.test_teams_ideas import send

GROUP = Conversation("CGROUP", "group")


def slack(user: str) -> Actor:
    return Actor("slack", "T0001", user, user.title(), address=f'{{"user": "{user}"}}')


# -- replays ------------------------------------------------------------------------------


async def test_a_replayed_signed_slash_command_changes_nothing(
    running_bot: RunningBot, slack_api: FakeSlackWebApi
) -> None:
    body, headers = command_request(
        "/idea", "Once only", response_url=slack_api.response_url(), user="UANN"
    )
    assert (await post(running_bot, body, headers))[0] == 200
    assert (await post(running_bot, body, headers))[0] == 200  # captured and sent again
    assert [i.text for i in await stored.ideas(running_bot.database)] == ["Once only"]
    credit, credit_headers = command_request(
        "/credit", "<@UANN|ann> for the idea", response_url=slack_api.response_url(), user="UFAC"
    )
    for _ in range(2):
        await post(running_bot, credit, credit_headers)
    async with running_bot.database.reading() as session:
        assert len((await session.exec(select(Credit))).all()) == 1


async def test_a_replayed_button_press_changes_nothing(
    running_bot: RunningBot, slack_api: FakeSlackWebApi
) -> None:
    await command(running_bot, slack_api, "/idea", "Withdraw me", user="UANN")
    body, headers = action_request(
        "idea.withdraw", "1", response_url=slack_api.response_url(), user="UANN"
    )
    for _ in range(2):
        await post(running_bot, body, headers)
    async with running_bot.database.reading() as session:
        steps = (await session.exec(select(Idea))).one()
    assert steps.status == "withdrawn"
    answers = [all_text(a) for a in slack_api.private_answers() if "withdrawn" in all_text(a)]
    assert len(answers) == 1


# -- odd input ----------------------------------------------------------------------------


@pytest.mark.parametrize("number", ["99999999999999999999999", "\u00b2", "\u0663", "-3", "3.0"])
async def test_idea_numbers_are_plain_digits_within_range(
    running_bot: RunningBot, slack_api: FakeSlackWebApi, number: str
) -> None:
    for n in range(3):
        await command(running_bot, slack_api, "/idea", f"Idea {n}", user="UANN")
    answer = await command(running_bot, slack_api, "/update", f"{number} done finished")
    assert "isn't an idea number" in answer and "Sorry" not in answer
    assert {i.status for i in await stored.ideas(running_bot.database)} == {"new"}
    body, headers = action_request(
        "idea.follow", number, response_url=slack_api.response_url(), user="UBEN"
    )
    assert (await post(running_bot, body, headers))[0] == 200
    assert "couldn't find that idea" in all_text(slack_api.private_answers()[-1])


async def test_a_lone_surrogate_is_stored_as_a_replacement_character(
    running_bot: RunningBot, slack_api: FakeSlackWebApi
) -> None:
    payload = json.dumps(dm_event("placeholder", user="UANN")).replace(
        "placeholder", "Half a pair \\ud800 here"
    )
    status, _ = await post(running_bot, payload, event_request({})[1] | _signed(payload))
    assert status == 200
    [idea] = await stored.ideas(running_bot.database)
    assert idea.text == "Half a pair \ufffd here"
    replies = slack_api.calls_to("chat.postMessage")
    assert len(replies) == 1 and "Sorry" not in all_text(replies[0])


def _signed(body: str) -> dict[str, str]:
    from tests.slack_requests import signed_headers

    return signed_headers(body, "application/json")


async def test_a_very_long_teams_name_is_kept_short_enough_to_store(
    running_bot: RunningBot, teams_connector: FakeConnector
) -> None:
    activity = personal_message(
        "From someone with a long name", service_url=teams_connector.base_url
    )
    activity["from"]["name"] = "N" * 256
    await send(running_bot, activity)
    await send(running_bot, personal_message("And again", service_url=teams_connector.base_url))
    person = await stored.person(running_bot.database, "29:user-alice")
    assert person is not None and len(await stored.ideas(running_bot.database)) == 2
    assert "Sorry" not in teams_connector.sent[-1].card_text


@pytest.mark.parametrize(
    ("setting", "value", "range_words"),
    [
        ("retention", "999999999d", "from 30 days to 3650 days"),
        ("quiet-voices", "999999999d", "from 7 days to 365 days"),
        ("reminder-after", "999999999d", "from 1 hour to 30 days"),
        ("reminder-after", "00000000000000000002d", "from 1 hour to 30 days"),
        ("reflection-window", "1h", "from 1 day to 90 days"),
        ("timezone", "Mars/Olympus_Mons", "IANA time zone"),
    ],
)
async def test_every_setting_has_a_range_stated_when_refused(
    engine: Engine, database: Database, setting: str, value: str, range_words: str
) -> None:
    [answer] = await engine.handle(
        CommandInvoked(slack("UFAC"), GROUP, "coproduce", f"settings {setting} {value}")
    )
    assert (
        range_words in answer.message.summary
        and "Nothing has been changed" in answer.message.summary
    )
    # a meeting still ends and is scheduled with the settings as they were
    await engine.handle(CommandInvoked(slack("UFAC"), GROUP, "meeting", "start Check"))
    [ended, *_] = await engine.handle(CommandInvoked(slack("UFAC"), GROUP, "meeting", "end"))
    assert "Sorry" not in ended.message.summary


async def test_one_workspaces_broken_setting_does_not_stop_the_others(
    engine: Engine, database: Database, clock: FakeClock
) -> None:
    for team in ("TBROKEN", "THEALTHY"):
        quiet = Actor("slack", team, "UQUIET", "Quiet", address=f'{{"user": "UQUIET-{team}"}}')
        await engine.handle(
            CommandInvoked(quiet, Conversation("DQ", "direct"), "coproduce", "help")
        )
    async with database.transaction() as session:
        await session.execute(update(Person).values(created_at=clock.now - timedelta(days=60)))
        # a value stored before ranges existed, or by hand: the sweep must survive it
        await session.execute(
            update(Workspace).where(Workspace.external_id == "TBROKEN").values(timezone="Not/AZone")
        )
    assert await sweep(database, clock.now) == 1
    async with database.reading() as session:
        nudged = (
            await session.exec(
                select(Workspace.external_id)
                .join(Person, Person.workspace_id == Workspace.id)
                .join(OutboxDelivery, OutboxDelivery.person_id == Person.id)
            )
        ).all()
    assert nudged == ["THEALTHY"]
    # the worker's scheduler still plans the other workspaces' digests (it raised before)
    async with database.transaction() as session:
        for workspace in (await session.exec(select(Workspace))).all():
            session.add(
                Group(
                    workspace_id=workspace.id, channel_id="CGROUP", name="G", created_at=clock.now
                )
            )
    scheduler = WorkerScheduler(database=database, clock=clock)
    await scheduler.start()
    try:
        await scheduler.reconcile()
    finally:
        await scheduler.shutdown()


# -- Teams authentication before parsing --------------------------------------------------


async def test_api_messages_checks_the_token_before_reading_the_body(
    database_url: str, database: Database, engine: Engine
) -> None:
    settings = Settings(
        DATABASE_URL=database_url,
        MICROSOFT_APP_ID=str(uuid.uuid4()),
        MICROSOFT_APP_PASSWORD="secret",
        MICROSOFT_APP_TYPE="SingleTenant",
        MICROSOFT_APP_TENANT_ID=str(uuid.uuid4()),
    )
    platforms = await build_platforms(settings, engine)
    app = create_app(platforms=platforms, database=database)
    nested = "[" * 100_000 + "]" * 100_000
    activity = json.dumps(personal_message("hi", service_url="http://127.0.0.1:9/"))
    token = "Bearer eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJ4In0.c2ln"
    cases = [
        ({}, activity, 401),
        ({"Authorization": "Bearer x"}, activity, 401),
        ({"Authorization": "Bearer x"}, nested, 401),
        ({"Authorization": token}, nested, 400),
        ({"Authorization": token}, activity, 401),
    ]
    try:
        async with TestServer(app, host="127.0.0.1") as server, ClientSession() as http:
            for headers, body, expected in cases:
                async with http.post(
                    server.make_url("/api/messages"),
                    data=body,
                    headers={"Content-Type": "application/json", **headers},
                ) as response:
                    assert response.status == expected, (headers, body[:20])
        assert await stored.ideas(database) == []
    finally:
        await platforms.close()


# -- roles follow COPRODUCE_ADMINS ----------------------------------------------------------


async def test_someone_taken_off_the_admin_list_is_an_admin_no_longer(
    database: Database, clock: FakeClock
) -> None:
    before = Engine(database=database, config=_config({"slack:UFAC", "slack:UOLD"}), clock=clock)
    await before.handle(CommandInvoked(slack("UOLD"), GROUP, "coproduce", "help"))
    await before.handle(CommandInvoked(slack("UFAC"), GROUP, "coproduce", "help"))
    async with database.transaction() as session:
        assert await follow_admin_list(session=session, admins=frozenset({"slack:UFAC"})) == 1
    old = await stored.person(database, "UOLD")
    assert old is not None and old.role == "member"
    after = Engine(database=database, config=_config({"slack:UFAC"}), clock=clock)
    [refused] = await after.handle(
        CommandInvoked(slack("UOLD"), GROUP, "update", "1 done finished")
    )
    assert "Only facilitators" in refused.message.summary
    [explained] = await after.handle(
        CommandInvoked(
            slack("UFAC"), GROUP, "coproduce", "facilitators remove", mentions=(slack("UFAC"),)
        )
    )
    assert "COPRODUCE_ADMINS" in explained.message.summary


def _config(admins: set[str]):  # type: ignore[no-untyped-def]
    from bot.seam.config import EngineConfig

    return EngineConfig(admins=frozenset(admins))


async def test_a_teams_admin_named_by_azure_ad_object_id_is_an_admin(
    running_bot: RunningBot, teams_connector: FakeConnector
) -> None:
    engine = Engine(
        database=running_bot.database,
        config=_config({"teams:aad-29:user-bea"}),
        clock=running_bot.clock,
    )
    activity = personal_message(
        "coproduce whoami",
        service_url=teams_connector.base_url,
        user_id="29:user-bea",
        user_name="Bea",
    )
    from adapters.teams import translate

    event = translate.translate_activity(activity)
    assert event is not None
    [answer] = await engine.handle(event)
    assert "an admin" in answer.message.summary
