"""Ideas: capture, the author's own list, and the author's changes (anonymity, edit, withdraw)."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from bot.contributions.numbers import parse_number
from bot.groups import routing
from bot.i18n import N_, _
from bot.seam.messages import (
    Block,
    Button,
    Buttons,
    Heading,
    Message,
    Paragraph,
    Reply,
    TextInput,
)
from bot.trust.small_groups import SMALL_GROUP_NOTE, group_is_small
from bot.turn import NO_GROUP, Turn
from storage import ideas as idea_store
from storage.models import Group, Idea

MAX_IDEA_LENGTH = 2000
LIST_LIMIT = 20
PREVIEW_LENGTH = 160

# Message ids: translate with status_label() where shown.
STATUS_LABELS = {
    "new": N_("New"),
    "considering": N_("Being looked at"),
    "green-lit": N_("Going ahead"),
    "in-progress": N_("In progress"),
    "done": N_("Done"),
    "parked": N_("Parked"),
    "withdrawn": N_("Withdrawn"),
}


def status_label(status: str) -> str:
    """A status as people read it, in their language."""
    return _(STATUS_LABELS[status])


ACTION_ANONYMOUS = "idea.anonymous"
ACTION_NAMED = "idea.named"
ACTION_EDIT = "idea.edit"
ACTION_EDIT_SUBMIT = "idea.edit.submit"
ACTION_WITHDRAW = "idea.withdraw"
ACTION_RESTORE = "idea.restore"
ACTION_SHOW = "idea.show"
IDEA_ACTIONS = (
    ACTION_ANONYMOUS,
    ACTION_NAMED,
    ACTION_EDIT,
    ACTION_EDIT_SUBMIT,
    ACTION_WITHDRAW,
    ACTION_RESTORE,
    ACTION_SHOW,
)
# A withdrawal can be taken back for this long: one tap should never lose an idea for good.
UNDO_WITHDRAW = timedelta(days=1)


def _reply(text: str) -> Reply:
    return Reply(Message(summary=text, blocks=(Paragraph(text),)))


def preview(text: str, limit: int = PREVIEW_LENGTH) -> str:
    """A short view of an idea that ends on a whole word."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[:limit].rsplit(" ", 1)[0] or flat[:limit]
    return cut.rstrip(",.;:") + "\u2026"


def anonymous_by_default(turn: Turn, group: Group | None) -> bool:
    """The person's own choice if they made one, otherwise the group's default."""
    if turn.person.anonymous_chosen:
        return turn.person.anonymous_default
    return (group or NO_GROUP).anonymous_default


def check_text(text: str) -> str | None:
    """Why this text cannot be an idea, in words for the person; None when it is fine."""
    if not text.strip():
        return _(
            "It looks like that message was empty. What's on your mind? Type your idea and "
            "send it to me, or use /idea followed by your idea."
        )
    if len(text) > MAX_IDEA_LENGTH:
        return _(
            "Thank you! That's a little long for one idea: the limit is {limit} characters and "
            "yours has {length}. Could you shorten it, or split it into two ideas? Nothing has "
            "been saved yet.",
            limit=f"{MAX_IDEA_LENGTH:,}",
            length=f"{len(text):,}",
        )
    return None


def idea_card(idea: Idea, *, headline: str, small_group: bool = False) -> Message:
    """How an author sees one of their ideas, with the buttons to change it. In a small group
    the card says, before they press "Make anonymous", that others may guess."""
    who = (
        _("Shared anonymously: nobody is told it's yours. That includes the facilitators.")
        if idea.anonymous
        else _("Shared with your name: the group's facilitators can see it's yours.")
    )
    toggle = (
        Button(_("Show my name"), ACTION_NAMED, str(idea.number))
        if idea.anonymous
        else Button(_("Make anonymous"), ACTION_ANONYMOUS, str(idea.number))
    )
    blocks: list[Block] = [
        Paragraph(headline),
        Paragraph(idea.text),
        Paragraph(
            _(
                "Idea #{number} \u00b7 {status} \u00b7 {who}",
                number=idea.number,
                status=status_label(idea.status),
                who=who,
            )
        ),
    ]
    if small_group and idea.status != "withdrawn":
        blocks.append(Paragraph(_(SMALL_GROUP_NOTE)))
    if idea.status != "withdrawn":
        blocks.append(
            Buttons(
                (
                    toggle,
                    Button(_("Edit"), ACTION_EDIT, str(idea.number)),
                    Button(_("Withdraw"), ACTION_WITHDRAW, str(idea.number), style="danger"),
                )
            )
        )
    return Message(summary=headline, blocks=tuple(blocks))


async def own_card(turn: Turn, idea: Idea, *, headline: str) -> Message:
    """The idea card, with the small-group note where the group is small."""
    small = await group_is_small(turn, idea.group_id)
    return idea_card(idea, headline=headline, small_group=small)


async def save(
    turn: Turn,
    text: str,
    *,
    source: str,
    anonymous: bool | None = None,
    meeting_id: int | None = None,
    group: Group | None = None,
) -> Idea | Reply:
    """Store an idea at once, or say kindly why not (the reply) and store nothing."""
    text = text.strip()
    problem = check_text(text)
    if problem:
        return _reply(problem)
    return await idea_store.create_idea(
        session=turn.session,
        workspace_id=turn.workspace_id,
        author_id=turn.person_id,
        text=text,
        anonymous=anonymous_by_default(turn, group) if anonymous is None else anonymous,
        source=source,
        meeting_id=meeting_id,
        group_id=group.id if group else None,
        now=turn.now,
    )


