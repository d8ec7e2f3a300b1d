"""Upgrading keeps everything: a database at the schema the release before groups made (0014),
holding what that release stored, becomes one group per workspace, and then behaves as before.

The rows are written as that release wrote them, column for column, into its own schema (built
by its own migrations), on SQLite and, with TEST_DATABASE_URL, PostgreSQL.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from sqlmodel import select

from bot.engine import Engine
from bot.seam.config import EngineConfig
from bot.seam.events import Actor, CommandInvoked, Conversation
from storage.database import Database
from storage.migrate import alembic_config, upgrade
from storage.models import (
    AgendaItem,
    Credit,
    Group,
    GroupMember,
    Idea,
    Meeting,
    OutboxDelivery,
    Person,
    Workspace,
)
from tests.clock import ORDINARY, FakeClock
from tests.conftest import BACKENDS, empty_database

BEFORE_GROUPS = "0014"
THEN = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)


@pytest.fixture(params=BACKENDS)
async def old_database(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    url = await empty_database(request.param, tmp_path, "before-groups.db")
    await asyncio.to_thread(command.upgrade, alembic_config(url), BEFORE_GROUPS)
    database = Database(url)
    async with database.engine.begin() as connection:
        for statement, rows in SEED:
            for row in rows:
                await connection.execute(sa.text(statement), {"at": THEN, **row})
        if request.param == "postgresql":
            # The rows name their ids, as the release's own sequences would have given them.
            for table in ("workspace", "person", "meeting", "idea", "agenda_item", "credit"):
                await connection.execute(
                    sa.text(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                        f"(SELECT max(id) FROM {table}))"
                    )
                )
    await database.dispose()
    yield url


WORKSPACE = (
    "INSERT INTO workspace (id, platform, external_id, timezone, last_idea_number, created_at, "
    "reflection_delay, quiet_hours, reminder_after, reflection_window, anonymous_default, "
    "quiet_voices_after, retention, digest_schedule, digest_channel, digest_address, "
    "last_digest_at, agenda_votes, channel_language) VALUES (:id, :platform, :ext, "
    "'Europe/London', :last, :at, :delay, :quiet, '2d', '7d', :anon, '28d', '365d', :digest, "
    ":channel, :address, :digested, :votes, :language)"
)
PERSON = (
    "INSERT INTO person (id, workspace_id, external_id, display_name, role, anonymous_default, "
    "paused, created_at, direct_address) VALUES (:id, :w, :ext, :name, :role, false, false, :at, "
    ":address)"
)
SEED: list[tuple[str, list[dict[str, object]]]] = [
    (
        WORKSPACE,
        [
            # A Slack team with a digest channel and its own rhythm
            dict(
                id=1,
                platform="slack",
                ext="T0001",
                last=2,
                delay="2h",
                quiet="off",
                anon=True,
                digest="mon 09:00",
                channel="CDIGEST",
                address="CDIGEST",
                digested=THEN,
                votes="2",
                language="both",
            ),
            # A Teams tenant that only ever had a meeting
            dict(
                id=2,
                platform="teams",
                ext="tenant-2",
                last=0,
                delay="next-morning",
                quiet="20:00-09:00",
                anon=False,
                digest="fri 16:00",
                channel=None,
                address=None,
                digested=None,
                votes="3",
                language="en",
            ),
            # A console that had nothing yet
            dict(
                id=3,
                platform="console",
                ext="local",
                last=0,
                delay="next-morning",
                quiet="20:00-09:00",
                anon=False,
                digest="fri 16:00",
                channel=None,
                address=None,
                digested=None,
                votes="3",
                language="en",
            ),
        ],
    ),
    (
        PERSON,
        [
            dict(id=1, w=1, ext="UFAC", name="Fran", role="admin", address=None),
            dict(
                id=2,
                w=1,
                ext="UHELP",
                name="Hal",
                role="facilitator",
                address='{"team": "T0001", "user": "UHELP"}',
            ),
            dict(
                id=3,
                w=1,
                ext="UANN",
                name="Ann",
                role="member",
                address='{"team": "T0001", "user": "UANN"}',
            ),
            dict(id=4, w=2, ext="29:fran", name="Fran", role="facilitator", address=None),
        ],
    ),
    (
        "INSERT INTO meeting (id, workspace_id, channel_id, title, facilitator_id, status, "
        "started_at, ended_at) VALUES (:id, :w, :channel, 'Autumn review', :by, 'ended', :at, :at)",
        [
            dict(id=1, w=1, channel="CMEET", by=2),
            dict(id=2, w=2, channel="19:panel@thread.tacv2;messageid=17", by=4),
        ],
    ),
    (
        "INSERT INTO idea (id, workspace_id, number, author_id, anonymous, text, source, status, "
        "created_at, updated_at, meeting_id) VALUES (:id, 1, :number, 3, :anon, :text, 'direct', "
        "'new', :at, :at, NULL)",
        [
            dict(id=1, number=1, anon=False, text="Longer clinic hours"),
            dict(id=2, number=2, anon=True, text="A ramp at the side door"),
        ],
    ),
    (
        "INSERT INTO status_change (idea_id, status, changed_by_id, changed_at) "
        "VALUES (:idea, 'new', 3, :at)",
        [dict(idea=1), dict(idea=2)],
    ),
    (
        "INSERT INTO agenda_item (id, workspace_id, proposer_id, text, status, created_at) "
        "VALUES (1, 1, 3, 'Parking', 'proposed', :at)",
        [{}],
    ),
    (
        "INSERT INTO credit (id, workspace_id, person_id, given_by_id, idea_id, reason, "
        "created_at) VALUES (1, 1, 3, 2, 1, 'measuring the step', :at)",
        [{}],
    ),
]


async def test_each_workspace_becomes_one_group_that_keeps_everything(old_database: str) -> None:
    await upgrade(old_database)
    database = Database(old_database)
    try:
        async with database.reading() as session:
            groups = {g.workspace_id: g for g in (await session.exec(select(Group))).all()}
            members = {
                (m.group_id, m.person_id, m.role)
                for m in (await session.exec(select(GroupMember))).all()
            }
            roles = {p.external_id: p.role for p in (await session.exec(select(Person))).all()}
            grouped = [
                row.group_id
                for model in (Idea, Meeting, AgendaItem, Credit)
                for row in (await session.exec(select(model))).all()
                if row.workspace_id == 1
            ]
            workspace = await session.get(Workspace, 1)
    finally:
        await database.dispose()
    slack, teams, console = groups[1], groups[2], groups[3]
    # The group's channel is the digest channel, else the latest meeting's, else waiting
    assert (slack.channel_id, slack.channel_address) == ("CDIGEST", "CDIGEST")
    assert slack.digest_channel is None  # its own channel: nothing to set apart
    # a Teams channel is the channel, not the thread the meeting was started in
    assert teams.channel_id == "19:panel@thread.tacv2" and console.channel_id is None
    # The settings people chose moved with it, and the digest period goes on from the last
    assert (
        slack.reflection_delay,
        slack.quiet_hours,
        slack.anonymous_default,
        slack.digest_schedule,
        slack.agenda_votes,
        slack.channel_language,
    ) == ("2h", "off", True, "mon 09:00", "2", "both")
    assert slack.last_digest_at is not None
    assert workspace is not None and workspace.last_idea_number == 2
    # Everything stored belongs to it; its facilitators facilitate it; admins stay admins
    assert grouped == [slack.id] * 5  # two ideas, a meeting, an agenda item, a credit
    assert (slack.id, 2, "facilitator") in members and (slack.id, 3, "member") in members
    assert (teams.id, 4, "facilitator") in members
    assert roles == {"UFAC": "admin", "UHELP": "member", "UANN": "member", "29:fran": "member"}


async def test_an_upgraded_workspace_behaves_as_before(old_database: str) -> None:
    await upgrade(old_database)
    database = Database(old_database)
    engine = Engine(
        database=database,
        config=EngineConfig(admins=frozenset({"slack:UFAC"})),
        clock=FakeClock(ORDINARY),
    )

    def slack(user: str) -> Actor:
        return Actor("slack", "T0001", user, address=f'{{"team": "T0001", "user": "{user}"}}')

    dm = Conversation("DUHELP", "direct")
    try:
        # The facilitator from before still runs the group, from a DM as ever
        [moved] = await engine.handle(CommandInvoked(slack("UHELP"), dm, "update", "1 done Yes"))
        assert "is now marked" in repr(moved.message)
        # A new idea by DM goes to the one group, and takes the next number
        [saved] = await engine.handle(
            CommandInvoked(slack("UANN"), Conversation("DUANN", "direct"), "idea", "More chairs")
        )
        assert "#3" in repr(saved.message) and "Which group" not in repr(saved.message)
        # Its settings still apply (anonymous by default, as the workspace had chosen)
        async with database.reading() as session:
            idea = (await session.exec(select(Idea).where(Idea.number == 3))).one()
        assert idea.anonymous and idea.group_id is not None
        # The digest still goes to the digest channel
        [posted] = await engine.handle(CommandInvoked(slack("UHELP"), dm, "digest", ""))
        assert "on its way" in repr(posted.message)
        async with database.reading() as session:
            digest = (
                await session.exec(select(OutboxDelivery).where(OutboxDelivery.kind == "digest"))
            ).one()
        assert digest.channel_id == "CDIGEST"
        # The agenda from before is still there
        [agenda] = await engine.handle(CommandInvoked(slack("UANN"), dm, "agenda", ""))
        assert "Parking" in repr(agenda.message)
    finally:
        await database.dispose()


async def test_the_waiting_group_takes_the_first_channel_a_facilitator_uses(
    old_database: str,
) -> None:
    await upgrade(old_database)
    database = Database(old_database)
    engine = Engine(
        database=database,
        config=EngineConfig(admins=frozenset({"console:fran"})),
        clock=FakeClock(ORDINARY),
    )
    try:
        fran = Actor("console", "local", "fran")
        here = Conversation("console:group", "group", address="console:group")
        await engine.handle(CommandInvoked(fran, here, "agenda", "add Tea"))
        async with database.reading() as session:
            groups = (await session.exec(select(Group).where(Group.workspace_id == 3))).all()
        assert [(g.channel_id, g.name) for g in groups] == [("console:group", "Our group")]
    finally:
        await database.dispose()
