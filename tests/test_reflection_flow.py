"""The reflection window with a controlled clock: prompts, one reminder, closing, pausing."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from bot.engine import Engine
from bot.seam import message_codec
from bot.seam.events import ActionInvoked, Actor, CommandInvoked, Conversation, IncomingMessage
from bot.seam.messages import Choice
from bot.sessions.reflection import ReflectionSteps
from storage.database import Database
from storage.models import Idea, Meeting, OutboxDelivery, Person, as_utc
from tests.clock import MOMENTS, FakeClock

# The window's timing depends on the date, the zone and quiet hours: run it at awkward moments.
pytestmark = pytest.mark.parametrize("clock", MOMENTS.values(), ids=MOMENTS.keys(), indirect=True)

GROUP = Conversation("CGROUP", "group")
PEOPLE = ["UANN", "UBEN", "UCAL", "UDEE", "UEVE"]


def actor(user: str) -> Actor:
    return Actor("slack", "T1", user, user.title(), address=f'{{"user": "{user}"}}')


class Channel:
    """The platform's answer to "who is in this channel?" (a roster port, not our code)."""

    def __init__(self, users: list[str]) -> None:
        self.users = users

    async def members(self, conversation: Conversation) -> list[Actor]:
        return [actor(u) for u in self.users]


async def sent(database: Database, kind: str) -> list[str]:
    """External ids of everyone a message of this kind is queued for."""
    async with database.reading() as session:
        rows = (
            await session.exec(
                select(Person.external_id)
                .join(OutboxDelivery, OutboxDelivery.person_id == Person.id)
                .where(OutboxDelivery.kind == kind)
                .order_by(Person.external_id)
            )
        ).all()
    return list(rows)


async def ended_meeting(engine: Engine, users: list[str] = PEOPLE) -> Meeting:
    roster = Channel(users)
    facilitator = actor("UFAC")
    await engine.handle(
        CommandInvoked(facilitator, GROUP, "meeting", "start Autumn review"), roster=roster
    )
    await engine.handle(CommandInvoked(facilitator, GROUP, "meeting", "end"), roster=roster)
    async with engine.database.reading() as session:
        return (await session.exec(select(Meeting))).one()


def dm(user: str, text: str) -> IncomingMessage:
    return IncomingMessage(actor(user), Conversation(f"D{user}", "direct"), text)


def press(user: str, action: str, meeting: Meeting) -> ActionInvoked:
    return ActionInvoked(actor(user), Conversation(f"D{user}", "direct"), action, str(meeting.id))


async def test_prompts_go_out_at_the_computed_time_and_not_before(
    engine: Engine, database: Database
) -> None:
    meeting = await ended_meeting(engine)
    steps = ReflectionSteps(database)
    prompt_at = as_utc(meeting.prompt_at)  # type: ignore[arg-type]
    assert await steps.run_due(prompt_at - timedelta(seconds=1)) == 0
    assert await sent(database, "reflection-prompt") == []
    assert await steps.run_due(prompt_at) == 6
    assert await sent(database, "reflection-prompt") == sorted([*PEOPLE, "UFAC"])
    assert await steps.run_due(prompt_at + timedelta(hours=1)) == 0  # never twice


async def test_the_prompt_names_the_meeting_and_offers_three_choices(
    engine: Engine, database: Database
) -> None:
    meeting = await ended_meeting(engine)
    await ReflectionSteps(database).run_due(as_utc(meeting.prompt_at))  # type: ignore[arg-type]
    async with database.reading() as session:
        row = (await session.exec(select(OutboxDelivery))).first()
    message = message_codec.decode(row.message)  # type: ignore[union-attr]
    assert "Autumn review" in message.blocks[1].text  # type: ignore[union-attr]
    labels = [b.label for b in message.blocks[-1].buttons]  # type: ignore[union-attr]
    assert labels == ["Share an afterthought", "Nothing to add", "Take a break from these"]


async def test_the_afterthought_form_offers_the_anonymity_the_prompt_promises(
    engine: Engine, database: Database
) -> None:
    meeting = await ended_meeting(engine)
    await ReflectionSteps(database).run_due(as_utc(meeting.prompt_at))  # type: ignore[arg-type]
    [form] = await engine.handle(press("UANN", "reflection.share", meeting))
    [choice] = [b for b in form.message.blocks if isinstance(b, Choice)]
    assert ("anonymous", "Nobody: keep it anonymous") in choice.options
    submit = ActionInvoked(
        actor("UANN"),
        Conversation("DUANN", "direct"),
        "reflection.share.submit",
        str(meeting.id),
        {"text": "Fewer forms to fill in", "who": "anonymous"},
    )
    [saved] = await engine.handle(submit)
    assert "Shared anonymously" in str(saved.message)
    async with database.reading() as session:
        idea = (await session.exec(select(Idea))).one()
    assert (idea.text, idea.anonymous, idea.source) == (
        "Fewer forms to fill in",
        True,
        "afterthought",
    )


