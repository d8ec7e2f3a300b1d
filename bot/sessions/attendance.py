"""Who was at a meeting: at `/meeting end` the facilitator confirms the channel's people with
one tap, or unticks anyone who was not there. It feeds the record of involvement (and so
paying people for their time) and who is asked for afterthoughts."""

from __future__ import annotations

from bot.contributions.numbers import parse_number
from bot.i18n import _, n_
from bot.seam.messages import (
    Block,
    Button,
    Buttons,
    Choice,
    Heading,
    Message,
    Paragraph,
    Reply,
    simple,
)
from bot.trust.roles import group_facilitators_only
from bot.turn import Turn, name_of
from storage import meetings as meeting_store
from storage.models import Meeting, id_of

ALL_THERE = "attendance.all"
CHANGE = "attendance.change"
SAVE = "attendance.save"
ACTIONS = (ALL_THERE, CHANGE, SAVE)
FIELD = "present"


def checklist_blocks(meeting: Meeting, names: list[str]) -> tuple[Block, ...]:
    """The question at the end of a meeting, for the facilitator alone."""
    return (
        Paragraph(
            _(
                "Who was there? I've counted everyone in the channel: {names}.",
                names=", ".join(names),
            )
        ),
        Buttons(
            (
                Button(_("Yes, everyone was there"), ALL_THERE, str(meeting.id), "primary"),
                Button(_("Someone wasn't"), CHANGE, str(meeting.id)),
            )
        ),
    )


async def act(turn: Turn, action_id: str, value: str, inputs: dict[str, str]) -> Reply:
    number = parse_number(value)
    meeting = (
        await meeting_store.get_meeting(session=turn.session, meeting_id=number)
        if number is not None
        else None
    )
    if meeting is None or meeting.workspace_id != turn.workspace_id:
        return Reply(simple(_("Sorry, I couldn't find that meeting.")))
    refusal = await group_facilitators_only(turn, meeting.group_id, _("say who was at a meeting"))
    if refusal:
        return refusal
    people = await meeting_store.participants(session=turn.session, meeting_id=id_of(meeting))
    if action_id == CHANGE:
        options = tuple((str(person.id), name_of(person)) for _p, person in people)
        chosen = tuple(str(person.id) for participant, person in people if participant.present)
        return Reply(
            Message(
                summary=_("Who was at \u201c{title}\u201d?", title=meeting.title),
                blocks=(
                    Heading(_("Who was at \u201c{title}\u201d?", title=meeting.title)),
                    Choice(FIELD, _("Tick everyone who was there"), options, True, chosen),
                    Buttons((Button(_("Save"), SAVE, str(meeting.id), "primary"),)),
                ),
            )
        )
    if action_id == SAVE:
        there = set(inputs.get(FIELD, "").split(","))
        for participant, person in people:
            participant.present = str(person.id) in there
    meeting.attendance_confirmed_at = turn.now
    count = sum(participant.present for participant, _person in people)
    return Reply(
        simple(
            n_(
                "Thank you: {count} person is marked as there. It goes on their record, and "
                "only people who were there are asked for afterthoughts.",
                "Thank you: {count} people are marked as there. It goes on their record, and "
                "only people who were there are asked for afterthoughts.",
                count,
            )
        ),
        replace_original=True,
    )
