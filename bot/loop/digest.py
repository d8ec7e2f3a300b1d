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

from bot.contributions.ideas import STATUS_LABELS, preview, status_label
from bot.i18n import N_, _, n_
from bot.seam.messages import Block, Button, Buttons, Context, Heading, Message, Paragraph
from bot.sessions.dates import moment, short_date
from bot.turn import name_of
from storage import digests
from storage.models import Group, Idea, Person, StatusChange, Workspace, as_utc, id_of

SECTION_LIMIT = 2800  # characters, inside Slack's 3,000 for a section
LINES_LIMIT = 12
QUIET_WEEK = N_(
    "A quiet week: no new ideas, decisions or thanks. Thank you all, and ideas are welcome "
    "any time."
)


def decision_line(step: StatusChange, idea: Idea) -> str:
    """One decision as "You said, we did" tells it: the idea, what it is now, and why."""
    return _(
        "#{number} \u201c{text}\u201d is now {status}",
        number=idea.number,
        text=preview(idea.text, 100),
        status=status_label(step.status).lower(),
    ) + (f": {preview(step.note, 160)}" if step.note else ".")


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
        shown.append(_("\u2026and {count} more.", count=rest))
    return [Heading(title), Paragraph("\n".join(shown))]


async def build(
    session: AsyncSession, workspace: Workspace, group: Group, *, since: datetime, now: datetime
) -> Message:
    """The group's digest for `since`..`now`; a one-line message when nothing happened."""
    zone_now = short_date(now, _zone(workspace))
    read = await digests.period(
        session=session,
        group_id=id_of(group),
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
        return Message(
            summary=_("You said, we did: a quiet week"), blocks=(Paragraph(_(QUIET_WEEK)),)
        )

    blocks: list[Block] = [
        Heading(_("You said, we did")),
        Context(
            _("What happened up to {date}. Thank you to everyone who took part.", date=zone_now)
        ),
    ]
    if new_ideas:
        # No names beside ideas: people agreed to be named to facilitators, not to a channel.
        lines = [f"#{idea.number}: {preview(idea.text, 140)}" for idea in new_ideas]
        blocks += _section(_("Ideas received ({count})", count=ideas_total), lines, ideas_total)
    if decisions:
        lines = [decision_line(step, idea) for step, idea in decisions]
        blocks += _section(_("Decisions"), lines, decisions_total)
    if in_progress:
        lines = [f"#{i.number}: {preview(i.text, 140)}" for i in in_progress]
        blocks += _section(_("Work in progress"), lines, in_progress_total)
    if credits:
        lines = [
            _(
                "Thank you, {names}, for {reason}",
                names=_all_thanked(people),
                reason=preview(c.reason, 160),
            )
            for c, people in credits
        ]
        blocks += _section(_("Thanks"), lines, credits_total)
    coming = await _coming_next(session, workspace, group, now)
    if coming:
        blocks += _section(_("Coming next"), coming, len(coming))
    follow = new_ideas[:5]
    if follow:
        blocks.append(
            Buttons(
                tuple(
                    Button(_("Follow #{number}", number=i.number), "idea.follow", str(i.number))
                    for i in follow
                )
            )
        )
    return Message(summary=_("You said, we did: this week's news"), blocks=tuple(blocks))


async def _coming_next(
    session: AsyncSession, workspace: Workspace, group: Group, now: datetime
) -> list[str]:
    lines: list[str] = []
    planned = await digests.next_planned_meeting(session=session, group_id=id_of(group), now=now)
    if planned is not None and planned.scheduled_for is not None:
        day = moment(planned.scheduled_for, _zone(workspace))
        lines.append(_("Next meeting: \u201c{title}\u201d, {when}", title=planned.title, when=day))
    for meeting in await digests.open_reflection_windows(session=session, group_id=id_of(group)):
        lines.append(
            _("Afterthoughts on \u201c{title}\u201d are still welcome.", title=meeting.title)
        )
    agenda = await digests.proposed_agenda_count(session=session, group_id=id_of(group))
    if agenda:
        lines.append(
            n_(
                "{count} agenda item proposed for the next session: /agenda to see and vote.",
                "{count} agenda items proposed for the next session: /agenda to see and vote.",
                agenda,
            )
        )
    return lines


def _zone(workspace: Workspace) -> ZoneInfo:
    return ZoneInfo(workspace.timezone)


def _all_thanked(people: list[Person]) -> str:
    """Everyone one credit thanks, named unless they asked not to be (public thanks is the
    point of a credit): "Ann, Ben and 2 other group members"."""
    named = [name_of(p, "") for p in people if p.public_thanks and p.display_name]
    others = len(people) - len(named)
    if others and named:
        named.append(n_("{count} other group member", "{count} other group members", others))
    elif others:
        named.append(n_("a group member", "{count} group members", others))
    if len(named) == 1:
        return named[0]
    return _("{some} and {last}", some=", ".join(named[:-1]), last=named[-1])


def period_start(group: Group, now: datetime) -> datetime:
    """Where this digest's period starts: the group's last digest, or a week ago."""
    if group.last_digest_at is not None:
        return as_utc(group.last_digest_at)
    return now - timedelta(days=7)