async def test_reply_in_the_window_is_an_afterthought_linked_to_the_meeting(
    engine: Engine, database: Database
) -> None:
    meeting = await ended_meeting(engine)
    await ReflectionSteps(database).run_due(as_utc(meeting.prompt_at))  # type: ignore[arg-type]
    [reply] = await engine.handle(dm("UANN", "A quieter room would help"))
    assert "afterthought #" in reply.message.summary
    assert "from \u201cAutumn review\u201d" in reply.message.summary
    async with database.reading() as session:
        idea = (await session.exec(select(Idea))).one()
    assert (idea.source, idea.meeting_id, idea.text) == (
        "afterthought",
        meeting.id,
        "A quieter room would help",
    )


async def test_reminder_goes_only_to_the_silent(engine: Engine, database: Database) -> None:
    meeting = await ended_meeting(engine)
    steps = ReflectionSteps(database)
    await steps.run_due(as_utc(meeting.prompt_at))  # type: ignore[arg-type]
    await engine.handle(dm("UANN", "An afterthought"))
    await engine.handle(press("UBEN", "reflection.nothing", meeting))
    await engine.handle(press("UCAL", "reflection.pause", meeting))
    reminder_at = as_utc(meeting.reminder_at)  # type: ignore[arg-type]
    assert await steps.run_due(reminder_at - timedelta(minutes=1)) == 0
    await steps.run_due(reminder_at)
    assert await sent(database, "reflection-reminder") == ["UDEE", "UEVE", "UFAC"]
    await steps.run_due(reminder_at + timedelta(days=1))
    assert await sent(database, "reflection-reminder") == ["UDEE", "UEVE", "UFAC"]


async def test_nothing_is_sent_or_saved_to_the_meeting_after_the_window_closes(
    engine: Engine, database: Database
) -> None:
    meeting = await ended_meeting(engine)
    steps = ReflectionSteps(database)
    closes_at = as_utc(meeting.closes_at)  # type: ignore[arg-type]
    await steps.run_due(as_utc(meeting.prompt_at))  # type: ignore[arg-type]
    await engine.handle(dm("UANN", "Named afterthought"))
    await engine.handle(press("UBEN", "reflection.nothing", meeting))
    await steps.run_due(closes_at)
    assert await sent(database, "reflection-summary") == ["UFAC"]
    async with database.reading() as session:
        summary = message_codec.decode(
            (
                await session.exec(
                    select(OutboxDelivery).where(OutboxDelivery.kind == "reflection-summary")
                )
            )
            .one()
            .message
        )
    text = " ".join(getattr(b, "text", "") for b in summary.blocks)
    assert "1 afterthought came in" in text and "1 person said they had nothing to add" in text
    assert "4 people didn't reply, which is fine too" in text  # counted, never named
    assert "UCAL" not in text and "Cal" not in text
    assert await steps.run_due(closes_at + timedelta(days=30)) == 0
    [reply] = await engine.handle(dm("UDEE", "Too late for the meeting"))
    async with database.reading() as session:
        late = (
            await session.exec(select(Idea).where(Idea.text == "Too late for the meeting"))
        ).one()
    assert late.meeting_id is None and late.source == "direct"  # still kept, as an idea
    [reply] = await engine.handle(press("UEVE", "reflection.share", meeting))
    assert "has ended" in reply.message.summary


async def test_the_summary_never_names_anonymous_authors(
    engine: Engine, database: Database
) -> None:
    meeting = await ended_meeting(engine)
    steps = ReflectionSteps(database)
    await steps.run_due(as_utc(meeting.prompt_at))  # type: ignore[arg-type]
    await engine.handle(dm("UANN", "Secret thought"))
    await engine.handle(
        ActionInvoked(actor("UANN"), Conversation("DUANN", "direct"), "idea.anonymous", "1")
    )
    await engine.handle(dm("UBEN", "Open thought"))
    await steps.run_due(as_utc(meeting.closes_at))  # type: ignore[arg-type]
    async with database.reading() as session:
        row = (
            await session.exec(
                select(OutboxDelivery).where(OutboxDelivery.kind == "reflection-summary")
            )
        ).one()
    assert "Anonymous: Secret thought" in row.message and "Uben: Open thought" in row.message
    assert "Uann" not in row.message and "UANN" not in row.message


