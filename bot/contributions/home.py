"""A person's home: their ideas, credits and open reflection windows; for facilitators also the
triage list of ideas waiting for a decision. Slack shows it in App Home, elsewhere on /ideas."""

from __future__ import annotations

from bot.contributions.following import UNFOLLOW
from bot.contributions.ideas import ACTION_SHOW, LIST_LIMIT, find_idea, preview, status_label
from bot.groups.access import may_run
from bot.i18n import _, n_
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
from bot.sessions import reflection
from bot.trust import pausing
from bot.turn import Turn
from storage import contributions
from storage import ideas as idea_store
from storage import meetings as meeting_store
from storage.models import id_of

UPDATE = "home.update"
UPDATE_SUBMIT = "home.update.submit"
TRIAGE_LIMIT = 10
OPEN_BUTTONS = 5


async def home(turn: Turn) -> Reply:
    ideas = await idea_store.ideas_by_author(session=turn.session, author_id=turn.person_id)
    blocks: list[Block] = [Heading(_("Your ideas"))]
    paused = pausing.status_line(turn, turn.person)
    if paused:
        blocks.append(Paragraph(paused))
    if not ideas:
        blocks.append(
            Paragraph(
                _(
                    "You haven't shared any ideas yet. Send me a message any time: every idea "
                    "is welcome, big or small."
                )
            )
        )
    if ideas:
        # One block for the list keeps a full home within a chat message's 50 blocks on Slack.
        lines = []
        for idea in ideas[:LIST_LIMIT]:
            marker = _(" (anonymous)") if idea.anonymous else ""
            lines.append(f"#{idea.number} \u00b7 {status_label(idea.status)}{marker}")
            lines.append(preview(idea.text))
        blocks.append(Paragraph("\n".join(lines)))
    open_ideas = [i for i in ideas[:LIST_LIMIT] if i.status != "withdrawn"][:OPEN_BUTTONS]
    if open_ideas:
        # Any of them can be opened again to edit, make anonymous or withdraw.
        blocks.append(
            Buttons(
                tuple(
                    Button(_("Open #{number}", number=i.number), ACTION_SHOW, str(i.number))
                    for i in open_ideas
                )
            )
        )
    if len(ideas) > LIST_LIMIT:
        blocks.append(
            Context(
                _("And {count} earlier ideas: /coproduce record.", count=len(ideas) - LIST_LIMIT)
            )
        )
    related = await idea_store.related_ideas(
        session=turn.session, person_id=turn.person_id, limit=OPEN_BUTTONS
    )
    if related:
        blocks.append(Heading(_("Ideas you follow or were thanked for")))
        lines = []
        for idea, kind in related:
            why = _("you follow it") if kind == "following" else _("you were thanked for it")
            lines.append(f"#{idea.number} \u00b7 {status_label(idea.status)} \u00b7 {why}")
            lines.append(preview(idea.text))
        blocks.append(Paragraph("\n".join(lines)))
        followed = [idea for idea, kind in related if kind == "following"]
        if followed:
            blocks.append(
                Buttons(
                    tuple(
                        Button(_("Unfollow #{number}", number=i.number), UNFOLLOW, str(i.number))
                        for i in followed
                    )
                )
            )
    credits = await contributions.credits_for(session=turn.session, person_id=turn.person_id)
    if credits:
        blocks.append(Heading(_("Thanks you received")))
        blocks.append(Paragraph("\n".join(f"\u2022 {preview(c.reason, 120)}" for c in credits[:5])))
    open_windows = await meeting_store.open_windows_for(
        session=turn.session,
        person_id=turn.person_id,
        now=turn.now,
    )
    if open_windows:
        blocks.append(Heading(_("Afterthoughts welcome")))
        for meeting in open_windows[:3]:
            blocks.append(
                Paragraph(
                    _(
                        "\u201c{title}\u201d: anything that came to you since?",
                        title=meeting.title,
                    )
                )
            )
            blocks.append(reflection.prompt_buttons(id_of(meeting)))
    if turn.is_facilitator:
        blocks += await _triage(turn)
    blocks.append(Context(_("Thank you for being part of this.")))
    count = len(ideas)
    return Reply(
        Message(
            summary=n_("You have shared {count} idea.", "You have shared {count} ideas.", count),
            blocks=tuple(blocks),
        )
    )


async def _triage(turn: Turn) -> list[Block]:
    waiting_statuses = ("new", "considering")
    workspace_id: int = turn.workspace_id
    # A facilitator sees their own groups' ideas; admins every group's, and those of no group.
    groups = None if turn.is_admin else await turn.facilitated()
    waiting = await idea_store.in_statuses(
        session=turn.session,
        workspace_id=workspace_id,
        statuses=waiting_statuses,
        groups=groups,
        limit=TRIAGE_LIMIT,
    )
    more = await idea_store.count_in_statuses(
        session=turn.session, workspace_id=workspace_id, statuses=waiting_statuses, groups=groups
    ) - len(waiting)
    blocks: list[Block] = [Heading(_("Waiting for a decision"))]
    if not waiting:
        return [*blocks, Paragraph(_("Nothing is waiting. Thank you!"))]
    for idea in waiting:
        # Anonymous means anonymous here too: facilitators never see the author.
        blocks.append(
            Paragraph(f"#{idea.number} \u00b7 {status_label(idea.status)}\n{preview(idea.text)}")
        )
        blocks.append(
            Buttons((Button(_("Update #{number}", number=idea.number), UPDATE, str(idea.number)),))
        )
    if more > 0:
        blocks.append(Context(_("And {count} more: /update works for any.", count=more)))
    return blocks


async def act(turn: Turn, action_id: str, value: str, inputs: dict[str, str]) -> Reply:
    """The triage list's update dialog, and saving it through /update's own rules."""
    if action_id == UPDATE_SUBMIT:
        status = inputs.get("status", "").strip()
        note = inputs.get("note", "").strip()
        return await update_status(turn, f"{value} {status or '?'} {note}".strip())
    idea = await find_idea(turn, value)
    if idea is None or not await may_run(turn, idea):
        return await update_status(turn, f"{value} ?")  # the same kind refusals as /update
    save = Button(_("Save and tell everyone"), UPDATE_SUBMIT, str(idea.number), "primary")
    return Reply(
        Message(
            summary=_("Update idea #{number}", number=idea.number),
            blocks=(
                Heading(_("Update idea #{number}", number=idea.number)),
                Paragraph(preview(idea.text)),
                Choice("status", _("New status"), tuple((s, status_label(s)) for s in STATUSES)),
                TextInput(
                    "note",
                    _("A short note on why (needed for parked)"),
                    multiline=True,
                    max_length=1000,
                ),
                Buttons((save,)),
            ),
        )
    )
