"""The "You said, we did" digest, App Home and the Teams /ideas card, end to end."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from bot.engine import Engine
from bot.loop.digest_schedule import last_occurrence, next_occurrence, send_scheduled
from bot.runtime.scheduler import WorkerScheduler
from bot.seam.events import ActionInvoked, Actor, CommandInvoked, Conversation
from storage.database import Database
from storage.models import Group, Idea, OutboxDelivery
from tests.clock import MOMENTS, FakeClock
from tests.conftest import RunningBot
from tests.fakes.slack_api import FakeSlackWebApi
from tests.fakes.teams_connector import FakeConnector
from tests.slack_requests import (
    action_request,
    command_request,
    event_request,
    view_submission_request,
)
from tests.teams_activities import channel_message_mentioning_bot
from tests.test_slack_ideas import all_text, post
from tests.test_teams_ideas import send

ZARA = "Zara Quinn"


def slack(user: str, name: str | None = None) -> Actor:
    return Actor("slack", "T0001", user, name, address=f'{{"team": "T0001", "user": "{user}"}}')


async def a_busy_week(engine: Engine, actor=slack, facilitator: str = "UFAC") -> None:  # type: ignore[no-untyped-def]
    """Sixty ideas (three anonymous, by Zara), decisions, work in progress and credits."""
    dm = Conversation("D1", "direct")
    group = Conversation("CGROUP", "group", address="CGROUP")
    fac = actor(facilitator, "Fran")
    await engine.handle(CommandInvoked(fac, group, "coproduce", "group name Carers"))
    for n in range(60):
        author = actor("UZARA", ZARA) if n % 20 == 0 else actor(f"U{n:03d}", f"Member {n}")
        words = " ".join(["considerably"] * 40)
        prefix = "anonymous " if n % 20 == 0 else ""
        await engine.handle(CommandInvoked(author, dm, "idea", f"{prefix}Idea {n} {words}"))
    for number, status in ((2, "green-lit"), (3, "in-progress"), (4, "parked")):
        await engine.handle(
            CommandInvoked(fac, group, "update", f"{number} {status} Because {number}")
        )
    await engine.handle(
        CommandInvoked(fac, group, "credit", "for chairing", mentions=(actor("U005", "Member 5"),))
    )


async def a_busy_week_posted(bot: RunningBot, api: FakeSlackWebApi) -> None:
    """A busy week, then a facilitator's /digest in the group's channel, delivered."""
    await a_busy_week(bot.engine)
    body, headers = command_request(
        "/digest", "", response_url=api.response_url(), user="UFAC", channel="CGROUP"
    )
    await post(bot, body, headers)
    await bot.deliver()


def digest_posts(api: FakeSlackWebApi, channel: str = "CGROUP") -> list[dict]:
    return [c.params for c in api.calls_to("chat.postMessage") if c.params["channel"] == channel]


async def test_slack_digest_sections_limits_and_anonymity(
    running_bot: RunningBot, slack_api: FakeSlackWebApi
) -> None:
    await a_busy_week_posted(running_bot, slack_api)
    [digest] = digest_posts(slack_api)
    blocks = digest["blocks"]
    headers_ = [b["text"]["text"] for b in blocks if b["type"] == "header"]
    assert headers_ == [
        "You said, we did",
        "Ideas received (60)",
        "Decisions",
        "Work in progress",
        "Thanks",
    ]
    assert len(blocks) <= 50
    sections = [b["text"]["text"] for b in blocks if b["type"] == "section"]
    assert all(len(t) <= 3000 for t in sections)
    ideas_section = sections[0]
    assert "\u2026and 48 more." in ideas_section  # summarised with a count, not cut
    for line in ideas_section.splitlines()[:-1]:
        assert line.endswith(("considerably\u2026", "considerably"))  # whole words only
    assert "#1: Idea 0" in ideas_section and "#2: Idea 1" in ideas_section
    everything = json.dumps(digest)
    assert ZARA not in everything and "UZARA" not in everything
    # nobody is named as the author of an idea, anonymous or not
    assert "Member 1" not in everything and "Member 2" not in everything
    assert "#2 \u201cIdea 1 considerably" in sections[1]
    assert "\u201d is now going ahead: Because 2" in sections[1]
    assert "Thank you, Member 5, for chairing" in everything
    assert slack_api.problems == []


async def test_each_decision_is_one_line_with_its_idea_and_each_thanks_names_everyone_once(
    running_bot: RunningBot, slack_api: FakeSlackWebApi
) -> None:
    engine = running_bot.engine
    dm, group = Conversation("D1", "direct"), Conversation("CGROUP", "group")
    fac = slack("UFAC", "Fran")
    await engine.handle(CommandInvoked(fac, group, "coproduce", "group name Carers"))
    await engine.handle(CommandInvoked(slack("UANN", "Ann"), dm, "idea", "Quieter waiting room"))
    for status in ("considering", "green-lit", "done"):
        await engine.handle(CommandInvoked(fac, group, "update", f"1 {status} Step {status}"))
    await engine.handle(CommandInvoked(slack("UCAL", "Cal"), dm, "coproduce", "public-thanks off"))
    helpers = (slack("UANN", "Ann"), slack("UBEN", "Ben"), slack("UCAL", "Cal"))
    await engine.handle(CommandInvoked(fac, group, "credit", "for the survey", mentions=helpers))
    body, headers = command_request(
        "/digest", "", response_url=slack_api.response_url(), user="UFAC", channel="CGROUP"
    )
    await post(running_bot, body, headers)
    await running_bot.deliver()
    [digest] = digest_posts(slack_api)
    text = all_text_of(digest)
    assert text.count("Quieter waiting room") == 2  # once received, once decided
    assert "#1 \u201cQuieter waiting room\u201d is now done: Step done" in text
    assert "green-lit" not in text
    assert text.count("for the survey") == 1
    assert "Thank you, Ann, Ben and 1 other group member, for the survey" in text
    assert "Cal" not in text


def all_text_of(post: dict) -> str:  # type: ignore[type-arg]
    return "\n".join(
        b["text"]["text"] for b in post["blocks"] if b["type"] in ("section", "header")
    )


async def test_digest_preview_is_private_and_a_quiet_week_is_one_line(
    running_bot: RunningBot, slack_api: FakeSlackWebApi
) -> None:
    body, headers = command_request(
        "/digest", "preview", response_url=slack_api.response_url(), user="UFAC", channel="CGROUP"
    )
    await post(running_bot, body, headers)
    [preview] = slack_api.private_answers()
    assert preview.params["response_type"] == "ephemeral"
    assert "A quiet week" in all_text(preview)
    assert digest_posts(slack_api) == []
    body, headers = command_request(
        "/digest", "", response_url=slack_api.response_url(), user="UANN", channel="CGROUP"
    )
    await post(running_bot, body, headers)
    assert "Only facilitators" in all_text(slack_api.private_answers()[-1])


async def test_teams_digest_card_is_valid_and_small(
    running_bot: RunningBot, teams_connector: FakeConnector
) -> None:
    def teams(user: str, name: str | None = None) -> Actor:
        return Actor("teams", "tenant-0001", user, name)

    await a_busy_week(running_bot.engine, actor=teams, facilitator="29:user-facilitator")
    for text in ("coproduce settings digest-channel here", "digest"):
        activity = channel_message_mentioning_bot(text, service_url=teams_connector.base_url)
        activity["from"] = {"id": "29:user-facilitator", "name": "Fran"}
        await send(running_bot, activity)
    await running_bot.deliver()
    [posted] = [s for s in teams_connector.sent if s.conversation_id == "19:channel@thread.tacv2"]
    [card] = posted.cards
    assert len(json.dumps(card).encode()) < 28 * 1024
    assert "Ideas received (60)" in posted.card_text and ZARA not in json.dumps(card)
    assert posted.reply_to is None  # a new post in the channel, not a reply in someone's thread
    # the fake connector has validated every card against the Adaptive Card 1.5 schema


def next_friday_four_pm_in_london(after: datetime) -> datetime:
    """Worked out by hand from the calendar, not by the code under test."""
    london = ZoneInfo("Europe/London")
    day = after.astimezone(london).date() + timedelta(days=1)
    while day.weekday() != 4:
        day += timedelta(days=1)
    return datetime(day.year, day.month, day.day, 16, 0, tzinfo=london).astimezone(UTC)


@pytest.mark.parametrize("clock", MOMENTS.values(), ids=MOMENTS.keys(), indirect=True)
async def test_scheduled_digest_goes_once_per_period_even_late(
    engine: Engine, database: Database, clock: FakeClock
) -> None:
    group = Conversation("CGROUP", "group", address="CGROUP")
    await engine.handle(CommandInvoked(slack("UFAC"), group, "coproduce", "group name Carers"))
    await engine.handle(CommandInvoked(slack("UANN"), Conversation("D", "direct"), "idea", "Hi"))
    async with database.reading() as session:
        workspace = (await session.exec(select(Group))).one()  # the group, whose digest it is
    friday = next_friday_four_pm_in_london(clock.now)
    assert last_occurrence("fri 16:00", "Europe/London", friday + timedelta(hours=1)) == friday
    assert next_occurrence("fri 16:00", "Europe/London", friday) == friday + timedelta(days=7)
    assert await send_scheduled(database, workspace.id, friday + timedelta(minutes=1))
    assert not await send_scheduled(database, workspace.id, friday + timedelta(hours=2))
    # a worker that was down for most of a day still sends, within the 12-hour grace
    assert await send_scheduled(database, workspace.id, friday + timedelta(days=7, hours=3))
    assert not await send_scheduled(database, workspace.id, friday + timedelta(days=14, hours=13))
    async with database.reading() as session:
        rows = (
            await session.exec(select(OutboxDelivery).where(OutboxDelivery.kind == "digest"))
        ).all()
    # The first covers the week the idea came in; the next week had nothing in it.
    assert len(rows) == 2 and "Hi" in rows[0].message and "A quiet week" in rows[1].message


async def test_a_period_whose_post_already_went_is_not_posted_again(
    engine: Engine, database: Database, clock: FakeClock
) -> None:
    group = Conversation("CGROUP", "group", address="CGROUP")
    await engine.handle(CommandInvoked(slack("UFAC"), group, "coproduce", "group name Carers"))
    friday = next_friday_four_pm_in_london(clock.now)
    clock.set(friday + timedelta(minutes=30))
    # Posted by hand just after the scheduled time (or by the release before groups)
    await engine.handle(CommandInvoked(slack("UFAC"), group, "digest", ""))
    async with database.reading() as session:
        carers = (await session.exec(select(Group))).one()
    assert not await send_scheduled(database, carers.id, friday + timedelta(hours=1))
    assert await send_scheduled(database, carers.id, friday + timedelta(days=7, minutes=1))


async def test_the_digest_job_is_rebuilt_at_every_start(engine: Engine, database) -> None:  # type: ignore[no-untyped-def]
    group = Conversation("CGROUP", "group", address="CGROUP")
    await engine.handle(CommandInvoked(slack("UFAC"), group, "coproduce", "group name Carers"))
    first = WorkerScheduler(database=database)
    await first.start()
    job = first.scheduler.get_job("digest:1")
    assert job is not None and job.args == (1,)
    when = job.next_run_time
    assert when.astimezone(ZoneInfo("Europe/London")).strftime("%a %H:%M") == "Fri 16:00"
    await first.shutdown()
    second = WorkerScheduler(database=database)
    await second.start()
    assert second.scheduler.get_job("digest:1").next_run_time == when
    await second.shutdown()


@pytest.mark.parametrize("clock", MOMENTS.values(), ids=MOMENTS.keys(), indirect=True)
async def test_a_worker_started_after_digest_time_sends_it_once_within_the_grace(
    engine: Engine, database: Database, clock: FakeClock
) -> None:
    group = Conversation("CGROUP", "group", address="CGROUP")
    await engine.handle(CommandInvoked(slack("UFAC"), group, "coproduce", "group name Carers"))
    friday = next_friday_four_pm_in_london(clock.now)
    for late in (timedelta(hours=3), timedelta(hours=4)):  # two restarts: one digest
        clock.set(friday + late)
        scheduler = WorkerScheduler(database=database, clock=clock)
        await scheduler.start()
        await scheduler.shutdown()
    clock.set(friday + timedelta(days=7, hours=13))  # past the grace: skipped, not sent late
    scheduler = WorkerScheduler(database=database, clock=clock)
    await scheduler.start()
    await scheduler.shutdown()
    async with database.reading() as session:
        rows = (
            await session.exec(select(OutboxDelivery).where(OutboxDelivery.kind == "digest"))
        ).all()
    assert len(rows) == 1


async def test_app_home_for_members_and_facilitators(
    running_bot: RunningBot, slack_api: FakeSlackWebApi
) -> None:
    await a_busy_week(running_bot.engine)

    def opened(user: str) -> dict:
        return {
            "token": "legacy",
            "team_id": "T0001",
            "api_app_id": "A0001",
            "type": "event_callback",
            "event_id": f"EvHOME{user}",
            "event_time": 1,
            "event": {
                "type": "app_home_opened",
                "user": user,
                "channel": f"D{user}",
                "tab": "home",
                "event_ts": "1.0",
            },
        }

    await post(running_bot, *event_request(opened("UZARA")))
    await post(running_bot, *event_request(opened("UFAC")))
    member, facilitator = slack_api.calls_to("views.publish")
    assert member.params["user_id"] == "UZARA" and facilitator.params["user_id"] == "UFAC"
    member_text = json.dumps(member.params["view"])
    assert "Your ideas" in member_text and "Waiting for a decision" not in member_text
    assert "Idea 0" in member_text  # her own anonymous idea, shown to her
    fac_view = facilitator.params["view"]
    fac_text = json.dumps(fac_view)
    assert "Waiting for a decision" in fac_text and ZARA not in fac_text and "UZARA" not in fac_text
    assert len(fac_view["blocks"]) <= 100
    body, headers = action_request(
        "home.update", "1", response_url=slack_api.response_url(), user="UFAC", channel=""
    )
    await post(running_bot, body, headers)
    [opened_modal] = slack_api.calls_to("views.open")
    view = opened_modal.params["view"]
    assert view["blocks"][1]["element"]["type"] == "static_select"
    payload_values = {"status": "considering", "note": "Looking at it"}
    body, headers = view_submission_request(view, {}, user="UFAC")
    parsed = json.loads(__import__("urllib.parse").parse.parse_qs(body)["payload"][0])
    parsed["view"]["state"]["values"] = {
        "status": {
            "value": {
                "type": "static_select",
                "selected_option": {"value": payload_values["status"]},
            }
        },
        "note": {"value": {"type": "plain_text_input", "value": payload_values["note"]}},
    }
    from urllib.parse import urlencode

    from tests.slack_requests import signed_headers

    body = urlencode({"payload": json.dumps(parsed)})
    await post(running_bot, body, signed_headers(body, "application/x-www-form-urlencoded"))
    async with running_bot.database.reading() as session:
        idea = (await session.exec(select(Idea).where(Idea.number == 1))).one()
    assert idea.status == "considering"


async def test_teams_ideas_card_is_the_home(
    running_bot: RunningBot, teams_connector: FakeConnector
) -> None:
    from tests.teams_activities import personal_message

    url = teams_connector.base_url
    await send(
        running_bot,
        personal_message(
            "anonymous A ramp at the side door", service_url=url, user_id="29:zara", user_name=ZARA
        ),
    )
    fac = personal_message(
        "ideas", service_url=url, user_id="29:user-facilitator", user_name="Fran"
    )
    await send(running_bot, fac)
    card_text = teams_connector.sent[-1].card_text
    assert "Waiting for a decision" in card_text and "A ramp at the side door" in card_text
    assert ZARA not in json.dumps(teams_connector.sent[-1].cards)


async def test_follow_buttons_in_the_digest_work(engine: Engine, database) -> None:  # type: ignore[no-untyped-def]
    group = Conversation("CGROUP", "group")
    await engine.handle(CommandInvoked(slack("UFAC"), group, "coproduce", "group name Carers"))
    await engine.handle(
        CommandInvoked(slack("UANN"), Conversation("D", "direct"), "idea", "Benches")
    )
    [reply] = await engine.handle(
        ActionInvoked(slack("UBOB"), Conversation("CGROUP", "group"), "idea.follow", "1")
    )
    assert "following idea #1" in reply.message.summary
