"""Gentle nudges to the quiet, at most once a period, never to the paused or opted out; and
retention purges. Driven with a controlled clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import update
from sqlmodel import select

from bot.engine import Engine
from bot.seam.events import ActionInvoked, Actor, CommandInvoked, Conversation
from bot.trust import quiet_voices, retention
from storage.database import Database
from storage.models import AuditEntry, Idea, OutboxDelivery, Person, ProcessedDelivery
from tests.clock import FakeClock
from tests.conftest import RunningBot
from tests.fakes.slack_api import FakeSlackWebApi
from tests.fakes.teams_connector import FakeConnector

# A Tuesday at 11:00 in London, outside quiet hours.
NOW = datetime(2026, 11, 24, 11, 0, tzinfo=UTC)


def someone(platform: str, user: str) -> Actor:
    address = f'{{"team": "T1", "user": "{user}"}}' if platform == "slack" else None
    return Actor(platform, "T1" if platform == "slack" else "tenant-1", user, user, address=address)


async def people_in(engine: Engine, platform: str, users: list[str]) -> None:
    for user in users:
        actor = someone(platform, user)
        await engine.handle(
            CommandInvoked(actor, Conversation(f"D{user}", "direct"), "coproduce", "help")
        )
    async with engine.database.transaction() as session:
        await session.execute(update(Person).values(created_at=NOW - timedelta(days=60)))


async def nudged(database: Database) -> list[str]:
    async with database.reading() as session:
        rows = (
            await session.exec(
                select(Person.external_id)
                .join(OutboxDelivery, OutboxDelivery.person_id == Person.id)
                .where(OutboxDelivery.kind == "quiet-voice-nudge")
                .order_by(Person.external_id)
            )
        ).all()
    return list(rows)


async def test_only_the_quiet_are_nudged_once_per_period(
    engine: Engine, database: Database
) -> None:
    await people_in(engine, "slack", ["UQUIET", "UTALKS", "UPAUSED", "UOPTOUT", "UQUIET2"])
    talker = someone("slack", "UTALKS")
    await engine.handle(CommandInvoked(talker, Conversation("DT", "direct"), "idea", "Recent"))
    async with database.transaction() as session:
        await session.execute(update(Idea).values(created_at=NOW - timedelta(days=3)))
    await engine.handle(
        CommandInvoked(
            someone("slack", "UPAUSED"), Conversation("DP", "direct"), "coproduce", "pause"
        )
    )
    await engine.handle(
        ActionInvoked(someone("slack", "UOPTOUT"), Conversation("DO", "direct"), "nudge.stop", "1")
    )
    assert await quiet_voices.sweep(database, NOW) == 2
    assert await nudged(database) == ["UQUIET", "UQUIET2"]
    assert await quiet_voices.sweep(database, NOW + timedelta(days=1)) == 0
    assert await quiet_voices.sweep(database, NOW + timedelta(days=29)) == 3  # talker quiet now
    assert await nudged(database) == ["UQUIET", "UQUIET", "UQUIET2", "UQUIET2", "UTALKS"]


async def test_someone_who_was_in_a_recent_meeting_is_not_quiet(
    engine: Engine, database: Database, clock: FakeClock
) -> None:
    """Speaking in the room counts: a note to someone at every meeting would be absurd."""
    clock.set(NOW - timedelta(days=3))  # the meeting was three days before the sweep

    class Room:
        async def members(self, conversation: Conversation) -> list[Actor]:
            return [someone("slack", "UINROOM")]

    await people_in(engine, "slack", ["UINROOM", "UQUIET"])
    facilitator, room = someone("slack", "UFAC"), Conversation("CROOM", "group")
    for words in ("start Monthly catch-up", "end"):
        await engine.handle(CommandInvoked(facilitator, room, "meeting", words), roster=Room())
    async with database.transaction() as session:
        await session.execute(update(Person).values(created_at=NOW - timedelta(days=60)))
    assert await quiet_voices.sweep(database, NOW) == 1
    assert await nudged(database) == ["UQUIET"]


async def test_no_nudges_in_quiet_hours_or_at_weekends(engine: Engine, database: Database) -> None:
    await people_in(engine, "slack", ["UQUIET"])
    assert await quiet_voices.sweep(database, NOW.replace(hour=22)) == 0
    assert await quiet_voices.sweep(database, NOW + timedelta(days=4)) == 0  # Saturday
    assert await quiet_voices.sweep(database, NOW) == 1


async def test_new_people_are_not_quiet_yet_and_off_means_off(
    engine: Engine, database: Database
) -> None:
    await people_in(engine, "slack", ["UQUIET"])
    newcomer = someone("slack", "UNEW")
    await engine.handle(CommandInvoked(newcomer, Conversation("DN", "direct"), "coproduce", "help"))
    async with database.transaction() as session:
        await session.execute(
            update(Person)
            .where(Person.external_id == "UNEW")
            .values(created_at=NOW - timedelta(days=2))
        )
    facilitator = someone("slack", "UFAC")
    await engine.handle(
        CommandInvoked(
            facilitator, Conversation("C", "group"), "coproduce", "settings quiet-voices off"
        )
    )
    assert await quiet_voices.sweep(database, NOW) == 0
    await engine.handle(
        CommandInvoked(
            facilitator, Conversation("C", "group"), "coproduce", "settings quiet-voices 28d"
        )
    )
    assert await quiet_voices.sweep(database, NOW) == 1
    assert await nudged(database) == ["UQUIET"]  # the newcomers (UNEW, the facilitator) are not


async def test_nudges_arrive_on_slack(running_bot: RunningBot, slack_api: FakeSlackWebApi) -> None:
    await people_in(running_bot.engine, "slack", ["UQUIET"])
    await quiet_voices.sweep(running_bot.database, NOW)
    await running_bot.deliver()
    [sent] = [
        c for c in slack_api.calls_to("chat.postMessage") if "always welcome" in str(c.params)
    ]
    assert sent.params["channel"] == "DUQUIET"
    words = str(sent.params)
    # An invitation, not a report of being watched; the reassurance is full-size text.
    assert "heard from you" not in words and "a while" not in words
    [reassurance] = [
        b for b in sent.params["blocks"] if "nothing to add is a perfectly good answer" in str(b)
    ]
    assert reassurance["type"] == "section"


async def test_nudges_arrive_on_teams(
    running_bot: RunningBot, teams_connector: FakeConnector
) -> None:
    from tests.teams_activities import personal_message
    from tests.test_teams_ideas import send

    await send(
        running_bot, personal_message("coproduce help", service_url=teams_connector.base_url)
    )
    async with running_bot.database.transaction() as session:
        await session.execute(update(Person).values(created_at=NOW - timedelta(days=60)))
    await quiet_voices.sweep(running_bot.database, NOW)
    await running_bot.deliver()
    assert any(
        "always welcome" in s.card_text
        for s in teams_connector.sent
        if s.conversation_id == "a:personal-29:user-alice"
    )


class Channel:
    """The platform's answer to "who is in this channel?"."""

    def __init__(self, users: list[str]) -> None:
        self.users = users

    async def members(self, conversation: Conversation) -> list[Actor]:
        return [someone("slack", user) for user in self.users]