async def test_pause_stops_prompts_for_that_person(engine: Engine, database: Database) -> None:
    await engine.handle(
        CommandInvoked(actor("UCAL"), Conversation("DUCAL", "direct"), "coproduce", "pause")
    )
    meeting = await ended_meeting(engine)
    await ReflectionSteps(database).run_due(as_utc(meeting.prompt_at))  # type: ignore[arg-type]
    assert "UCAL" not in await sent(database, "reflection-prompt")
    await engine.handle(
        CommandInvoked(actor("UCAL"), Conversation("DUCAL", "direct"), "coproduce", "resume")
    )
    second = await ended_meeting_again(engine)
    await ReflectionSteps(database).run_due(as_utc(second.prompt_at))  # type: ignore[arg-type]
    assert "UCAL" in await sent(database, "reflection-prompt")


async def test_a_pause_for_a_while_shows_in_ideas_and_ends_by_itself(
    engine: Engine, database: Database, clock: FakeClock
) -> None:
    cal = Conversation("DUCAL", "direct")
    [refused] = await engine.handle(
        CommandInvoked(actor("UCAL"), cal, "coproduce", "pause for a bit")
    )
    assert "didn't understand how long" in str(refused.message)
    [paused] = await engine.handle(
        CommandInvoked(actor("UCAL"), cal, "coproduce", "pause for 2 weeks")
    )
    back = (clock.now + timedelta(days=14)).astimezone(ZoneInfo("Europe/London"))
    assert f"until {back:%A}" in str(paused.message)
    [ideas] = await engine.handle(CommandInvoked(actor("UCAL"), cal, "ideas", ""))
    assert "taking a break from afterthought requests until" in str(ideas.message)
    meeting = await ended_meeting(engine)
    await ReflectionSteps(database).run_due(as_utc(meeting.prompt_at))  # type: ignore[arg-type]
    assert "UCAL" not in await sent(database, "reflection-prompt")
    clock.advance(timedelta(days=15))
    [ideas] = await engine.handle(CommandInvoked(actor("UCAL"), cal, "ideas", ""))
    assert "taking a break" not in str(ideas.message)
    second = await ended_meeting_again(engine)
    await ReflectionSteps(database).run_due(as_utc(second.prompt_at))  # type: ignore[arg-type]
    assert "UCAL" in await sent(database, "reflection-prompt")


async def ended_meeting_again(engine: Engine) -> Meeting:
    roster = Channel(PEOPLE)
    await engine.handle(
        CommandInvoked(actor("UFAC"), GROUP, "meeting", "start Second"), roster=roster
    )
    await engine.handle(CommandInvoked(actor("UFAC"), GROUP, "meeting", "end"), roster=roster)
    async with engine.database.reading() as session:
        return (await session.exec(select(Meeting).where(Meeting.title == "Second"))).one()


async def test_a_prompt_overdue_beyond_the_grace_period_is_skipped(
    engine: Engine, database: Database
) -> None:
    meeting = await ended_meeting(engine)
    late = as_utc(meeting.prompt_at) + timedelta(hours=13)  # type: ignore[arg-type]
    await ReflectionSteps(database).run_due(late)
    assert await sent(database, "reflection-prompt") == []


async def test_group_size_note_goes_to_the_facilitator_alone(engine: Engine) -> None:
    roster = Channel(PEOPLE[:2])
    replies = await engine.handle(
        CommandInvoked(actor("UFAC"), GROUP, "meeting", "start Small group"), roster=roster
    )
    assert all(r.private for r in replies)  # in a channel, every answer is the actor's alone
    notes = [r for r in replies if "Only you can see this note." in str(r.message)]
    assert len(notes) == 1 and "3 participants" in notes[0].message.blocks[0].text  # type: ignore[union-attr]
    roster = Channel(PEOPLE)  # 5 plus the facilitator: 6 is just right
    replies = await engine.handle(
        CommandInvoked(actor("UFAC"), GROUP, "meeting", "end"), roster=roster
    )
    assert [r for r in replies if "Only you can see this note." in str(r.message)] == []


async def test_members_cannot_run_meetings_and_double_ends_are_explained(
    engine: Engine, database: Database
) -> None:
    [refusal] = await engine.handle(CommandInvoked(actor("UANN"), GROUP, "meeting", "start X"))
    assert "Only facilitators" in refusal.message.summary
    [nothing] = await engine.handle(CommandInvoked(actor("UFAC"), GROUP, "meeting", "end"))
    assert "no meeting running" in nothing.message.summary
    await ended_meeting(engine)
    [again] = await engine.handle(CommandInvoked(actor("UFAC"), GROUP, "meeting", "end"))
    assert (
        "no meeting running" in again.message.summary and "Autumn review" in again.message.summary
    )
    async with database.reading() as session:
        assert len((await session.exec(select(Meeting))).all()) == 1


