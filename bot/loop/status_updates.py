"""`/update`: a facilitator moves an idea on, and every contributor is told privately, once."""

from __future__ import annotations

from bot.contributions import ideas
from bot.contributions.numbers import parse_number
from bot.groups.access import may_run
from bot.i18n import N_, _, speaking
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
from storage import groups as group_store
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
    "considering": N_("The group is now looking at it properly."),
    "green-lit": N_("Good news: the team has agreed to go ahead with it."),
    "in-progress": N_("Work on it has started."),
    "done": N_("It's done! Thank you for helping to make it happen."),
    "parked": N_(
        "It's parked for now: not now, but not never. It stays on the list and can come back."
    ),
}
USAGE = N_(
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
        "author": _("News about your idea #{number}", number=idea.number),
        "credited": _("News about idea #{number}, which you were thanked for", number=idea.number),
        "following": _("News about idea #{number}, which you follow", number=idea.number),
    }[role]
    label = ideas.status_label(status)
    blocks: list[Block] = [Heading(headline), Paragraph(_(MEANING[status]))]
    if note:
        blocks.append(Paragraph(_("Why, from {name}: {note}", name=by, note=note)))
    blocks.append(Paragraph(_("The idea: {text}", text=ideas.preview(idea.text))))
    blocks.append(Context(_("Thank you for being part of this. /ideas shows all your ideas.")))
    if role == "following":
        stop = _("Stop following")
        blocks.append(Buttons((Button(stop, "idea.unfollow", str(idea.number)),)))
    return Message(summary=f"{headline}: {label.lower()}.", blocks=tuple(blocks))


async def update_status(turn: Turn, text: str) -> Reply:
    """Record a status change and queue one private message per contributor, atomically."""
    refusal = facilitators_only(turn, _("update an idea's status"))
    if refusal:
        return refusal
    reference, _space, after = text.strip().partition(" ")
    usage = _(USAGE)
    if not after.strip():
        return Reply(simple(_("I need an idea number and a status.") + " " + usage))
    number = parse_idea_number(reference)
    if number is None:
        wrong = _("\u201c{reference}\u201d isn't an idea number.", reference=reference)
        return Reply(simple(f"{wrong} {usage}"))
    status, note = split_status(after)
    if status is None:
        unknown = _("I don't know the status \u201c{said}\u201d.", said=after.split()[0])
        return Reply(simple(f"{unknown} {usage}"))
    if status == "parked" and not note:
        return Reply(
            simple(
                _(
                    "Parking an idea needs a reason, so the people behind it know why. "
                    "Try: /update {number} parked <the reason>.",
                    number=number,
                )
            )
        )
    if len(note) > MAX_NOTE_LENGTH:
        return Reply(
            simple(
                _(
                    "That note is a little long: the limit is {limit} characters and yours has "
                    "{length}. Nothing has been changed.",
                    limit=f"{MAX_NOTE_LENGTH:,}",
                    length=f"{len(note):,}",
                )
            )
        )
    idea = await idea_store.get_idea(
        session=turn.session,
        workspace_id=turn.workspace_id,
        number=number,
    )
    if idea is None or not await may_run(turn, idea):
        # Another group's idea reads as no idea at all: its facilitators' business, not ours.
        return Reply(
            simple(_("There's no idea #{number} here. Please check the number.", number=number))
        )
    if idea.status == "withdrawn":
        withdrawn = _(
            "Idea #{number} was withdrawn by the person who shared it, so it stays as is.",
            number=number,
        )
        return Reply(simple(withdrawn))
    if idea.status == status:
        already = _(
            "Idea #{number} is already marked \u201c{status}\u201d. Nothing changed.",
            number=number,
            status=ideas.status_label(status),
        )
        return Reply(simple(already))
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
    group = (
        await group_store.get_group(session=turn.session, group_id=idea.group_id)
        if idea.group_id is not None
        else None
    )
    for person, role in people:
        # Each person reads the news in their own language.
        with speaking(person.language):
            by = name_of(turn.person, _("a facilitator"))
            message = contributor_message(idea, role, status, note or None, by)
        await turn.tell(
            person=person,
            key=f"status:{change.id}:{person.id}",
            kind="status-update",
            message=message,
            group=group,
        )
    return _confirmation(turn, idea, status, people)


def _confirmation(turn: Turn, idea: Idea, status: str, people: list[tuple[Person, str]]) -> Reply:
    # No count of the people told: with the author credited too, a count of one or two would
    # tell the facilitator who wrote an anonymous idea.
    blocks: list[Block] = [
        Paragraph(
            _(
                "Thank you. Idea #{number} is now marked \u201c{status}\u201d. Everyone behind "
                "it (whoever shared it, and anyone thanked for it or following it) will hear "
                "privately, with your note.",
                number=idea.number,
                status=ideas.status_label(status),
            )
        )
    ]
    if all(person.id != turn.person_id for person, _role in people):
        follow = _("Follow this idea")
        blocks.append(Buttons((Button(follow, "idea.follow", str(idea.number)),)))
    summary = _("Idea #{number} updated.", number=idea.number)
    return Reply(Message(summary=summary, blocks=tuple(blocks)))
