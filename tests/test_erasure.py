"""Erasure and export reach every column that can refer to a person, derived from the schema.

The columns come from the database itself: every foreign key to `person`, and every column whose
name says it holds a person. Each must be declared in `storage.personal_data.PERSON_COLUMNS`
with what export and erasure do with it. Then one person is made to appear in every one of them,
through the real Slack request path, and forgets themselves: nothing may point at them after,
and nothing that belongs to others may be lost.
"""

from __future__ import annotations

import json
import re
from typing import Any

from sqlalchemy import inspect, text
from sqlmodel import select

from storage import report as report_store
from storage.models import (
    Credit,
    Group,
    Guest,
    Idea,
    Meeting,
    Person,
    StatusChange,
    as_utc,
    id_of,
)
from storage.personal_data import ERASED_ID, PERSON_COLUMNS
from tests import stored
from tests.conftest import RunningBot
from tests.fakes.slack_api import FakeSlackWebApi
from tests.slack_requests import action_request, command_request
from tests.test_slack_closing_the_loop import command
from tests.test_slack_ideas import post

# A column name that holds a person (their row id or their platform id).
PERSONISH = re.compile(
    r"^(id|.*user_id|.*person_id|author_id|actor_id|proposer_id|facilitator_id|.*_by_id|"
    r"subject_id|external_id|alias)$"
)
# Columns the pattern matches that never hold a person, and why.
NOT_A_PERSON = {
    "workspace.external_id": "a Slack team or Teams tenant id",
    "meeting.external_id": "a Teams meeting id",
    "slack_bots.bot_user_id": "the bot's own Slack id",
    "slack_installations.bot_user_id": "the bot's own Slack id",
}


def schema_person_columns(connection: Any) -> set[str]:
    found: set[str] = set()
    inspector = inspect(connection)
    for table in inspector.get_table_names():
        for key in inspector.get_foreign_keys(table):
            if key["referred_table"] == "person":
                found.update(f"{table}.{column}" for column in key["constrained_columns"])
        for column in inspector.get_columns(table):
            name = column["name"]
            if name == "id" and table != "person":
                continue
            if PERSONISH.match(name):
                found.add(f"{table}.{name}")
    return found - set(NOT_A_PERSON)


async def test_every_column_that_can_refer_to_a_person_is_declared(
    running_bot: RunningBot,
) -> None:
    async with running_bot.database.engine.connect() as connection:
        in_schema = await connection.run_sync(schema_person_columns)
    declared = set(PERSON_COLUMNS)
    assert in_schema - declared == set(), "declare these in storage.personal_data.PERSON_COLUMNS"
    assert declared - in_schema == set(), "PERSON_COLUMNS names columns that no longer exist"


async def slack_action(bot: RunningBot, api: FakeSlackWebApi, action: str, value: str, user: str):  # type: ignore[no-untyped-def]
    body, headers = action_request(
        action, value, response_url=api.response_url(), user=user, channel="CGROUP"
    )
    return await post(bot, body, headers)


async def in_channel(
    bot: RunningBot, api: FakeSlackWebApi, name: str, text_: str, user: str, channel: str = "CGROUP"
) -> None:
    body, headers = command_request(
        name, text_, response_url=api.response_url(), user=user, channel=channel
    )
    await post(bot, body, headers)


