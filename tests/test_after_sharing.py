"""After sharing: taking a withdrawal back, and /ideas as the way back to every idea one cares
about (one's own, and those one follows or was thanked for)."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from bot.engine import Engine
from bot.seam.events import ActionInvoked, Actor, CommandInvoked, Conversation
from bot.seam.messages import Buttons, Message, Reply
from storage.models import StatusChange
from tests import stored
from tests.clock import FakeClock

ANN = Actor("slack", "T1", "UANN", "Ann")
BEN = Actor("slack", "T1", "UBEN", "Ben")
FRAN = Actor("slack", "T1", "UFAC", "Fran")
DM = Conversation("DANN", "direct")
GROUP = Conversation("CGROUP", "group")


def buttons(message: Message) -> list[tuple[str, str, str]]:
    return [
        (b.label, b.action_id, b.value)
        for block in message.blocks
        if isinstance(block, Buttons)
        for b in block.buttons
    ]


async def one(engine: Engine, event: object) -> Reply:
    [reply] = await engine.handle(event)  # type: ignore[arg-type]
    return reply


async def test_a_withdrawal_can_be_undone_for_a_day(engine: Engine, clock: FakeClock) -> None:
    await one(engine, CommandInvoked(ANN, DM, "idea", "Large-print appointment letters"))
    await one(engine, CommandInvoked(FRAN, GROUP, "update", "1 considering Asking the print room"))
    withdrawn = await one(engine, ActionInvoked(ANN, DM, "idea.withdraw", "1"))
    assert ("Undo", "idea.restore", "1") in buttons(withdrawn.message)
    assert "undo this for a day" in str(withdrawn.message)
    clock.advance(timedelta(hours=23))
    restored = await one(engine, ActionInvoked(ANN, DM, "idea.restore", "1"))
    assert "Welcome back, idea #1" in str(restored.message)
    [idea] = await stored.ideas(engine.database)
    assert idea.status == "considering"  # where it was, not back to the start
    async with engine.database.reading() as session:
        steps = (await session.exec(select(StatusChange.status))).all()
    assert list(steps) == ["new", "considering"]  # undone, not a second "decision"
    await one(engine, ActionInvoked(ANN, DM, "idea.withdraw", "1"))
    clock.advance(timedelta(days=1, minutes=1))
    late = await one(engine, ActionInvoked(ANN, DM, "idea.restore", "1"))
    assert "stays withdrawn" in str(late.message)
    [idea] = await stored.ideas(engine.database)
    assert idea.status == "withdrawn"


async def test_only_the_author_can_undo_a_withdrawal(engine: Engine) -> None:
    await one(engine, CommandInvoked(ANN, DM, "idea", "Quiet room"))
    await one(engine, ActionInvoked(ANN, DM, "idea.withdraw", "1"))
    refused = await one(
        engine, ActionInvoked(BEN, Conversation("DBEN", "direct"), "idea.restore", "1")
    )
    assert "only change your own ideas" in str(refused.message)
    [idea] = await stored.ideas(engine.database)
    assert idea.status == "withdrawn"


async def test_ideas_lists_what_one_follows_or_was_thanked_for_with_buttons(
    engine: Engine,
) -> None:
    ben_dm = Conversation("DBEN", "direct")
    await one(engine, CommandInvoked(ANN, DM, "idea", "Evening clinic"))
    await one(engine, CommandInvoked(ANN, DM, "idea", "anonymous Hearing loop at reception"))
    await one(engine, CommandInvoked(BEN, ben_dm, "idea", "Bus timetable on the letters"))
    await one(engine, CommandInvoked(BEN, ben_dm, "follow", "1"))
    await one(
        engine, CommandInvoked(FRAN, GROUP, "credit", "#2 for testing the loop", mentions=(BEN,))
    )
    home = await one(engine, CommandInvoked(BEN, ben_dm, "ideas", ""))
    text = str(home.message)
    assert "Ideas you follow or were thanked for" in text
    assert "#1 \u00b7 New \u00b7 you follow it" in text
    assert "#2 \u00b7 New \u00b7 you were thanked for it" in text
    assert "Ann" not in text  # whose ideas they are is not the point, nor shown
    assert ("Open #3", "idea.show", "3") in buttons(home.message)
    assert ("Unfollow #1", "idea.unfollow", "1") in buttons(home.message)
    opened = await one(engine, ActionInvoked(BEN, ben_dm, "idea.show", "3"))
    assert "Your idea #3" in str(opened.message)
    assert ("Withdraw", "idea.withdraw", "3") in buttons(opened.message)
    stopped = await one(engine, ActionInvoked(BEN, ben_dm, "idea.unfollow", "1"))
    assert "stopped following idea #1" in str(stopped.message)
    home = await one(engine, CommandInvoked(BEN, ben_dm, "ideas", ""))
    assert "you follow it" not in str(home.message)
    # Someone else's idea cannot be opened as one's own.
    refused = await one(engine, ActionInvoked(BEN, ben_dm, "idea.show", "1"))
    assert "only change your own ideas" in str(refused.message)
