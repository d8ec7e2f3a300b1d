"""`/meeting start | end | schedule`: sessions of the group, and the reflection they lead to."""

from __future__ import annotations

from datetime import datetime

from bot.groups.groups import group_here, sync_members
from bot.i18n import N_, _, n_
from bot.loop.channel_posts import in_channel_languages
from bot.seam import message_codec
from bot.seam.events import Actor
from bot.seam.messages import Message, Paragraph, Reply, simple
from bot.sessions import attendance, dates, group_size
from bot.sessions.reflection_timing import reflection_times
from bot.sessions.when import split_title_and_when
from bot.trust.people import person_for
from bot.trust.roles import facilitators_only
from bot.turn import NO_GROUP, Turn, name_of
from storage import agenda as agenda_store
from storage import groups as group_store
from storage import meetings as meeting_store
from storage import outbox
from storage.models import Meeting, as_utc, id_of

MAX_TITLE = 200
USAGE = N_(
    "Use /meeting start and a title, or /meeting end. To plan one, use /meeting schedule, a "
    "title and a time. For example: /meeting schedule Monthly catch-up next Friday 2pm."
)


def moment(value: datetime, turn: Turn) -> str:
    return dates.moment(value, turn.timezone)


async def _roster_ids(turn: Turn, meeting: Meeting, extra: list[Actor] | None = None) -> int:
    """Add the channel's people (and the facilitator) as participants, and as members of the
    group; return how many took part."""
    ids: list[int | None] = [turn.person.id]
    if turn.group is not None:
        ids += await sync_members(turn, turn.group)
    for actor in extra or []:
        ids.append((await person_for(turn, actor)).id)
    await meeting_store.add_participants(
        session=turn.session,
        meeting_id=id_of(meeting),
        person_ids=list(dict.fromkeys(i for i in ids if i is not None)),
    )
    if turn.group is not None:
        # Members the channel cannot show (guests) are listed for the facilitator to tick.
        elsewhere = await group_store.reached_elsewhere(
            session=turn.session, group_id=id_of(turn.group)
        )
        await meeting_store.add_participants(
            session=turn.session,
            meeting_id=id_of(meeting),
            person_ids=[id_of(person) for person in elsewhere],
            present=False,
        )
    people = await meeting_store.participants(session=turn.session, meeting_id=id_of(meeting))
    return sum(participant.present for participant, _person in people)


async def meeting_command(turn: Turn, text: str) -> list[Reply]:
    refusal = facilitators_only(turn, _("start, end or schedule meetings"))
    if refusal:
        return [refusal]
    if turn.event.conversation.kind != "group":
        return [Reply(simple(_("Meetings belong to the group's channel: please run this there.")))]
    await group_here(turn)
    sub, _space, rest = text.strip().partition(" ")
    sub = sub.lower()
    if sub == "start":
        return await start(turn, rest.strip())
    if sub == "end":
        return await end(turn)
    if sub == "schedule":
        return [await schedule(turn, rest.strip())]
    return [Reply(simple(USAGE))]


def _group_id(turn: Turn) -> int | None:
    return turn.group.id if turn.group is not None else None


def _nearest(planned: list[Meeting], now: datetime, title: str) -> Meeting | None:
    """The planned meeting a bare `/meeting start` means: the one whose time is nearest now
    (today's, not next month's, nor one from last week that never happened). With a title,
    only a planned meeting of that title."""
    if title:
        planned = [m for m in planned if m.title.casefold() == title.casefold()]
    timed = [m for m in planned if m.scheduled_for is not None]
    if not timed:
        return planned[0] if planned else None
    return min(timed, key=lambda m: abs(as_utc(m.scheduled_for or now) - now))


async def start(turn: Turn, title: str) -> list[Reply]:
    channel = turn.event.conversation.id
    workspace_id: int = turn.workspace_id
    running = await meeting_store.current_meeting(
        session=turn.session, workspace_id=workspace_id, channel_id=channel, status="running"
    )
    if running is not None:
        return [
            Reply(
                simple(
                    _(
                        "\u201c{title}\u201d is already running here. Use /meeting end when it "
                        "finishes.",
                        title=running.title,
                    )
                )
            )
        ]
    planned = _nearest(
        await meeting_store.planned_meetings(
            session=turn.session, workspace_id=workspace_id, channel_id=channel
        ),
        turn.now,
        title,
    )
    if planned is not None:
        meeting = planned
    elif title:
        if len(title) > MAX_TITLE:
            too_long = _("Please keep the title under {limit} characters.", limit=MAX_TITLE)
            return [Reply(simple(too_long))]
        meeting = await meeting_store.add_meeting(
            session=turn.session,
            meeting=Meeting(
                workspace_id=workspace_id, group_id=_group_id(turn), channel_id=channel, title=title
            ),
        )
    else:
        return [Reply(simple(_("Please give the meeting a title.") + " " + _(USAGE)))]
    meeting.status = "running"
    meeting.started_at = turn.now
    meeting.facilitator_id = turn.person_id
    count = await _roster_ids(turn, meeting)
    replies = [
        Reply(
            simple(
                n_(
                    "\u201c{title}\u201d has started with {count} participant. Thank you all "
                    "for coming. Use /meeting end when you finish.",
                    "\u201c{title}\u201d has started with {count} participants. Thank you all "
                    "for coming. Use /meeting end when you finish.",
                    count,
                    title=meeting.title,
                )
            )
        )
    ]
    note = group_size.guidance(count)
    return replies + ([note] if note else [])