async def capture(turn: Turn, text: str, *, source: str, anonymous: bool | None = None) -> Reply:
    """Save an idea and thank the person with its number; someone in several groups is asked
    which group it is for (it is saved first: nothing waits on the answer)."""
    group, choices = await routing.route(turn)
    saved = await save(turn, text, source=source, anonymous=anonymous, group=group)
    if isinstance(saved, Reply):
        return saved
    card = await own_card(
        turn,
        saved,
        headline=_("Thank you! I've saved your idea as #{number}.", number=saved.number),
    )
    if choices:
        card = replace(card, blocks=(*card.blocks, *routing.choice_blocks(saved.number, choices)))
    return Reply(card)


def parse_idea_command(text: str) -> tuple[str, bool | None]:
    """`/idea anonymous <text>` asks for anonymity; otherwise the person's default applies."""
    first, _space, rest = text.strip().partition(" ")
    if first.lower() in ("anonymous", "anon"):
        return rest, True
    return text, None


async def find_idea(turn: Turn, reference: str) -> Idea | None:
    """The idea a person or a button names (`12`, `#12`) in this workspace, if there is one."""
    number = parse_number(reference)
    if number is None:
        return None
    return await idea_store.get_idea(
        session=turn.session,
        workspace_id=turn.workspace_id,
        number=number,
    )


async def _own_idea(turn: Turn, value: str) -> Idea | Reply:
    """The idea a button names, if it belongs to whoever pressed it."""
    number = parse_number(value)
    if number is None:
        return _reply(_("Sorry, I couldn't tell which idea that was. Please try /ideas."))
    idea = await idea_store.get_idea(
        session=turn.session, workspace_id=turn.workspace_id, number=number
    )
    if idea is None or idea.author_id != turn.person_id:
        return _reply(
            _("I can only change your own ideas, and #{number} isn't one of them.", number=number)
        )
    return idea


async def act(turn: Turn, action_id: str, value: str, inputs: dict[str, str]) -> Reply:
    """Handle a button or form about one of the person's own ideas."""
    found = await _own_idea(turn, value)
    if isinstance(found, Reply):
        return found
    idea = found
    if action_id == ACTION_RESTORE:
        return await _restore(turn, idea)
    if action_id == ACTION_SHOW:
        return Reply(
            await own_card(turn, idea, headline=_("Your idea #{number}", number=idea.number))
        )
    if idea.status == "withdrawn":
        return _reply(
            _(
                "Idea #{number} has been withdrawn, so it can't be changed now.",
                number=idea.number,
            )
        )
    if action_id in (ACTION_ANONYMOUS, ACTION_NAMED):
        idea.anonymous = action_id == ACTION_ANONYMOUS
        idea.updated_at = turn.now
        headline = (
            _("Done: idea #{number} is now anonymous.", number=idea.number)
            if idea.anonymous
            else _("Done: idea #{number} now shows your name.", number=idea.number)
        )
        return Reply(await own_card(turn, idea, headline=headline), replace_original=True)
    if action_id == ACTION_EDIT:
        return Reply(
            Message(
                summary=_("Edit idea #{number}", number=idea.number),
                blocks=(
                    Heading(_("Edit idea #{number}", number=idea.number)),
                    TextInput(
                        "text", _("Your idea"), initial=idea.text, max_length=MAX_IDEA_LENGTH
                    ),
                    Buttons((Button(_("Save"), ACTION_EDIT_SUBMIT, str(idea.number), "primary"),)),
                ),
            )
        )
    if action_id == ACTION_EDIT_SUBMIT:
        text = inputs.get("text", "").strip()
        problem = check_text(text)
        if problem:
            return _reply(problem)
        idea.text = text
        idea.updated_at = turn.now
        return Reply(
            await own_card(
                turn, idea, headline=_("Thanks, idea #{number} is updated.", number=idea.number)
            )
        )
    if action_id == ACTION_WITHDRAW:
        await idea_store.record_status(
            session=turn.session,
            now=turn.now,
            idea=idea,
            status="withdrawn",
            note=None,
            changed_by_id=turn.person_id,
        )
        card = idea_card(
            idea,
            headline=_(
                "Idea #{number} is withdrawn. Thank you for sharing it all the same.",
                number=idea.number,
            ),
        )
        undo = Buttons((Button(_("Undo"), ACTION_RESTORE, str(idea.number)),))
        note = Paragraph(_("Changed your mind? You can undo this for a day."))
        return Reply(replace(card, blocks=(*card.blocks, note, undo)), replace_original=True)
    return _reply(_("Sorry, I didn't recognise that button."))


async def _restore(turn: Turn, idea: Idea) -> Reply:
    """Undo a withdrawal within a day: the idea goes back to where it was."""
    if idea.status != "withdrawn":
        return Reply(
            await own_card(
                turn, idea, headline=_("Idea #{number} is not withdrawn.", number=idea.number)
            )
        )
    undone = await idea_store.undo_withdrawal(
        session=turn.session, idea=idea, since=turn.now - UNDO_WITHDRAW, now=turn.now
    )
    if not undone:
        return _reply(
            _(
                "It's been more than a day, so idea #{number} stays withdrawn. You're very "
                "welcome to share it again.",
                number=idea.number,
            )
        )
    return Reply(
        await own_card(turn, idea, headline=_("Welcome back, idea #{number}!", number=idea.number)),
        replace_original=True,
    )
