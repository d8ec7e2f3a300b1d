"""A person's record of involvement: their ideas with every status step, and credits received."""

from __future__ import annotations

from bot.contributions.ideas import preview, status_label
from bot.contributions.time_spent import amount
from bot.i18n import N_, _, n_
from bot.seam.messages import Block, Context, Heading, Message, Paragraph, Reply
from bot.sessions.dates import short_date
from bot.turn import Turn, name_of
from storage import contributions, involvement, people
from storage import ideas as idea_store
from storage.models import TimeSpent, id_of

# Enough to read in one chat message and well inside Slack's 50 blocks.
LIMIT = 15

_NO_RECORD = N_(
    "There's nothing in your record yet. Every idea you share and every thank-you you receive "
    "will appear here."
)


async def record(turn: Turn) -> Reply:
    """The record as evidence of involvement, newest first; anonymous ideas are marked so."""
    zone = turn.timezone
    own = await idea_store.ideas_by_author(session=turn.session, author_id=turn.person_id)
    steps = await idea_store.history(session=turn.session, idea_ids=[id_of(i) for i in own])
    credits = await contributions.credits_for(session=turn.session, person_id=turn.person_id)
    attended = await involvement.meetings_attended(session=turn.session, person_id=turn.person_id)
    given = await involvement.time_of(session=turn.session, person_id=turn.person_id)
    if not own and not credits and not attended.meetings and not given:
        return Reply(Message(summary=_(_NO_RECORD), blocks=(Paragraph(_(_NO_RECORD)),)))
    blocks: list[Block] = [
        Heading(_("Your record of involvement")),
        Paragraph(
            n_("You have shared {count} idea", "You have shared {count} ideas", len(own))
            + " "
            + n_(
                "and received {count} thank-you.",
                "and received {count} thank-yous.",
                len(credits),
            )
        ),
    ]
    blocks += _time_given(turn, attended, given)
    if own:
        blocks.append(Heading(_("Ideas you shared")))
    for idea in own[:LIMIT]:
        marker = _(" (shared anonymously)") if idea.anonymous else ""
        lines = [f"#{idea.number} \u00b7 {status_label(idea.status)}{marker}: {preview(idea.text)}"]
        for step in steps.get(id_of(idea), []):
            note = f": {step.note}" if step.note else ""
            lines.append(
                f"\u2022 {short_date(step.changed_at, zone)} {status_label(step.status)}{note}"
            )
        blocks.append(Paragraph("\n".join(lines)))
    if len(own) > LIMIT:
        blocks.append(Context(_("And {count} earlier ideas.", count=len(own) - LIMIT)))
    if credits:
        blocks.append(Heading(_("Thanks you received")))
        for credit in credits[:LIMIT]:
            giver = await people.get_person(session=turn.session, person_id=credit.given_by_id)
            linked_idea = (
                await idea_store.get_by_id(session=turn.session, idea_id=credit.idea_id)
                if credit.idea_id
                else None
            )
            linked = _(" (idea #{number})", number=linked_idea.number) if linked_idea else ""
            someone = _("a facilitator")
            blocks.append(
                Paragraph(
                    _(
                        "{date}: {reason}{linked}, from {giver}",
                        date=short_date(credit.created_at, zone),
                        reason=credit.reason,
                        linked=linked,
                        giver=name_of(giver, someone) if giver else someone,
                    )
                )
            )
        if len(credits) > LIMIT:
            blocks.append(Context(_("And {count} earlier thanks.", count=len(credits) - LIMIT)))
    blocks.append(Context(_("You're welcome to use this as evidence of your involvement.")))
    return Reply(Message(summary=_("Your record of involvement."), blocks=tuple(blocks)))


def _time_given(turn: Turn, attended: involvement.Attended, given: list[TimeSpent]) -> list[Block]:
    """Meetings and the time around them: what a trust pays people for."""
    if not attended.meetings and not given:
        return []
    other = sum(entry.minutes for entry in given)
    lines = [
        n_(
            "Meetings: {count}, {time} in all.",
            "Meetings: {count}, {time} in all.",
            attended.meetings,
            time=amount(attended.minutes),
        ),
        _("Other time you added: {time}.", time=amount(other)),
        _("Altogether: {time}.", time=amount(attended.minutes + other)),
    ]
    for entry in given[:5]:
        lines.append(
            f"\u2022 {short_date(entry.added_at, turn.timezone)} {amount(entry.minutes)}: "
            f"{entry.what}"
        )
    return [Heading(_("Time you have given")), Paragraph("\n".join(lines))]
