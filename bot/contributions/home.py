"""A person's home: their ideas, credits and open reflection windows; for facilitators also the
triage list of ideas waiting for a decision. Slack shows it in App Home, elsewhere on /ideas."""

from __future__ import annotations

from bot.contributions.following import UNFOLLOW
from bot.contributions.ideas import ACTION_SHOW, LIST_LIMIT, STATUS_LABELS, find_idea, preview
from bot.loop.status_updates import STATUSES, update_status
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
)
from bot.trust import pausing
from bot.turn import Turn
from storage import contributions
from storage import ideas as idea_store
from storage import meetings as meeting_store

UPDATE = "home.update"
UPDATE_SUBMIT = "home.update.submit"
TRIAGE_LIMIT = 10
OPEN_BUTTONS = 5


async def home(turn: Turn) -> Reply:
    ideas = await idea_store.ideas_by_author(session=turn.session, author_id=turn.person_id)
    blocks: list[Block] = [Heading("Your ideas")]
    paused = pausing.status_line(turn, turn.person)
    if paused:
        blocks.append(Paragraph(paused))
    if not ideas:
        blocks.append(
            Paragraph(
                "You haven't shared any ideas yet. Send me a message any time: every idea is "
                "welcome, big or small."
            )
        )
    if ideas:
        # One block for the list keeps a full home within a chat message's 50 blocks on Slack.
        lines = []
        for idea in ideas[:LIST_LIMIT]:
            marker = " (anonymous)" if idea.anonymous else ""
            lines.append(f"#{idea.number} \u00b7 {STATUS_LABELS[idea.status]}{marker}")
            lines.append(preview(idea.text))
        blocks.append(Paragraph("\n".join(lines)))
    open_ideas = [i for i in ideas[:LIST_LIMIT] if i.status != "withdrawn"][:OPEN_BUTTONS]
    if open_ideas:
        # Any of them can be opened again to edit, make anonymous or withdraw.
        blocks.append(
            Buttons(
                tuple(Button(f"Open #{i.number}", ACTION_SHOW, str(i.number)) for i in open_ideas)
            )
        )
    if len(ideas) > LIST_LIMIT:
        blocks.append(Context(f"And {len(ideas) - LIST_LIMIT} earlier ideas: /coproduce record."))
    related = await idea_store.related_ideas(
        session=turn.session, person_id=turn.person_id, limit=OPEN_BUTTONS
    )
    if related:
        blocks.append(Heading("Ideas you follow or were thanked for"))
        lines = []
        for idea, kind in related:
            why = "you follow it" if kind == "following" else "you were thanked for it"
            lines.append(f"#{idea.number} \u00b7 {STATUS_LABELS[idea.status]} \u00b7 {why}")
            lines.append(preview(idea.text))
        blocks.append(Paragraph("\n".join(lines)))
        followed = [idea for idea, kind in related if kind == "following"]
        if followed:
            blocks.append(
                Buttons(
                    tuple(
                        Button(f"Unfollow #{i.number}", UNFOLLOW, str(i.number)) for i in followed
                    )
                )
            )
    credits = await contributions.credits_for(session=turn.session, person_id=turn.person_id)
    if credits:
        blocks.append(Heading("Credits you received"))
        blocks.append(Paragraph("\n".join(f"\u2022 {preview(c.reason, 120)}" for c in credits[:5])))
    open_windows = await meeting_store.open_windows_for(
        session=turn.session,
        person_id=turn.person_id,
        now=turn.now,
    )
    if open_windows:
        blocks.append(Heading("Afterthoughts welcome"))
        for meeting in open_windows[:3]:
            blocks.append(
                Paragraph(f"\u201c{meeting.title}\u201d: anything that came to you since?")
            )
            blocks.append(
                Buttons(
                    (
                        Button(
                            "Share an afterthought", "reflection.share", str(meeting.id), "primary"
                        ),
                    )
                )
            )
    if turn.is_facilitator:
        blocks += await _triage(turn)
    blocks.append(Context("Thank you for being part of this."))
    count = len(ideas)
    return Reply(
        Message(
            summary=f"You have shared {count} idea{'s' if count != 1 else ''}.",
            blocks=tuple(blocks),
        )
    )


async def _triage(turn: Turn) -> list[Block]:
    waiting_statuses = ("new", "considering")
    workspace_id: int = turn.workspace_id
    waiting = await idea_store.in_statuses(
        session=turn.session,
        workspace_id=workspace_id,
        statuses=waiting_statuses,
        limit=TRIAGE_LIMIT,
    )
    more = await idea_store.count_in_statuses(
        session=turn.session, workspace_id=workspace_id, statuses=waiting_statuses
    ) - len(waiting)
    blocks: list[Block] = [Heading("Waiting for a decision")]
    if not waiting:
        return [*blocks, Paragraph("Nothing is waiting. Thank you!")]
    for idea in waiting:
        # Anonymous means anonymous here too: facilitators never see the author.
        blocks.append(
            Paragraph(f"#{idea.number} \u00b7 {STATUS_LABELS[idea.status]}\n{preview(idea.text)}")
        )
        blocks.append(Buttons((Button(f"Update #{idea.number}", UPDATE, str(idea.number)),)))
    if more > 0:
        blocks.append(Context(f"And {more} more: /update works for any."))
    return blocks


async def act(turn: Turn, action_id: str, value: str, inputs: dict[str, str]) -> Reply:
    """The triage list's update dialog, and saving it through /update's own rules."""
    if action_id == UPDATE_SUBMIT:
        status = inputs.get("status", "").strip()
        note = inputs.get("note", "").strip()
        return await update_status(turn, f"{value} {status or '?'} {note}".strip())
    idea = await find_idea(turn, value)
    if idea is None or not turn.is_facilitator:
        return await update_status(turn, f"{value} ?")  # the same kind refusals as /update
    return Reply(
        Message(
            summary=f"Update idea #{idea.number}",
            blocks=(
                Heading(f"Update idea #{idea.number}"),
                Paragraph(preview(idea.text)),
                Choice("status", "New status", tuple((s, STATUS_LABELS[s]) for s in STATUSES)),
                TextInput(
                    "note",
                    "A short note on why (needed for parked)",
                    multiline=True,
                    max_length=1000,
                ),
                Buttons(
                    (Button("Save and tell everyone", UPDATE_SUBMIT, str(idea.number), "primary"),)
                ),
            ),
        )
    )
