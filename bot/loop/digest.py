"""The "You said, we did" digest: what happened this period, posted to the group's channel.

Nobody is named as the author of an idea: authors agreed to be named to facilitators, not to a
channel. Credits are named (public thanks is their point), except for people who turned public
thanks off. Nothing counts per person.
Long weeks are summarised with a count, never cut mid-word, and stay inside every platform's
limits (each section under Slack's 3,000 characters, the whole under 50 blocks).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.contributions.ideas import STATUS_LABELS, preview
from bot.seam.messages import Block, Button, Buttons, Context, Heading, Message, Paragraph
from bot.sessions.dates import short_date
from bot.turn import name_of
from storage import digests
from storage.models import Person, Workspace, as_utc

SECTION_LIMIT = 2800  # characters, inside Slack's 3,000 for a section
LINES_LIMIT = 12
QUIET_WEEK = (
    "A quiet week: no new ideas, decisions or credits. Thank you all, and ideas are welcome "
    "any time."
)


def _section(title: str, lines: list[str], total: int) -> list[Block]:
    """A heading and one paragraph of whole lines; what does not fit becomes a count.

    `lines` are the first few of `total`: a busy workspace's week is counted in the database,
    never loaded whole.
    """
    shown: list[str] = []
    size = 0
    for line in lines[:LINES_LIMIT]:
        if size + len(line) + 1 > SECTION_LIMIT:
            break
        shown.append(line)
        size += len(line) + 1
    rest = total - len(shown)
    if rest:
        shown.append(f"\u2026and {rest} more.")
    return [Heading(title), Paragraph("\n".join(shown))]


async def build(
    session: AsyncSession, workspace: Workspace, *, since: datetime, now: datetime
) -> Message:
    """The digest for `since`..`now`; a one-line message when nothing happened."""
    assert workspace.id is not None
    zone_now = short_date(now, _zone(workspace))
    read = await digests.period(
        session=session,
        workspace_id=workspace.id,
        since=since,
        now=now,
        decision_statuses=tuple(s for s in STATUS_LABELS if s not in ("new", "withdrawn")),
        limit=LINES_LIMIT,
    )
    new_ideas, ideas_total = read.new_ideas.rows, read.new_ideas.total
    decisions, decisions_total = read.decisions.rows, read.decisions.total
    in_progress, in_progress_total = read.in_progress.rows, read.in_progress.total
    credits, credits_total = read.credits.rows, read.credits.total
    if not (new_ideas or decisions or credits):
        return Message(summary="You said, we did: a quiet week", blocks=(Paragraph(QUIET_WEEK),))

    blocks: list[Block] = [
        Heading("You said, we did"),
        Context(f"What happened up to {zone_now}. Thank you to everyone who took part."),
    ]
    if new_ideas:
        # No names beside ideas: people agreed to be named to facilitators, not to a channel.
        lines = [f"#{idea.number}: {preview(idea.text, 140)}" for idea in new_ideas]
        blocks += _section(f"Ideas received ({ideas_total})", lines, ideas_total)
    if decisions:
        lines = [
            f"#{idea.number} \u201c{preview(idea.text, 100)}\u201d is now "
            f"{STATUS_LABELS[step.status].lower()}"
            + (f": {preview(step.note, 160)}" if step.note else ".")
            for step, idea in decisions
        ]
        blocks += _section("Decisions", lines, decisions_total)
    if in_progress:
        lines = [f"#{i.number}: {preview(i.text, 140)}" for i in in_progress]
        blocks += _section("Work in progress", lines, in_progress_total)
    if credits:
        lines = [
            f"Thank you, {_all_thanked(people)}, for {preview(c.reason, 160)}"
            for c, people in credits
        ]
        blocks += _section("Credits and thanks", lines, credits_total)
    coming = await _coming_next(session, workspace, now)
    if coming:
        blocks += _section("Coming next", coming, len(coming))
    follow = new_ideas[:5]
    if follow:
        blocks.append(
            Buttons(
                tuple(Button(f"Follow #{i.number}", "idea.follow", str(i.number)) for i in follow)
            )
        )
    return Message(summary="You said, we did: this week's digest", blocks=tuple(blocks))


async def _coming_next(session: AsyncSession, workspace: Workspace, now: datetime) -> list[str]:
    assert workspace.id is not None
    lines: list[str] = []
    planned = await digests.next_planned_meeting(
        session=session, workspace_id=workspace.id, now=now
    )
    if planned is not None and planned.scheduled_for is not None:
        zone = _zone(workspace)
        when = as_utc(planned.scheduled_for).astimezone(zone)
        day = f"{when:%a} {short_date(when, zone)} at {when:%H:%M}"
        lines.append(f"Next meeting: \u201c{planned.title}\u201d, {day}")
    for meeting in await digests.open_reflection_windows(
        session=session, workspace_id=workspace.id
    ):
        lines.append(f"Afterthoughts on \u201c{meeting.title}\u201d are still welcome.")
    agenda = await digests.proposed_agenda_count(session=session, workspace_id=workspace.id)
    if agenda:
        items = f"{agenda} agenda item{'s' if agenda != 1 else ''}"
        lines.append(f"{items} proposed for the next session: /agenda to see and vote.")
    return lines


def _zone(workspace: Workspace) -> ZoneInfo:
    return ZoneInfo(workspace.timezone)


def _all_thanked(people: list[Person]) -> str:
    """Everyone one credit thanks, named unless they asked not to be (public thanks is the
    point of a credit): "Ann, Ben and 2 other group members"."""
    named = [name_of(p, "") for p in people if p.public_thanks and p.display_name]
    others = len(people) - len(named)
    if others and named:
        named.append(f"{others} other group member{'s' if others > 1 else ''}")
    elif others:
        named.append("a group member" if others == 1 else f"{others} group members")
    if len(named) == 1:
        return named[0]
    return ", ".join(named[:-1]) + " and " + named[-1]


def period_start(workspace: Workspace, now: datetime) -> datetime:
    """Where this digest's period starts: the last digest, or a week ago."""
    if workspace.last_digest_at is not None:
        return as_utc(workspace.last_digest_at)
    return now - timedelta(days=7)
