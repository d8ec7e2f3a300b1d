"""`/update`: a facilitator moves an idea on, and every contributor is told privately, once."""

from __future__ import annotations

from bot.contributions import ideas
from bot.contributions.numbers import parse_number
from bot.seam.messages import (
    Block,
    Button,
    Buttons,
    Context,
    Heading,
    Message,
    Paragraph,
    Reply,
    simple,
)
from bot.trust import audit
from bot.trust.roles import facilitators_only
from bot.turn import Turn, name_of
from storage import contributions
from storage import ideas as idea_store
from storage.models import Idea, IdeaStatus, Person

# What a facilitator may move an idea to (withdrawn is the author's, new is where all begin).
STATUSES = tuple(
    str(status) for status in IdeaStatus if status not in (IdeaStatus.NEW, IdeaStatus.WITHDRAWN)
)
_ALIASES = {
    "considering": "considering",
    "consider": "considering",
    "under-consideration": "considering",
    "green-lit": "green-lit",
    "greenlit": "green-lit",
    "green-light": "green-lit",
    "in-progress": "in-progress",
    "inprogress": "in-progress",
    "started": "in-progress",
    "progress": "in-progress",
    "done": "done",
    "parked": "parked",
    "park": "parked",
}
MEANING = {
    "considering": "The group is now looking at it properly.",
    "green-lit": "Good news: the team has agreed to go ahead with it.",
    "in-progress": "Work on it has started.",
    "done": "It's done! Thank you for helping to make it happen.",
    "parked": "It's parked for now: not now, but not never. It stays on the list and can "
    "come back.",
}
USAGE = (
    "Use it like this: /update 12 green-lit <a short note on why>. The statuses are "
    "considering, green-lit, in-progress, done and parked (parked needs a reason)."
)
MAX_NOTE_LENGTH = 1000


def parse_idea_number(text: str) -> int | None:
    return parse_number(text)


def parse_status(words: str) -> str | None:
    """A status as people write it: `green-lit`, `green lit`, `in progress`, `Done`."""
    return _ALIASES.get("-".join(words.lower().split()))


def split_status(text: str) -> tuple[str | None, str]:
    """The status at the start of `text` (one word or two) and the note after it."""
    words = text.split()
    for count in (2, 1):  # "in progress" before "in"
        if len(words) >= count:
            status = parse_status(" ".join(words[:count]))
            if status is not None:
                return status, " ".join(words[count:])
    return None, ""


def contributor_message(idea: Idea, role: str, status: str, note: str | None, by: str) -> Message:
    """What one contributor reads about a change: what moved, why, and thanks."""
    headline = {
        "author": f"News about your idea #{idea.number}",
        "credited": f"News about idea #{idea.number}, which you were credited for",
        "following": f"News about idea #{idea.number}, which you follow",
    }[role]
    label = ideas.STATUS_LABELS[status]
    blocks: list[Block] = [Heading(headline), Paragraph(MEANING[status])]
    if note:
        blocks.append(Paragraph(f"Why, from {by}: {note}"))
    blocks.append(Paragraph(f"The idea: {ideas.preview(idea.text)}"))
    blocks.append(Context("Thank you for being part of this. /ideas shows all your ideas."))
    if role == "following":
        blocks.append(Buttons((Button("Stop following", "idea.unfollow", str(idea.number)),)))
    return Message(summary=f"{headline}: {label.lower()}.", blocks=tuple(blocks))


async def update_status(turn: Turn, text: str) -> Reply:
    """Record a status change and queue one private message per contributor, atomically."""
    refusal = facilitators_only(turn, "update an idea's status")
    if refusal:
        return refusal
    reference, _, after = text.strip().partition(" ")
    if not after.strip():
        return Reply(simple(f"I need an idea number and a status. {USAGE}"))
    number = parse_idea_number(reference)
    if number is None:
        return Reply(simple(f"\u201c{reference}\u201d isn't an idea number. {USAGE}"))
    status, note = split_status(after)
    if status is None:
        said = after.split()[0]
        return Reply(simple(f"I don't know the status \u201c{said}\u201d. {USAGE}"))
    if status == "parked" and not note:
        return Reply(
            simple(
                "Parking an idea needs a reason, so the people behind it know why. "
                f"Try: /update {number} parked <the reason>."
            )
        )
    if len(note) > MAX_NOTE_LENGTH:
        return Reply(
            simple(
                f"That note is a little long: the limit is {MAX_NOTE_LENGTH:,} characters and "
                f"yours has {len(note):,}. Nothing has been changed."
            )
        )
    idea = await idea_store.get_idea(
        session=turn.session,
        workspace_id=turn.workspace_id,
        number=number,
    )
    if idea is None:
        return Reply(simple(f"There's no idea #{number} here. Please check the number."))
    if idea.status == "withdrawn":
        return Reply(
            simple(f"Idea #{number} was withdrawn by the person who shared it, so it stays as is.")
        )
    if idea.status == status:
        return Reply(
            simple(
                f"Idea #{number} is already marked \u201c{ideas.STATUS_LABELS[status]}\u201d. "
                "Nothing changed."
            )
        )
    change = await idea_store.record_status(
        session=turn.session,
        now=turn.now,
        idea=idea,
        status=status,
        note=note or None,
        changed_by_id=turn.person_id,
    )
    await audit.record(
        turn.session,
        at=turn.now,
        workspace_id=turn.workspace_id,
        actor_id=turn.person_id,
        action="status-change",
        subject_type="idea",
        subject_id=idea.id,
        detail=status,
    )
    people = await contributions.contributors(session=turn.session, idea=idea)
    by = name_of(turn.person, "a facilitator")
    for person, role in people:
        await turn.tell(
            person=person,
            key=f"status:{change.id}:{person.id}",
            kind="status-update",
            message=contributor_message(idea, role, status, note or None, by),
        )
    return _confirmation(turn, idea, status, people)


def _confirmation(turn: Turn, idea: Idea, status: str, people: list[tuple[Person, str]]) -> Reply:
    # No count of the people told: with the author credited too, a count of one or two would
    # tell the facilitator who wrote an anonymous idea.
    blocks: list[Block] = [
        Paragraph(
            f"Thank you. Idea #{idea.number} is now marked "
            f"\u201c{ideas.STATUS_LABELS[status]}\u201d. Everyone "
            "behind it (whoever shared it, and anyone credited for it or following it) will "
            "hear privately, with your note."
        )
    ]
    if all(person.id != turn.person_id for person, _ in people):
        blocks.append(Buttons((Button("Follow this idea", "idea.follow", str(idea.number)),)))
    return Reply(Message(summary=f"Idea #{idea.number} updated.", blocks=tuple(blocks)))