async def someone_in_every_column(bot: RunningBot, api: FakeSlackWebApi) -> Person:
    """UGONE: a facilitator who shared, added time, was credited, follows, proposed and voted,
    took part in and ran a meeting, thanked and updated others' ideas, installed the app, and
    has a message waiting to be sent."""
    api.channel_members["CGROUP"] = ["UFAC", "UGONE", "USTAY"]
    await command(bot, api, "/coproduce", "facilitators add <@UGONE|gone>")
    await command(bot, api, "/idea", "Gone but not forgotten", user="UGONE")  # #1
    await command(bot, api, "/coproduce", "time 1h reading the papers", user="UGONE")
    await command(bot, api, "/idea", "Someone else stays", user="USTAY")  # #2
    await command(bot, api, "/credit", "<@UGONE|gone> #2 for helping")
    await slack_action(bot, api, "idea.follow", "2", "UGONE")
    await command(bot, api, "/credit", "<@USTAY|stay> #2 for the idea", user="UGONE")
    await command(bot, api, "/update", "2 considering Looking at it", user="UGONE")
    await in_channel(bot, api, "/agenda", "add Talk about parking", "UGONE")
    await in_channel(bot, api, "/agenda", "add Talk about lifts", "USTAY")
    async with bot.database.reading() as session:
        items = (await session.exec(select(Idea))).all()
    assert len(items) == 2
    for item_id in ("1", "2"):
        await slack_action(bot, api, "agenda.vote", item_id, "UGONE")
    await slack_action(bot, api, "agenda.vote", "1", "USTAY")
    for words in ("start Review", "end"):
        await in_channel(bot, api, "/meeting", words, "UGONE")
    async with bot.database.reading() as session:
        meeting = (await session.exec(select(Meeting))).one()
    # the prompts are queued and not yet delivered: a message is on its way to UGONE
    await bot.reflection_due(as_utc(meeting.prompt_at))  # type: ignore[arg-type]
    async with bot.database.transaction() as session:
        await session.execute(
            text(
                "insert into slack_installations (client_id, app_id, team_id, user_id, "
                "is_enterprise_install, installed_at) values ('c', 'A1', 'T0001', 'UGONE', "
                ":no, :at)"
            ),
            {"no": False, "at": as_utc(meeting.prompt_at).replace(tzinfo=None)},  # type: ignore[arg-type]
        )
    gone = await stored.person(bot.database, "UGONE")
    assert gone is not None
    # A sign-in link to the impact report (the bot here has no public address to issue one)
    async with bot.database.transaction() as session:
        await report_store.add_link(
            session=session, nonce="n-gone", person_id=id_of(gone), now=bot.clock.now
        )
        # As a guest too, invited by themselves: the schema allows it, so erasure must cope
        [group] = (await session.exec(select(Group))).all()[:1]
        session.add(
            Guest(
                person_id=id_of(gone),
                group_id=id_of(group),
                email="gone@example.org",
                invited_by_id=id_of(gone),
                invited_at=bot.clock.now,
            )
        )
    return gone


async def rows_referring_to(bot: RunningBot, person: Person) -> dict[str, int]:
    """For every declared column, how many rows hold this person's id (or platform id)."""
    counts: dict[str, int] = {}
    async with bot.database.engine.connect() as connection:
        for qualified in PERSON_COLUMNS:
            table, column = qualified.split(".")
            if table == "person" or qualified == "audit_entry.subject_id":
                continue  # the person's own row is checked by id below; subjects are polymorphic
            value: Any = person.external_id if column == "user_id" else person.id
            counts[qualified] = int(
                (
                    await connection.execute(
                        text(f"select count(*) from {table} where {column} = :v"), {"v": value}
                    )
                ).scalar_one()
            )
        counts["person.id"] = int(
            (
                await connection.execute(
                    text("select count(*) from person where id = :v or external_id = :e"),
                    {"v": person.id, "e": person.external_id},
                )
            ).scalar_one()
        )
    return counts


async def forget(bot: RunningBot, api: FakeSlackWebApi, user: str, choice: str) -> None:
    confirm = await command(bot, api, "/coproduce", "forget-me", user=user)
    assert "can't be undone" in confirm
    body, headers = action_request(
        choice, "1", response_url=api.response_url(), user=user, channel=f"D{user}"
    )
    status, _ = await post(bot, body, headers)
    assert status == 200


