"""A person's record of involvement: their ideas with every status step, and credits received."""

from __future__ import annotations

from bot.contributions.ideas import STATUS_LABELS, preview
from bot.seam.messages import Block, Context, Heading, Message, Paragraph, Reply
from bot.sessions.dates import short_date
from bot.turn import Turn, name_of
from storage import contributions, people
from storage import ideas as idea_store
from storage.models import id_of

# Enough to read in one chat message and well inside Slack's 50 blocks.
LIMIT = 15

_NO_RECORD = (
    "There's nothing in your record yet. Every idea you share and every thank-you you receive "
    "will appear here."
)


async def record(turn: Turn) -> Reply:
    """The record as evidence of involvement, newest first; anonymous ideas are marked so."""
    zone = turn.timezone
    own = await idea_store.ideas_by_author(session=turn.session, author_id=turn.person_id)
    steps = await idea_store.history(session=turn.session, idea_ids=[id_of(i) for i in own])
    credits = await contributions.credits_for(session=turn.session, person_id=turn.person_id)
    if not own and not credits:
        return Reply(Message(summary=_NO_RECORD, blocks=(Paragraph(_NO_RECORD),)))
    blocks: list[Block] = [
        Heading("Your record of involvement"),
        Paragraph(
            f"You have shared {len(own)} idea{'s' if len(own) != 1 else ''} and received "
            f"{len(credits)} credit{'s' if len(credits) != 1 else ''}."
        ),
    ]
    if own:
        blocks.append(Heading("Ideas you shared"))
    for idea in own[:LIMIT]:
        marker = " (shared anonymously)" if idea.anonymous else ""
        lines = [
            f"#{idea.number} \u00b7 {STATUS_LABELS[idea.status]}{marker}: {preview(idea.text)}"
        ]
        for step in steps.get(id_of(idea), []):
            note = f": {step.note}" if step.note else ""
            lines.append(
                f"\u2022 {short_date(step.changed_at, zone)} {STATUS_LABELS[step.status]}{note}"
            )
        blocks.append(Paragraph("\n".join(lines)))
    if len(own) > LIMIT:
        blocks.append(Context(f"And {len(own) - LIMIT} earlier ideas."))
    if credits:
        blocks.append(Heading("Credits you received"))
        for credit in credits[:LIMIT]:
            giver = await people.get_person(session=turn.session, person_id=credit.given_by_id)
            linked_idea = (
                await idea_store.get_by_id(session=turn.session, idea_id=credit.idea_id)
                if credit.idea_id
                else None
            )
            linked = f" (idea #{linked_idea.number})" if linked_idea else ""
            blocks.append(
                Paragraph(
                    f"{short_date(credit.created_at, zone)}: {credit.reason}{linked}, "
                    f"from {name_of(giver, 'a facilitator') if giver else 'a facilitator'}"
                )
            )
        if len(credits) > LIMIT:
            blocks.append(Context(f"And {len(credits) - LIMIT} earlier credits."))
    blocks.append(Context("You're welcome to use this as evidence of your involvement."))
    return Reply(Message(summary="Your record of involvement.", blocks=tuple(blocks)))
