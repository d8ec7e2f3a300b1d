"""Groups through the engine: making and naming one, who may, what each person sees of it, the
size note past six, and which settings belong to a group and which to the workspace."""

from __future__ import annotations

from sqlmodel import select

from bot.engine import Engine
from bot.seam.events import Actor, CommandInvoked, Conversation
from bot.seam.ports import Roster
from storage.database import Database
from storage.models import Group, Workspace

CHANNEL = Conversation("CPANEL", "group")
DM = Conversation("DM", "direct")


def slack(user: str) -> Actor:
    return Actor("slack", "T1", user, user.lower())


class Channel(Roster):
    """The people the platform lists in the channel."""

    def __init__(self, *users: str) -> None:
        self.users = users

    async def members(self, conversation: Conversation) -> list[Actor]:
        return [slack(user) for user in self.users]


async def said(
    engine: Engine, who: str, text: str, where: Conversation = CHANNEL, roster=None
) -> str:  # type: ignore[no-untyped-def]
    name, _space, rest = text.partition(" ")
    replies = await engine.handle(CommandInvoked(slack(who), where, name, rest), roster=roster)
    return " ".join(repr(reply.message) for reply in replies)


async def test_only_an_admin_makes_a_group_and_its_facilitators_rename_it(engine: Engine) -> None:
    assert "An admin can make it one" in await said(engine, "UANY", "coproduce group")
    assert "An admin can make it one" in await said(engine, "UANY", "coproduce group name Mine")
    made = await said(engine, "UFAC", "coproduce group name Young people", roster=Channel("UA"))
    assert "now the group \u201cYoung people\u201d, with 2 people" in made
    assert "Only facilitators" in await said(engine, "UA", "coproduce group name Ours")
    await said(engine, "UFAC", "coproduce facilitators add", roster=None)  # no one named: usage
    [reply] = await engine.handle(
        CommandInvoked(
            slack("UFAC"), CHANNEL, "coproduce", "facilitators add", mentions=(slack("UA"),)
        )
    )
    assert "now facilitate" in reply.message.summary
    assert "now called \u201cYouth panel\u201d" in await said(
        engine, "UA", "coproduce group name Youth panel"
    )
    refused = await said(engine, "UA", "coproduce group name " + "x" * 81)
    assert "1 to 80 characters" in refused
    # Anyone in it sees who is in it; the settings are for those who run it
    overview = await said(engine, "UB", "coproduce group")
    assert "Youth panel" in overview and "Facilitators: ua" in overview
    assert "reflection-delay" not in overview
    assert "reflection-delay" in await said(engine, "UA", "coproduce group")
    assert "Groups are channels" in await said(engine, "UA", "coproduce group", where=DM)


async def test_groups_lists_yours_and_notes_a_group_past_six(engine: Engine) -> None:
    everyone = [f"U{n}" for n in range(8)]
    await said(engine, "UFAC", "coproduce group name Carers", roster=Channel(*everyone))
    await engine.handle(
        CommandInvoked(
            slack("UFAC"), CHANNEL, "coproduce", "facilitators add", mentions=(slack("U0"),)
        )
    )
    member = await said(engine, "U5", "coproduce groups", where=DM)
    assert "Carers" in member and "people" not in member and "split" not in member
    runs = await said(engine, "U0", "coproduce groups", where=DM)
    assert "Carers: 9 people, and you facilitate it" in runs  # eight, and the admin who made it
    assert "Groups of 5 or 6 give everyone time to speak" in runs and "split it in two" in runs
    assert "not in a group yet" in await said(engine, "UNEW", "coproduce groups", where=DM)


async def test_group_settings_belong_to_the_group_and_workspace_ones_to_admins(
    engine: Engine, database: Database
) -> None:
    other = Conversation("COTHER", "group")
    await said(engine, "UFAC", "coproduce group name Carers")
    await said(engine, "UFAC", "coproduce group name Maternity", where=other)
    await engine.handle(
        CommandInvoked(
            slack("UFAC"), CHANNEL, "coproduce", "facilitators add", mentions=(slack("UA"),)
        )
    )
    assert "reminder-after is now 3d" in await said(
        engine, "UA", "coproduce settings reminder-after 3d"
    )
    refused = await said(engine, "UA", "coproduce settings reminder-after 3d", where=other)
    assert "Only facilitators" in refused
    refused = await said(engine, "UA", "coproduce settings timezone Europe/Paris")
    assert "only admins can change it" in refused
    assert "timezone is now Europe/Paris" in await said(
        engine, "UFAC", "coproduce settings timezone Europe/Paris", where=DM
    )
    async with database.reading() as session:
        groups = {g.name: g.reminder_after for g in (await session.exec(select(Group))).all()}
        [workspace] = (await session.exec(select(Workspace))).all()
    assert groups == {"Carers": "3d", "Maternity": "2d"}
    assert workspace.timezone == "Europe/Paris"


async def test_the_small_group_note_counts_the_ideas_group_not_the_workspace(
    engine: Engine,
) -> None:
    big, small = Conversation("CBIG", "group"), Conversation("CSMALL", "group")
    await said(engine, "UFAC", "coproduce group name Big", where=big, roster=Channel(*"ABCDEF"))
    await said(engine, "UFAC", "coproduce group name Trio", where=small, roster=Channel("X", "Y"))
    # Nine people in the workspace, but only three in the trio: they could guess each other
    in_trio = await said(engine, "X", "idea anonymous A quieter room", where=small)
    assert "fewer than 5 people" in in_trio
    in_big = await said(engine, "A", "idea anonymous A quieter room", where=big)
    assert "fewer than 5 people" not in in_big