async def test_forget_me_empties_every_column_and_keeps_what_belongs_to_others(
    running_bot: RunningBot, slack_api: FakeSlackWebApi
) -> None:
    gone = await someone_in_every_column(running_bot, slack_api)
    before = await rows_referring_to(running_bot, gone)
    never_seeded = sorted(column for column, count in before.items() if count == 0)
    assert never_seeded == [], "the seed must put the person in every column"

    await forget(running_bot, slack_api, "UGONE", "forget.delete")
    assert "Sorry" not in str(slack_api.private_answers()[-1].params)
    after = await rows_referring_to(running_bot, gone)
    assert {column: n for column, n in after.items() if n} == {}
    async with running_bot.database.reading() as session:
        credits = (await session.exec(select(Credit))).all()
        steps = await session.exec(select(StatusChange).where(StatusChange.status != "new"))
        placeholder = (
            await session.exec(select(Person).where(Person.external_id == ERASED_ID))
        ).one()
    # the thanks USTAY received from UGONE stays, now from "a facilitator"; so does the decision
    assert [(c.reason, c.given_by_id) for c in credits] == [("the idea", placeholder.id)]
    assert [s.changed_by_id for s in steps.all()] == [placeholder.id]
    record = await command(running_bot, slack_api, "/coproduce", "record", user="USTAY")
    assert "the idea" in record and "from a facilitator" in record
    texts = [i.text for i in await stored.ideas(running_bot.database)]
    assert texts == ["Someone else stays"]
    listing = await command(running_bot, slack_api, "/ideas", "", user="UGONE")
    assert "haven't shared any ideas" in listing


async def test_forget_me_keeping_ideas_leaves_them_anonymous_and_nobodys(
    running_bot: RunningBot, slack_api: FakeSlackWebApi
) -> None:
    gone = await someone_in_every_column(running_bot, slack_api)
    await forget(running_bot, slack_api, "UGONE", "forget.keep")
    after = await rows_referring_to(running_bot, gone)
    assert {column: n for column, n in after.items() if n} == {}
    async with running_bot.database.reading() as session:
        kept = (await session.exec(select(Idea).where(Idea.text == "Gone but not forgotten"))).one()
        author = await session.get(Person, kept.author_id)
    assert kept.anonymous and author is not None and author.external_id == ERASED_ID
    assert author.display_name is None and author.direct_address is None


async def test_erased_words_are_not_left_in_the_sqlite_files(
    running_bot: RunningBot, slack_api: FakeSlackWebApi
) -> None:
    path = running_bot.database.sqlite_path
    if path is None:
        return  # PostgreSQL: the files are the server's; VACUUM is its own schedule
    secret = "My neighbour's diagnosis is Zebra-42"
    await command(running_bot, slack_api, "/idea", secret, user="UGONE")
    await forget(running_bot, slack_api, "UGONE", "forget.delete")
    for file in (path, path.with_name(path.name + "-wal")):
        if file.exists():
            assert b"Zebra-42" not in file.read_bytes(), file.name


async def test_my_data_holds_every_exported_column(
    running_bot: RunningBot, slack_api: FakeSlackWebApi
) -> None:
    await someone_in_every_column(running_bot, slack_api)
    await in_channel(running_bot, slack_api, "/coproduce", "my-data", "UGONE", channel="DUGONE")
    [upload] = slack_api.uploads.values()
    data = json.loads(upload)
    assert [i["text"] for i in data["ideas"]] == ["Gone but not forgotten"]
    assert [c["for"] for c in data["credits_received"]] == ["helping"]
    assert data["following_ideas"] == [2]
    assert [m["title"] for m in data["meetings"]] == ["Review"]
    assert [m["title"] for m in data["meetings_facilitated"]] == ["Review"]
    assert [a["text"] for a in data["agenda_items_proposed"]] == ["Talk about parking"]
    assert len(data["agenda_items_voted_for"]) == 2
    assert "stay" not in json.dumps(data).lower()  # nothing about anyone else
