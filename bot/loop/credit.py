"""`/credit`: a facilitator thanks people by name, privately, on the record."""

from __future__ import annotations

import re

from bot.contributions.ideas import find_idea
from bot.seam.events import CommandInvoked
from bot.seam.messages import Block, Context, Message, Paragraph, Reply, simple
from bot.trust import audit
from bot.trust.people import person_for
from bot.trust.roles import facilitators_only
from bot.turn import Turn, name_of
from storage import contributions
from storage.models import id_of

_FOR = re.compile(r"\bfor\b", re.IGNORECASE)
_IDEA = re.compile(r"#(\S+)")
MAX_REASON_LENGTH = 500
USAGE = "Use it like this: /credit @Sam @Ali #12 for chairing today's session."


def _join(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


async def give_credit(turn: Turn, event: CommandInvoked) -> Reply:
    """Store one credit per person named, thank each privately, link them to the idea if named."""
    refusal = facilitators_only(turn, "give credit")
    if refusal:
        return refusal
    if not event.mentions:
        return Reply(simple(f"Please @mention the people you'd like to credit. {USAGE}"))
    split = _FOR.search(event.text)
    reason = event.text[split.end() :].strip() if split else ""
    if not reason:
        return Reply(simple(f"Please say what the credit is for. {USAGE}"))
    if len(reason) > MAX_REASON_LENGTH:
        return Reply(
            simple(
                f"That's a little long: the limit is {MAX_REASON_LENGTH} characters and yours has "
                f"{len(reason):,}. Nothing has been saved."
            )
        )
    head = event.text[: split.start()] if split else event.text
    idea = None
    named_idea = _IDEA.search(head)
    if named_idea:
        idea = await find_idea(turn, named_idea.group(1))
        if idea is None:
            return Reply(
                simple(f"There's no idea #{named_idea.group(1)} here, so nothing was recorded.")
            )
    by = name_of(turn.person, "A facilitator")
    names: list[str] = []
    for actor in event.mentions:
        person = await person_for(turn, actor)
        credit = await contributions.add_credit(
            session=turn.session,
            now=turn.now,
            workspace_id=turn.workspace_id,
            person_id=id_of(person),
            given_by_id=turn.person_id,
            idea_id=idea.id if idea else None,
            reason=reason,
        )
        if idea is not None:
            await contributions.add_contribution(
                session=turn.session,
                now=turn.now,
                idea_id=id_of(idea),
                person_id=id_of(person),
                kind="credited",
            )
        await audit.record(
            turn.session,
            at=turn.now,
            workspace_id=turn.workspace_id,
            actor_id=turn.person_id,
            action="credit",
            subject_type="person",
            subject_id=person.id,
        )
        names.append(name_of(person))
        await turn.tell(
            person=person,
            key=f"credit:{credit.id}",
            kind="credit",
            message=_thanks(by, reason, idea.number if idea else None),
        )
    linked = f" for idea #{idea.number}" if idea else ""
    return Reply(
        simple(
            f"Thank you for recognising people. I've thanked {_join(names)} privately{linked}. "
            "It goes on their record of involvement, and in the group's digest unless they "
            "asked not to be named there."
        )
    )


def _thanks(by: str, reason: str, idea_number: int | None) -> Message:
    blocks: list[Block] = [Paragraph(f"Thank you! {by} has credited you for: {reason}")]
    if idea_number is not None:
        blocks.append(
            Paragraph(f"This is linked to idea #{idea_number}, so you'll hear how it goes.")
        )
    blocks.append(Context("It's in your record of involvement: /coproduce record"))
    return Message(summary="Thank you! You've been credited.", blocks=tuple(blocks))