async def test_participation_is_aggregate_and_hidden_for_small_groups(engine: Engine) -> None:
    facilitator = someone("slack", "UFAC")
    where = Conversation("C", "group")
    ask = CommandInvoked(facilitator, where, "coproduce", "participation")
    [small] = await engine.handle(ask, roster=Channel(["UA", "UB"]))
    assert "won't show figures" in small.message.summary
    channel = Channel(["UA", "UB", "UC", "UD", "UE"])
    await engine.handle(
        CommandInvoked(someone("slack", "UA"), Conversation("DA", "direct"), "idea", "x")
    )
    # an anonymous idea from someone quiet changes nothing a facilitator can see
    await engine.handle(
        CommandInvoked(someone("slack", "UB"), Conversation("DB", "direct"), "idea", "anonymous y")
    )
    [shown] = await engine.handle(ask, roster=channel)
    assert "1 of the 6 people in this channel took part" in shown.message.summary
    assert "UA" not in shown.message.summary
    [elsewhere] = await engine.handle(
        CommandInvoked(facilitator, Conversation("DF", "direct"), "coproduce", "participation")
    )
    assert "in the group's channel" in elsewhere.message.summary


async def test_retention_purges_old_withdrawn_ideas_only(
    engine: Engine, database: Database
) -> None:
    author = someone("slack", "UAUTH")
    here = Conversation("DA", "direct")
    for text in ("Old withdrawn", "Recent withdrawn", "Old but open"):
        await engine.handle(CommandInvoked(author, here, "idea", text))
    for number in ("1", "2"):
        await engine.handle(ActionInvoked(author, here, "idea.withdraw", number))
    async with database.transaction() as session:
        await session.execute(
            update(Idea)
            .where(Idea.number.in_((1, 3)))  # type: ignore[attr-defined]
            .values(updated_at=NOW - timedelta(days=400))
        )
        await session.execute(update(Idea).where(Idea.number == 2).values(updated_at=NOW))
    assert await retention.purge(database, NOW) == 1
    async with database.reading() as session:
        left = sorted(i.text for i in (await session.exec(select(Idea))).all())
    assert left == ["Old but open", "Recent withdrawn"]


async def test_bookkeeping_tables_do_not_grow_without_bound(
    engine: Engine, database: Database, clock: FakeClock
) -> None:
    author = someone("slack", "UAUTH")
    here = Conversation("DA", "direct")
    await engine.handle(CommandInvoked(author, here, "idea", "Kept", delivery_id="slack:Ev1"))
    await engine.handle(ActionInvoked(author, here, "idea.withdraw", "1"))
    await engine.handle(
        CommandInvoked(author, here, "coproduce", "my-data", delivery_id="slack:Ev2")
    )
    async with database.transaction() as session:
        await session.execute(update(OutboxDelivery).values(status="delivered"))
    later = clock.now + timedelta(days=365 + 365 + 1)
    await retention.purge(database, later)
    async with database.reading() as session:
        assert (await session.exec(select(ProcessedDelivery))).all() == []
        assert (await session.exec(select(OutboxDelivery))).all() == []
        assert (await session.exec(select(AuditEntry))).all() == []
        assert (await session.exec(select(Idea))).all() == []  # withdrawn, past retention