async def test_meetings_are_started_in_the_group_channel(engine: Engine) -> None:
    [reply] = await engine.handle(
        CommandInvoked(actor("UFAC"), Conversation("DUFAC", "direct"), "meeting", "start X")
    )
    assert "group's channel" in reply.message.summary


async def test_schedule_a_meeting_and_start_it_later(
    engine: Engine, database: Database, clock: FakeClock
) -> None:
    day = (clock.now + timedelta(days=44)).date()  # always ahead of the clock, never "passed"
    [reply] = await engine.handle(
        CommandInvoked(actor("UFAC"), GROUP, "meeting", f"schedule Winter catch-up {day} 14:00")
    )
    assert (
        f"Scheduled \u201cWinter catch-up\u201d for {day:%a} {day.day} {day:%b %Y} at 14:00"
        in reply.message.summary
    )
    async with database.reading() as session:
        [told] = (
            await session.exec(
                select(OutboxDelivery).where(OutboxDelivery.kind == "meeting-planned")
            )
        ).all()
    assert (told.channel_id, told.person_id) == ("CGROUP", None)  # the group's channel, for all
    announcement = str(message_codec.decode(told.message))
    assert "A meeting is planned here: \u201cWinter catch-up\u201d" in announcement
    assert f"{day.day} {day:%b %Y} at 14:00" in announcement
    await engine.handle(
        CommandInvoked(actor("UFAC"), GROUP, "meeting", "start"), roster=Channel(PEOPLE)
    )
    async with database.reading() as session:
        [meeting] = (await session.exec(select(Meeting))).all()
    assert (meeting.title, meeting.status) == ("Winter catch-up", "running")


async def test_a_bare_start_begins_the_meeting_planned_nearest_now(
    engine: Engine, database: Database, clock: FakeClock
) -> None:
    soon = (clock.now + timedelta(days=2)).date()
    later = (clock.now + timedelta(days=30)).date()
    # The nearer one planned first, so the newest and the nearest differ.
    for title, day in (("Check-in", soon), ("Spring planning", later)):
        await engine.handle(
            CommandInvoked(actor("UFAC"), GROUP, "meeting", f"schedule {title} {day} 10:00")
        )
    clock.advance(timedelta(days=2))
    await engine.handle(
        CommandInvoked(actor("UFAC"), GROUP, "meeting", "start"), roster=Channel(PEOPLE)
    )
    async with database.reading() as session:
        running = (await session.exec(select(Meeting).where(Meeting.status == "running"))).all()
    assert [m.title for m in running] == ["Check-in"]


async def test_settings_change_the_reflection_rhythm(engine: Engine, database: Database) -> None:
    for text in (
        "reflection-delay 2h",
        "quiet-hours off",
        "reminder-after 1d",
        "timezone Europe/Paris",
    ):
        [reply] = await engine.handle(
            CommandInvoked(actor("UFAC"), GROUP, "coproduce", f"settings {text}")
        )
        assert reply.message.summary.startswith("Thank you")
    [bad] = await engine.handle(
        CommandInvoked(actor("UFAC"), GROUP, "coproduce", "settings quiet-hours 9-5")
    )
    assert "Nothing has been changed" in bad.message.summary
    [refused] = await engine.handle(
        CommandInvoked(actor("UANN"), GROUP, "coproduce", "settings quiet-hours off")
    )
    assert "Only facilitators" in refused.message.summary
    meeting = await ended_meeting(engine)
    assert as_utc(meeting.prompt_at) - as_utc(meeting.ended_at) == timedelta(hours=2)  # type: ignore[arg-type]


async def test_anonymity_defaults_personal_then_workspace(
    engine: Engine, database: Database
) -> None:
    here = Conversation("DUANN", "direct")
    await engine.handle(
        CommandInvoked(actor("UFAC"), GROUP, "coproduce", "settings anonymous-default on")
    )
    await engine.handle(dm("UANN", "Workspace default applies"))
    await engine.handle(CommandInvoked(actor("UANN"), here, "coproduce", "anonymous off"))
    await engine.handle(dm("UANN", "My own choice applies"))
    await engine.handle(CommandInvoked(actor("UANN"), here, "idea", "anonymous Asked for"))
    async with database.reading() as session:
        ideas = (await session.exec(select(Idea).order_by(Idea.id))).all()
    assert [(i.text, i.anonymous) for i in ideas] == [
        ("Workspace default applies", True),
        ("My own choice applies", False),
        ("Asked for", True),
    ]
