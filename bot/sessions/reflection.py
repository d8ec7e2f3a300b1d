"""Brainwave afterthoughts: the private prompt after a meeting, one reminder, the window closing.

Each step is idempotent (a `*_sent_at` mark on the meeting, and outbox keys per person), so a
step that runs twice, because a worker restarted, sends nothing twice.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.contributions import ideas
from bot.contributions.numbers import parse_number
from bot.i18n import _, n_, speaking
from bot.loop.notify import queue_private
from bot.seam.messages import (
    Block,
    Button,
    Buttons,
    Choice,
    Context,
    Heading,
    Message,
    Paragraph,
    Reply,
    TextInput,
    simple,
)
from bot.trust import pausing
from bot.trust.small_groups import SMALL_MEETING_NOTE, is_small
from bot.turn import Turn
from storage import groups as group_store
from storage import meetings as meeting_store
from storage import people as people_store
from storage.database import Database
from storage.models import Meeting, MeetingParticipant, as_utc, id_of, is_paused

log = logging.getLogger("coproduce.reflection")

SHARE = "reflection.share"
SHARE_SUBMIT = "reflection.share.submit"
NOTHING = "reflection.nothing"
PAUSE = "reflection.pause"
ACTIONS = (SHARE, SHARE_SUBMIT, NOTHING, PAUSE)
# The afterthought form's anonymity choice (unset: the person's usual choice applies).
NAMED, ANONYMOUS = "named", "anonymous"
STEPS = ("prompt", "remind", "close")
# A worker that was down when a prompt or reminder was due still sends it this late; after
# that the moment has passed and it is skipped (the window still closes with its summary).
GRACE = timedelta(hours=12)


def prompt_buttons(meeting_id: int) -> Buttons:
    """Share an afterthought, nothing to add, or a break: on the prompt and on the home view."""
    value = str(meeting_id)
    return Buttons(
        (
            Button(_("Share an afterthought"), SHARE, value, "primary"),
            Button(_("Nothing to add"), NOTHING, value),
            Button(_("Take a break from these"), PAUSE, value),
        )
    )


def prompt_message(meeting: Meeting, *, small: bool = False) -> Message:
    anonymity = _(SMALL_MEETING_NOTE) if small else _("You can stay anonymous too.")
    return Message(
        summary=_("Any afterthoughts from \u201c{title}\u201d?", title=meeting.title),
        blocks=(
            Heading(_("Any afterthoughts?")),
            Paragraph(
                _(
                    "Thank you for being part of \u201c{title}\u201d. Good ideas often come "
                    "later, in a quiet moment. If anything has occurred to you since, just reply "
                    "here, or press the button.",
                    title=meeting.title,
                )
            ),
            Paragraph(_("Nothing to add is a perfectly good answer.") + " " + anonymity),
            prompt_buttons(id_of(meeting)),
        ),
    )


def reminder_message(meeting: Meeting) -> Message:
    return Message(
        summary=_("A gentle reminder about \u201c{title}\u201d", title=meeting.title),
        blocks=(
            Paragraph(
                _(
                    "A gentle reminder: if anything has come to mind since \u201c{title}\u201d, "
                    "I'd love to hear it. This is the only reminder I'll send.",
                    title=meeting.title,
                )
            ),
            Paragraph(_("Nothing to add is a perfectly good answer.")),
            prompt_buttons(id_of(meeting)),
        ),
    )


@dataclass
class ReflectionSteps:
    """The three timed steps of a reflection window, for the scheduler or a test clock."""

    database: Database

    async def run(self, meeting_id: int, step: str, now: datetime) -> int:
        """Run one step; returns how many private messages it queued."""
        async with self.database.transaction() as session:
            meeting = await meeting_store.get_meeting(
                session=session, meeting_id=meeting_id, lock=True
            )
            if meeting is None or meeting.ended_at is None or meeting.closed_at is not None:
                return 0
            if step == "prompt":
                return await self._prompt(session, meeting, now)
            if step == "remind":
                return await self._remind(session, meeting, now)
            return await self._close(session, meeting, now)

    def due(self, meeting: Meeting) -> list[tuple[str, datetime]]:
        """The steps this meeting still has ahead, with when each is due."""
        pending: list[tuple[str, datetime]] = []
        if meeting.prompts_sent_at is None and meeting.prompt_at:
            pending.append(("prompt", as_utc(meeting.prompt_at)))
        if meeting.reminder_sent_at is None and meeting.reminder_at:
            pending.append(("remind", as_utc(meeting.reminder_at)))
        if meeting.closed_at is None and meeting.closes_at:
            pending.append(("close", as_utc(meeting.closes_at)))
        return pending

    async def run_due(self, now: datetime) -> int:
        """Every step due at `now`, in order: what the scheduler does, with any clock."""
        async with self.database.reading() as session:
            meetings = await meeting_store.reflections_in_progress(session=session)
        queued = 0
        for meeting in meetings:
            for step, at in self.due(meeting):
                if at <= now:
                    queued += await self.run(id_of(meeting), step, now)
        return queued

    async def _prompt(self, session: AsyncSession, meeting: Meeting, now: datetime) -> int:
        if meeting.prompts_sent_at is not None:
            return 0
        meeting.prompts_sent_at = now
        if meeting.prompt_at is None or now - as_utc(meeting.prompt_at) > GRACE:
            log.warning("reflection prompts missed", extra={"meeting": meeting.id})
            return 0
        queued = 0
        people = await meeting_store.participants(session=session, meeting_id=id_of(meeting))
        for participant, person in people:
            if is_paused(person, now) or not participant.present:
                continue
            participant.prompted_at = now
            with speaking(person.language):
                message = prompt_message(meeting, small=is_small(len(people)))
            queued += await queue_private(
                session,
                person=person,
                key=f"prompt:{meeting.id}:{person.id}",
                kind="reflection-prompt",
                message=message,
                now=now,
            )
        log.info("reflection prompts queued", extra={"meeting": meeting.id, "count": queued})
        return queued

    async def _remind(self, session: AsyncSession, meeting: Meeting, now: datetime) -> int:
        if meeting.reminder_sent_at is not None or meeting.prompts_sent_at is None:
            return 0
        meeting.reminder_sent_at = now
        if meeting.reminder_at is None or now - as_utc(meeting.reminder_at) > GRACE:
            return 0
        queued = 0
        for participant, person in await meeting_store.participants(
            session=session, meeting_id=id_of(meeting)
        ):
            if participant.prompted_at is None or participant.response or is_paused(person, now):
                continue
            with speaking(person.language):
                message = reminder_message(meeting)
            queued += await queue_private(
                session,
                person=person,
                key=f"reminder:{meeting.id}:{person.id}",
                kind="reflection-reminder",
                message=message,
                now=now,
            )
        return queued

    async def _close(self, session: AsyncSession, meeting: Meeting, now: datetime) -> int:
        meeting.closed_at = now
        if meeting.prompts_sent_at is None:
            meeting.prompts_sent_at = now  # never prompt for a window that has closed
        if meeting.reminder_sent_at is None:
            meeting.reminder_sent_at = now
        facilitator = (
            await people_store.get_person(session=session, person_id=meeting.facilitator_id)
            if meeting.facilitator_id
            else None
        )
        if facilitator is None:
            return 0
        with speaking(facilitator.language):
            summary = await summary_message(session, meeting)
        return int(
            await queue_private(
                session,
                person=facilitator,
                key=f"summary:{meeting.id}",
                kind="reflection-summary",
                message=summary,
                now=now,
            )
        )


async def summary_message(session: AsyncSession, meeting: Meeting) -> Message:
    """How many afterthoughts came in; names only where their authors chose to be named."""
    assert meeting.id is not None
    rows = await meeting_store.afterthoughts(session=session, meeting_id=meeting.id)
    nothing = await meeting_store.count_answers(
        session=session, meeting_id=meeting.id, response="nothing"
    )
    count = len(rows)
    people = await meeting_store.participants(session=session, meeting_id=id_of(meeting))
    if is_small(len(people)):
        # Below five, even "1 afterthought" or an anonymous line could point at someone.
        return Message(
            summary=_(
                "The time for afterthoughts on \u201c{title}\u201d has ended.", title=meeting.title
            ),
            blocks=(
                Heading(_("Afterthoughts from \u201c{title}\u201d", title=meeting.title)),
                Paragraph(
                    _(
                        "The time for afterthoughts has ended. The meeting had fewer than 5 "
                        "people, so to keep everyone's afterthoughts private I don't count or "
                        "list them here. Any that came in are waiting for a decision in /ideas, "
                        "like every idea."
                    )
                ),
                Context(_("Thank you for making room for reflection.")),
            ),
        )
    silent = sum(1 for p, _person in people if p.prompted_at is not None and p.response is None)
    blocks: list[Block] = [
        Heading(_("Afterthoughts from \u201c{title}\u201d", title=meeting.title)),
        Paragraph(
            " ".join(
                part
                for part in (
                    _("The time for afterthoughts has ended."),
                    n_("{count} afterthought came in,", "{count} afterthoughts came in,", count),
                    n_(
                        "and {count} person said they had nothing to add.",
                        "and {count} people said they had nothing to add.",
                        nothing,
                    ),
                    n_(
                        "{count} person didn't reply, which is fine too: some say all they "
                        "want to in the meeting.",
                        "{count} people didn't reply, which is fine too: some say all they "
                        "want to in the meeting.",
                        silent,
                    )
                    if silent
                    else "",
                )
                if part
            )
        ),
    ]
    for idea, author in rows:
        who = _("Anonymous") if idea.anonymous else (author.display_name or _("A participant"))
        blocks.append(Paragraph(f"#{idea.number} \u00b7 {who}: {ideas.preview(idea.text)}"))
    blocks.append(Context(_("Thank you for making room for reflection.")))
    return Message(
        summary=n_(
            "{count} afterthought from \u201c{title}\u201d.",
            "{count} afterthoughts from \u201c{title}\u201d.",
            count,
            title=meeting.title,
        ),
        blocks=tuple(blocks),
    )


async def capture_afterthought(turn: Turn, text: str, now: datetime) -> Reply | None:
    """A DM while a reflection window is open is an afterthought; None when none is open."""
    if turn.reflecting is False:
        return None
    found = await meeting_store.open_reflection_for(
        session=turn.session,
        person_id=turn.person_id,
        now=now,
    )
    if found is None:
        return None
    meeting, participant = found
    return await _save(turn, meeting, participant, text, now)


async def _save(
    turn: Turn,
    meeting: Meeting,
    participant: MeetingParticipant,
    text: str,
    now: datetime,
    anonymous: bool | None = None,
) -> Reply:
    group = (
        await group_store.get_group(session=turn.session, group_id=meeting.group_id)
        if meeting.group_id is not None
        else None
    )
    saved = await ideas.save(
        turn, text, source="afterthought", meeting_id=meeting.id, anonymous=anonymous, group=group
    )
    if isinstance(saved, Reply):
        return saved
    participant.response = "afterthought"
    participant.responded_at = now
    headline = _(
        "Thank you! I've saved that as afterthought #{number}, from \u201c{title}\u201d.",
        number=saved.number,
        title=meeting.title,
    )
    return Reply(await ideas.own_card(turn, saved, headline=headline))


async def act(
    turn: Turn, action_id: str, value: str, inputs: dict[str, str], now: datetime
) -> Reply:
    """The prompt's buttons: share (a form), nothing to add, pause."""
    meeting_id = parse_number(value)
    meeting = (
        await meeting_store.get_meeting(session=turn.session, meeting_id=meeting_id)
        if meeting_id is not None
        else None
    )
    participant = None
    if meeting is not None:
        participant = await meeting_store.participant(
            session=turn.session,
            meeting_id=id_of(meeting),
            person_id=turn.person_id,
        )
    if meeting is None or participant is None:
        return Reply(simple(_("Sorry, I couldn't find that meeting.")))
    if action_id == PAUSE:
        return replace(pausing.pause(turn, ""), replace_original=True)
    if meeting.closed_at is not None or (meeting.closes_at and as_utc(meeting.closes_at) <= now):
        text = _(
            "The time for afterthoughts on \u201c{title}\u201d has ended, but you can still "
            "send me ideas any time.",
            title=meeting.title,
        )
        return Reply(Message(text, (Paragraph(text),)))
    if action_id == NOTHING:
        participant.response = participant.response or "nothing"
        participant.responded_at = now
        text = _("Thank you for letting me know. Nothing to add is always fine.")
        return Reply(Message(text, (Paragraph(text),)), replace_original=True)
    if action_id == SHARE:
        return Reply(
            Message(
                summary=_("Share an afterthought"),
                blocks=(
                    Heading(_("Your afterthought")),
                    TextInput(
                        "text",
                        _(
                            "What has occurred to you since \u201c{title}\u201d?",
                            title=meeting.title,
                        ),
                        max_length=ideas.MAX_IDEA_LENGTH,
                    ),
                    Choice(
                        "who",
                        _("Who may know it's yours?"),
                        (
                            (NAMED, _("The group's facilitators")),
                            (ANONYMOUS, _("Nobody: keep it anonymous")),
                        ),
                    ),
                    Buttons((Button(_("Send"), SHARE_SUBMIT, value, "primary"),)),
                ),
            )
        )
    who = inputs.get("who")
    anonymous = {ANONYMOUS: True, NAMED: False}.get(who or "")
    return await _save(turn, meeting, participant, inputs.get("text", ""), now, anonymous)
