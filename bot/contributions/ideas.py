"""Ideas: capture, the author's own list, and the author's changes (anonymity, edit, withdraw)."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from bot.contributions.numbers import parse_number
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
from bot.turn import Turn
from storage import ideas as idea_store
from storage.models import Idea, id_of

MAX_IDEA_LENGTH = 2000
LIST_LIMIT = 20
PREVIEW_LENGTH = 160

STATUS_LABELS = {
    "new": "New",
    "considering": "Being looked at",
    "green-lit": "Going ahead",
    "in-progress": "In progress",
    "done": "Done",
    "parked": "Parked",
    "withdrawn": "Withdrawn",
}

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


def anonymous_by_default(turn: Turn) -> bool:
    """The person's own choice if they made one, otherwise the workspace's default."""
    if turn.person.anonymous_chosen:
        return turn.person.anonymous_default
    return turn.workspace.anonymous_default


def check_text(text: str) -> str | None:
    """Why this text cannot be an idea, in words for the person; None when it is fine."""
    if not text.strip():
        return (
            "It looks like that message was empty. What's on your mind? Type your idea and "
            "send it to me, or use /idea followed by your idea."
        )
    if len(text) > MAX_IDEA_LENGTH:
        return (
            f"Thank you! That's a little long for one idea: the limit is "
            f"{MAX_IDEA_LENGTH:,} characters and yours has {len(text):,}. Could you shorten "
            "it, or split it into two ideas? Nothing has been saved yet."
        )
    return None


def idea_card(idea: Idea, *, headline: str, small_group: bool = False) -> Message:
    """How an author sees one of their ideas, with the buttons to change it. In a small group
    the card says, before they press "Make anonymous", that others may guess."""
    who = (
        "Shared anonymously: nobody is told it's yours, facilitators included."
        if idea.anonymous
        else "Shared with your name: the group's facilitators can see it's yours."
    )
    toggle = (
        Button("Show my name", ACTION_NAMED, str(idea.number))
        if idea.anonymous
        else Button("Make anonymous", ACTION_ANONYMOUS, str(idea.number))
    )
    blocks: list[Block] = [
        Paragraph(headline),
        Paragraph(idea.text),
        Paragraph(f"Idea #{idea.number} \u00b7 {STATUS_LABELS[idea.status]} \u00b7 {who}"),
    ]
    if small_group and idea.status != "withdrawn":
        blocks.append(Paragraph(SMALL_GROUP_NOTE))
    if idea.status != "withdrawn":
        blocks.append(
            Buttons(
                (
                    toggle,
                    Button("Edit", ACTION_EDIT, str(idea.number)),
                    Button("Withdraw", ACTION_WITHDRAW, str(idea.number), style="danger"),
                )
            )
        )
    return Message(summary=headline, blocks=tuple(blocks))


async def own_card(turn: Turn, idea: Idea, *, headline: str) -> Message:
    """The idea card, with the small-group note where the group is small."""
    return idea_card(idea, headline=headline, small_group=await group_is_small(turn))


async def save(
    turn: Turn,
    text: str,
    *,
    source: str,
    anonymous: bool | None = None,
    meeting_id: int | None = None,
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
        anonymous=anonymous_by_default(turn) if anonymous is None else anonymous,
        source=source,
        meeting_id=meeting_id,
        now=turn.now,
    )


async def capture(turn: Turn, text: str, *, source: str, anonymous: bool | None = None) -> Reply:
    """Save an idea and thank the person with its number."""
    saved = await save(turn, text, source=source, anonymous=anonymous)
    if isinstance(saved, Reply):
        return saved
    return Reply(
        await own_card(turn, saved, headline=f"Thank you! I've saved your idea as #{saved.number}.")
    )


def parse_idea_command(text: str) -> tuple[str, bool | None]:
    """`/idea anonymous <text>` asks for anonymity; otherwise the person's default applies."""
    first, _, rest = text.strip().partition(" ")
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
        return _reply("Sorry, I couldn't tell which idea that was. Please try /ideas.")
    idea = await idea_store.get_idea(
        session=turn.session, workspace_id=turn.workspace_id, number=number
    )
    if idea is None or idea.author_id != turn.person_id:
        return _reply(f"I can only change your own ideas, and #{number} isn't one of them.")
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
        return Reply(await own_card(turn, idea, headline=f"Your idea #{idea.number}"))
    if idea.status == "withdrawn":
        return _reply(f"Idea #{idea.number} has been withdrawn, so it can't be changed now.")
    if action_id in (ACTION_ANONYMOUS, ACTION_NAMED):
        idea.anonymous = action_id == ACTION_ANONYMOUS
        idea.updated_at = turn.now
        headline = (
            f"Done: idea #{idea.number} is now anonymous."
            if idea.anonymous
            else f"Done: idea #{idea.number} now shows your name."
        )
        return Reply(await own_card(turn, idea, headline=headline), replace_original=True)
    if action_id == ACTION_EDIT:
        return Reply(
            Message(
                summary=f"Edit idea #{idea.number}",
                blocks=(
                    Heading(f"Edit idea #{idea.number}"),
                    TextInput("text", "Your idea", initial=idea.text, max_length=MAX_IDEA_LENGTH),
                    Buttons((Button("Save", ACTION_EDIT_SUBMIT, str(idea.number), "primary"),)),
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
            await own_card(turn, idea, headline=f"Thanks, idea #{idea.number} is updated.")
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
            headline=f"Idea #{idea.number} is withdrawn. Thank you for sharing it all the same.",
        )
        undo = Buttons((Button("Undo", ACTION_RESTORE, str(idea.number)),))
        note = Paragraph("Changed your mind? You can undo this for a day.")
        return Reply(replace(card, blocks=(*card.blocks, note, undo)), replace_original=True)
    return _reply("Sorry, I didn't recognise that button.")


async def _restore(turn: Turn, idea: Idea) -> Reply:
    """Undo a withdrawal within a day: the idea goes back to where it was."""
    if idea.status != "withdrawn":
        return Reply(await own_card(turn, idea, headline=f"Idea #{idea.number} is not withdrawn."))
    found = await idea_store.withdrawal(session=turn.session, idea_id=id_of(idea))
    if found is None or turn.now - found[0] > UNDO_WITHDRAW:
        return _reply(
            f"It's been more than a day, so idea #{idea.number} stays withdrawn. You're very "
            "welcome to share it again."
        )
    await idea_store.record_status(
        session=turn.session,
        now=turn.now,
        idea=idea,
        status=found[1],
        note=None,
        changed_by_id=turn.person_id,
    )
    return Reply(
        await own_card(turn, idea, headline=f"Welcome back, idea #{idea.number}!"),
        replace_original=True,
    )
