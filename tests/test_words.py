"""Words without a slash are read by one rule on every platform, and every person is told the bot
is not watched for urgent help."""

from __future__ import annotations

import html
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from adapters.settings import load_settings
from bot import words
from bot.engine import Engine
from bot.seam.config import EngineConfig
from bot.seam.events import Actor, CommandInvoked, Conversation, IncomingMessage
from storage.database import Database
from storage.models import OutboxDelivery, as_utc
from tests import stored
from tests.clock import FakeClock
from tests.conftest import RunningBot
from tests.fakes.slack_api import FakeSlackWebApi
from tests.fakes.teams_connector import FakeConnector
from tests.slack_requests import dm_event, event_request
from tests.teams_activities import personal_message
from tests.test_slack_ideas import all_text, post
from tests.test_teams_ideas import send


@pytest.mark.parametrize(
    ("typed", "command", "looked_like"),
    [
        ("help", ("coproduce", "help"), None),
        ("Help me with the car park", None, "help"),
        ("ideas", ("ideas", ""), None),
        ("Ideas are welcome here", None, "ideas"),
        ("Idea for a quieter room", None, "idea"),
        ("idea anonymous Kinder letters", ("idea", "anonymous Kinder letters"), None),
        ("update 3 done Fixed it", ("update", "3 done Fixed it"), None),
        ("update 3 in progress Started", ("update", "3 in progress Started"), None),
        ("Update the leaflet please", None, "update"),
        ("coproduce record", ("coproduce", "record"), None),
        ("Coproduce is great", None, "coproduce"),
        ("agenda add Parking", ("agenda", "add Parking"), None),
        ("Agenda for next time: parking", None, "agenda"),
        ("Credit to the nurses on ward 3", None, "credit"),
        ("meeting start Review", ("meeting", "start Review"), None),
        ("The meeting went well", None, None),
        ("follow 12", ("follow", "12"), None),
        ("Follow up the letters to carers", None, "follow"),
        ("unfollow #12", ("unfollow", "#12"), None),
    ],
)
def test_one_rule_reads_a_direct_message(
    typed: str, command: tuple[str, str] | None, looked_like: str | None
) -> None:
    reading = words.read(typed)
    assert ((reading.name, reading.text) if reading.name else None) == command
    assert reading.looked_like == looked_like


SAID = [
    ("help", "How Coproduce works", None),
    ("ideas", "Your ideas", None),
    ("Idea for a quieter room", "saved your idea", "Idea for a quieter room"),
    ("Update the leaflet please", "update 12 done", "Update the leaflet please"),
    ("Coproduce is great", "coproduce help", "Coproduce is great"),
]


async def test_slack_and_teams_read_words_without_a_slash_alike(
    running_bot: RunningBot, slack_api: FakeSlackWebApi, teams_connector: FakeConnector
) -> None:
    slack_saw, teams_saw = [], []
    for text, _, _ in SAID:
        before = len(slack_api.calls_to("chat.postMessage"))
        await post(running_bot, *event_request(dm_event(text, user="UANN")))
        slack_saw.append(all_text(slack_api.calls_to("chat.postMessage")[before]))
        await send(running_bot, personal_message(text, service_url=teams_connector.base_url))
        teams_saw.append(teams_connector.sent[-1].card_text)
    for (text, shown, _), on_slack, on_teams in zip(SAID, slack_saw, teams_saw, strict=True):
        assert shown in html.unescape(on_slack), (text, on_slack)  # Slack shows &lt; as <
        assert shown in on_teams.replace("\\", ""), (text, on_teams)
    saved = [i.text for i in await stored.ideas(running_bot.database)]
    expected = [kept for _, _, kept in SAID if kept for _platform in ("slack", "teams")]
    assert saved == expected  # the same ideas, whole, once on each platform


async def test_a_two_word_status_is_understood(engine: Engine) -> None:
    fac = Actor("slack", "T1", "UFAC", "Fran")
    group = Conversation("C", "group")
    await engine.handle(CommandInvoked(fac, Conversation("D", "direct"), "idea", "Ramp"))
    [answer] = await engine.handle(CommandInvoked(fac, group, "update", "1 in progress Started"))
    assert "In progress" in str(answer.message)
    [idea] = await stored.ideas(engine.database)
    assert idea.status == "in-progress"


async def test_everyone_is_told_the_bot_is_not_watched_for_urgent_help(
    database: Database, clock: FakeClock
) -> None:
    engine = Engine(database=database, config=EngineConfig(), clock=clock)
    ann = Actor("slack", "T1", "UANN", "Ann")
    [first] = await engine.handle(
        IncomingMessage(ann, Conversation("D", "direct"), "I don't think I can keep going")
    )
    assert "116 123" in str(first.message) and "NHS 111" in str(first.message)
    [shown] = await engine.handle(CommandInvoked(ann, Conversation("D", "direct"), "coproduce", ""))
    assert "Nobody watches these messages for urgent help" in str(shown.message)
    local = "In Aotearoa: call 111 in an emergency, or 1737 to talk to someone."
    settings = load_settings(COPRODUCE_URGENT_HELP=local)
    other = Engine(database=database, config=settings.engine_config(), clock=clock)
    [help_there] = await other.handle(
        CommandInvoked(ann, Conversation("D", "direct"), "coproduce", "help")
    )
    assert local in str(help_there.message)


async def test_news_in_quiet_hours_waits_for_the_morning(
    engine: Engine, database: Database, clock: FakeClock
) -> None:
    """Status news, credits and parked notes arrive after quiet hours, not at 23:30."""
    late_evening = datetime(2026, 11, 24, 23, 30, tzinfo=UTC)  # London is on UTC in November
    clock.set(late_evening)
    ann = Actor("slack", "T1", "UANN", "Ann")
    fac = Actor("slack", "T1", "UFAC", "Fran")
    group = Conversation("C", "group")
    await engine.handle(CommandInvoked(ann, Conversation("D", "direct"), "idea", "Ramp"))
    await engine.handle(CommandInvoked(fac, group, "update", "1 considering Estates will look"))
    await engine.handle(CommandInvoked(fac, group, "credit", "for the ramp", mentions=(ann,)))
    async with database.reading() as session:
        rows = (
            await session.exec(
                select(OutboxDelivery).where(OutboxDelivery.kind.in_(("status-update", "credit")))  # type: ignore[attr-defined]
            )
        ).all()
    assert len(rows) == 2
    morning = late_evening.replace(hour=9, minute=0) + timedelta(days=1)  # quiet hours end
    assert {as_utc(row.next_attempt_at) for row in rows} == {morning}
    # with quiet hours off, news goes at once
    await engine.handle(CommandInvoked(fac, group, "coproduce", "settings quiet-hours off"))
    await engine.handle(CommandInvoked(fac, group, "update", "1 green-lit Agreed"))
    async with database.reading() as session:
        latest = (
            await session.exec(select(OutboxDelivery).order_by(OutboxDelivery.id.desc()))  # type: ignore[union-attr]
        ).first()
    assert latest is not None and as_utc(latest.next_attempt_at) < morning
