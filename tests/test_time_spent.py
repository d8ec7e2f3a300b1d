"""Time given outside meetings, and the meetings attended, on a person's record of involvement:
what an involvement lead needs to pay people for their time."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from bot.contributions.time_spent import parse_time
from bot.engine import Engine
from bot.seam.events import Actor, CommandInvoked, Conversation
from bot.seam.ports import FetchedRoster
from tests.clock import FakeClock

DM = Conversation("DANN", "direct")
CHANNEL = Conversation("CPANEL", "group")


def slack(user: str) -> Actor:
    return Actor("slack", "T1", user, user.capitalize())


async def said(engine: Engine, who: str, text: str, where: Conversation = DM) -> str:
    name, _space, rest = text.partition(" ")
    roster = FetchedRoster(CHANNEL, [slack("ann"), slack("ben")])
    replies = await engine.handle(CommandInvoked(slack(who), where, name, rest), roster=roster)
    return " ".join(repr(reply.message) for reply in replies)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("2h reading the papers", (120, "reading the papers")),
        ("1h30m travel", (90, "travel")),
        ("1.5 hours travel", (90, "travel")),
        ("45 minutes preparing", (45, "preparing")),
        ("2 awr darllen", (120, "darllen")),
        ("reading for 2h", None),
    ],
)
def test_time_is_read_as_people_write_it(typed: str, expected: tuple[int, str] | None) -> None:
    assert parse_time(typed) == expected


async def test_time_and_meetings_go_on_the_record_and_into_my_data(
    engine: Engine, clock: FakeClock
) -> None:
    added = await said(engine, "ann", "coproduce time 1h30m reading the papers")
    assert "1.5 hours for \u201creading the papers\u201d is on your record" in added
    added = await said(engine, "ann", "coproduce time 30m travel")
    assert "That's 2 hours added so far" in added
    await said(engine, "UFAC", "meeting start Autumn review", where=CHANNEL)
    clock.set(clock.now + timedelta(hours=1))
    await said(engine, "UFAC", "meeting end", where=CHANNEL)
    record = await said(engine, "ann", "coproduce record")
    assert "Time you have given" in record
    assert "Meetings: 1, 1 hour in all." in record
    assert "Other time you added: 2 hours." in record and "Altogether: 3 hours." in record
    assert "reading the papers" in record
    [export] = await engine.handle(CommandInvoked(slack("ann"), DM, "coproduce", "my-data"))
    assert export.message.attachment is not None
    data = json.loads(export.message.attachment.content)
    assert [(t["minutes"], t["for"]) for t in data["time_given"]] == [
        (90, "reading the papers"),
        (30, "travel"),
    ]
    # Nobody else's record shows Ann's time
    assert "reading the papers" not in await said(engine, "ben", "coproduce record")


@pytest.mark.parametrize(
    ("typed", "answer"),
    [
        ("coproduce time", "how long it took"),
        ("coproduce time soon", "how long it took"),
        ("coproduce time 25h a long day", "from 1 minute to 24 hours"),
        ("coproduce time 0m nothing", "from 1 minute to 24 hours"),
        ("coproduce time 2h", "What was the time for?"),
        ("coproduce time 2h " + "x" * 201, "up to 200 characters"),
    ],
)
async def test_unreadable_time_is_answered_kindly_and_saves_nothing(
    engine: Engine, typed: str, answer: str
) -> None:
    assert answer in await said(engine, "ann", typed)
    assert "Time you have given" not in await said(engine, "ann", "coproduce record")