async def end(turn: Turn) -> list[Reply]:
    workspace_id: int = turn.workspace_id
    channel = turn.event.conversation.id
    meeting = await meeting_store.current_meeting(
        session=turn.session, workspace_id=workspace_id, channel_id=channel, status="running"
    )
    if meeting is None:
        last = await meeting_store.current_meeting(
            session=turn.session, workspace_id=workspace_id, channel_id=channel, status="ended"
        )
        already = (
            " "
            + _(
                "The last one, \u201c{title}\u201d, ended {when}.",
                title=last.title,
                when=moment(last.ended_at, turn),
            )
            if last and last.ended_at
            else ""
        )
        return [Reply(simple(_("There's no meeting running in this channel.") + already))]
    return await finish(turn, meeting)


async def finish(turn: Turn, meeting: Meeting, extra: list[Actor] | None = None) -> list[Reply]:
    """End a meeting, fix its reflection times, and tell the facilitator what happens next."""
    meeting.status = "ended"
    meeting.ended_at = turn.now
    group = turn.group or NO_GROUP
    if meeting.group_id is None and turn.group is not None:
        meeting.group_id = turn.group.id
    # The session the kept agenda items were chosen for has happened.
    if meeting.group_id is not None:
        await agenda_store.mark_discussed(session=turn.session, group_id=meeting.group_id)
    times = reflection_times(
        meeting.ended_at,
        timezone=turn.workspace.timezone,
        delay=group.reflection_delay,
        quiet_hours=group.quiet_hours,
        reminder_after=group.reminder_after,
        window=group.reflection_window,
    )
    meeting.prompt_at, meeting.reminder_at, meeting.closes_at = (
        times.prompt_at,
        times.reminder_at,
        times.closes_at,
    )
    count = await _roster_ids(turn, meeting, extra)
    turn.scheduled += 1
    people = await meeting_store.participants(session=turn.session, meeting_id=id_of(meeting))
    replies = [
        Reply(
            Message(
                summary=_("\u201c{title}\u201d has ended.", title=meeting.title),
                blocks=(
                    Paragraph(
                        n_(
                            "Thank you, everyone. \u201c{title}\u201d has ended. Good ideas "
                            "often come later, so on {when} I'll ask the {count} participant "
                            "privately whether they have any afterthoughts.",
                            "Thank you, everyone. \u201c{title}\u201d has ended. Good ideas "
                            "often come later, so on {when} I'll ask each of the {count} "
                            "participants privately whether they have any afterthoughts.",
                            count,
                            title=meeting.title,
                            when=moment(times.prompt_at, turn),
                        )
                    ),
                    *attendance.checklist_blocks(meeting, [name_of(p) for _m, p in people]),
                ),
            )
        )
    ]
    # Said once: at the start, unless the meeting only became known as it ended (Teams).
    started_here = meeting.started_at is None or as_utc(meeting.started_at) == turn.now
    note = group_size.guidance(count) if started_here else None
    return replies + ([note] if note else [])


async def schedule(turn: Turn, text: str) -> Reply:
    parsed = split_title_and_when(text, now=turn.now, zone=turn.timezone)
    if parsed is None or not parsed[0]:
        return Reply(simple(_("I couldn't read the title and time.") + " " + _(USAGE)))
    title, when = parsed
    if when <= turn.now:
        return Reply(simple(_("That time has already passed. Please pick a time ahead.")))
    meeting = await meeting_store.add_meeting(
        session=turn.session,
        meeting=Meeting(
            workspace_id=turn.workspace_id,
            group_id=_group_id(turn),
            channel_id=turn.event.conversation.id,
            title=title[:MAX_TITLE],
            status="scheduled",
            scheduled_for=when,
            facilitator_id=turn.person_id,
        ),
    )
    # The group hears it is planned: a meeting nobody knew about is one only some can attend.
    conversation = turn.event.conversation

    async def announcement() -> Message:
        return simple(
            _(
                "A meeting is planned here: \u201c{title}\u201d, {when}. Everyone in this group "
                "is welcome. Thank you for making time for it.",
                title=meeting.title,
                when=moment(when, turn),
            )
        )

    # A channel post is for everyone in it: in the channel's languages, not the poster's own.
    post = await in_channel_languages((turn.group or NO_GROUP).channel_language, announcement)
    turn.enqueued += await outbox.enqueue(
        session=turn.session,
        key=f"meeting-planned:{id_of(meeting)}",
        workspace_id=turn.workspace_id,
        kind="meeting-planned",
        message=message_codec.encode(post),
        channel_id=conversation.id,
        channel_address=conversation.address,
        now=turn.now,
    )
    return Reply(
        simple(
            _(
                "Scheduled \u201c{title}\u201d for {when} ({zone}), and told the channel. Use "
                "/meeting start when you begin.",
                title=meeting.title,
                when=moment(when, turn),
                zone=turn.workspace.timezone,
            )
        )
    )
