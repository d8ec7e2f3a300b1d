"""Members are refused facilitator and admin commands kindly, and never read others' ideas."""

from __future__ import annotations

import pytest
from sqlmodel import select

from bot.engine import Engine
from bot.seam.events import ActionInvoked, Actor, CommandInvoked, Conversation
from storage.database import Database
from storage.models import AuditEntry, Credit, Group, GroupMember, Idea, Meeting, Person

GROUP = Conversation("CGROUP", "group")


def slack(user: str) -> Actor:
    return Actor("slack", "T1", user, user.lower())


def teams(user: str) -> Actor:
    return Actor("teams", "tenant-1", user, user.lower())


FACILITATOR_COMMANDS = [
    ("update", "1 done finished"),
    ("credit", "for helping"),
    ("meeting", "start Secret meeting"),
    ("meeting", "end"),
    ("meeting", "schedule Plan fri 10:00"),
    ("coproduce", "settings quiet-hours off"),
    ("coproduce", "participation"),
]
ADMIN_COMMANDS = [("coproduce", "facilitators add"), ("coproduce", "facilitators")]


async def snapshot(database: Database) -> tuple:
    async with database.reading() as session:
        ideas = [
            (i.number, i.status, i.text, i.anonymous)
            for i in (await session.exec(select(Idea))).all()
        ]
        roles = sorted((p.external_id, p.role) for p in (await session.exec(select(Person))).all())
        meetings = len((await session.exec(select(Meeting))).all())
        credits = len((await session.exec(select(Credit))).all())
        settings = [g.quiet_hours for g in (await session.exec(select(Group))).all()]
        audit = len((await session.exec(select(AuditEntry))).all())
    return ideas, roles, meetings, credits, settings, audit


@pytest.mark.parametrize("who", [slack, teams])
async def test_members_are_refused_every_facilitator_and_admin_command(
    engine: Engine, database: Database, who
) -> None:  # type: ignore[no-untyped-def]
    member = who("UMEMBER")
    await engine.handle(CommandInvoked(member, Conversation("D1", "direct"), "idea", "Mine"))
    before = await snapshot(database)
    target = who("UOTHER")
    for name, text in FACILITATOR_COMMANDS + ADMIN_COMMANDS:
        [reply] = await engine.handle(CommandInvoked(member, GROUP, name, text, mentions=(target,)))
        words = reply.message.summary
        assert "Only facilitators" in words or "Only admins" in words, (name, text, words)
    assert await snapshot(database) == before


async def test_a_groups_facilitators_appoint_in_their_own_group_only(
    engine: Engine, database: Database
) -> None:
    admin = slack("UFAC")  # COPRODUCE_ADMINS in the test configuration
    other = Conversation("COTHER", "group")
    [done] = await engine.handle(
        CommandInvoked(admin, GROUP, "coproduce", "facilitators add", mentions=(slack("UHELP"),))
    )
    assert "now facilitate" in done.message.summary  # an admin's word makes the channel a group
    [done] = await engine.handle(CommandInvoked(admin, other, "coproduce", "group name Carers"))
    assert "now the group" in done.message.summary
    [allowed] = await engine.handle(
        CommandInvoked(
            slack("UHELP"), GROUP, "coproduce", "facilitators add", mentions=(slack("UANY"),)
        )
    )
    assert "now facilitate" in allowed.message.summary
    [refused] = await engine.handle(
        CommandInvoked(
            slack("UHELP"), other, "coproduce", "facilitators add", mentions=(slack("UANY"),)
        )
    )
    assert "Only admins" in refused.message.summary
    [allowed] = await engine.handle(CommandInvoked(slack("UHELP"), GROUP, "update", "99 done x"))
    assert "no idea #99" in allowed.message.summary  # a facilitator now, so past the role check
    async with database.reading() as session:
        entries = (
            await session.exec(select(AuditEntry).where(AuditEntry.action == "role-change"))
        ).all()
        roles = {
            (m.group_id, m.person_id, m.role)
            for m in (await session.exec(select(GroupMember))).all()
        }
    assert [e.detail for e in entries] == ["facilitator:1", "facilitator:1"]
    assert sum(role == "facilitator" for _group, _person, role in roles) == 2


async def test_no_command_or_button_lets_a_member_read_anothers_idea(engine: Engine) -> None:
    secret = "My private worry about the ward"
    owner, nosy = slack("UOWNER"), slack("UNOSY")
    await engine.handle(CommandInvoked(owner, Conversation("DO", "direct"), "idea", secret))
    seen: list[str] = []
    here = Conversation("DN", "direct")
    for name, text in (
        ("ideas", ""),
        ("coproduce", "record"),
        ("coproduce", "my-data"),
        ("idea", "1"),
        ("coproduce", "help"),
    ):
        for reply in await engine.handle(CommandInvoked(nosy, here, name, text)):
            seen.append(repr(reply.message))
    for action in ("idea.edit", "idea.anonymous", "idea.withdraw", "idea.follow", "idea.named"):
        for reply in await engine.handle(ActionInvoked(nosy, here, action, "1")):
            seen.append(repr(reply.message))
    assert all(secret not in text for text in seen)


async def test_whoami_tells_only_you_the_id_an_admin_needs(engine: Engine) -> None:
    [reply] = await engine.handle(CommandInvoked(teams("29:1abc"), GROUP, "coproduce", "whoami"))
    assert reply.private
    assert "teams:29:1abc" in reply.message.summary and "COPRODUCE_ADMINS" in reply.message.summary
    assert "a member" in reply.message.summary
    [reply] = await engine.handle(CommandInvoked(slack("UFAC"), GROUP, "coproduce", "whoami"))
    assert "slack:UFAC" in reply.message.summary and "an admin" in reply.message.summary
