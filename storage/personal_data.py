"""Everything stored about one person: read for export, removed for erasure.

`PERSON_COLUMNS` names every column that can refer to a person and what export and erasure do
with it. A test derives those columns from the schema (every foreign key to `person`, and every
column whose name says it holds a person) and fails on one missing here, so a new table cannot
be forgotten; another seeds every one of them and checks erasure empties them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import delete, update
from sqlmodel import col, or_, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import (
    AgendaItem,
    AgendaVote,
    AuditEntry,
    Contribution,
    Credit,
    Group,
    GroupMember,
    Guest,
    Idea,
    Meeting,
    MeetingParticipant,
    OutboxDelivery,
    Person,
    ReportLink,
    Role,
    StatusChange,
    TimeSpent,
    Workspace,
)
from storage.people import ERASED_PERSON, ensure_person

# column → (what export does, what erasure does). docs/privacy.md says the same in words.
PERSON_COLUMNS: dict[str, tuple[str, str]] = {
    "person.id": ("exported: their own record and settings", "deleted"),
    "person.external_id": ("exported", "deleted with the person"),
    "person.alias": ("exported", "deleted with the person"),
    "idea.author_id": (
        "exported: their ideas, anonymous ones included, with history",
        "deleted with their history, or kept anonymous under the placeholder, as they choose",
    ),
    "status_change.changed_by_id": (
        "not exported: a facilitator's decision about someone's idea belongs to that idea",
        "kept, pointing at the placeholder, shown as \u201ca facilitator\u201d",
    ),
    "credit.person_id": ("exported: credits received", "deleted"),
    "credit.given_by_id": (
        "not exported: thanks belong to the person thanked",
        "kept, pointing at the placeholder, shown as \u201ca facilitator\u201d",
    ),
    "contribution.person_id": ("exported: ideas they follow", "deleted"),
    "meeting.facilitator_id": (
        "exported: meetings they facilitated",
        "kept, pointing at the placeholder: the meeting belongs to the group",
    ),
    "meeting_participant.person_id": ("exported: meetings and their answer", "deleted"),
    "agenda_item.proposer_id": ("exported: agenda items they proposed", "deleted, with votes"),
    "agenda_vote.person_id": ("exported: the agenda items they voted for", "deleted"),
    "group_member.person_id": ("exported: the groups they are in, and their role", "deleted"),
    "time_spent.person_id": ("exported: the time they added to their record", "deleted"),
    "outbox_delivery.person_id": (
        "not exported: messages on their way to them, which they receive anyway",
        "deleted",
    ),
    "report_link.person_id": (
        "not exported: a sign-in link to the impact report, usable once within minutes",
        "deleted",
    ),
    "guest.person_id": (
        "exported: the email address a guest was invited at, when, and their email choice",
        "deleted: the address goes, and the link stops working",
    ),
    "guest.invited_by_id": (
        "not exported: an invitation belongs to the guest",
        "kept, pointing at the placeholder",
    ),
    "audit_entry.actor_id": ("not exported: ids and action names only", "unlinked (emptied)"),
    "audit_entry.subject_id": (
        "not exported: ids and action names only",
        "kept: the erasure's own entry records the former id and the mode, nothing else",
    ),
    "slack_installations.user_id": (
        "not exported: the Slack id of whoever installed the app, a workspace record",
        "replaced by the placeholder id",
    ),
}
# What erased people leave behind points here: a person with no name, address or platform id.
ERASED_ID = ERASED_PERSON


async def collect(*, session: AsyncSession, person: Person) -> dict[str, Any]:
    """The person's own data, and nothing that names anyone else."""
    own = (
        await session.exec(
            select(Idea).where(col(Idea.author_id) == person.id).order_by(col(Idea.number))
        )
    ).all()
    ids = [i.id for i in own]
    steps = (
        (
            await session.exec(
                select(StatusChange)
                .where(col(StatusChange.idea_id).in_(ids))
                .order_by(col(StatusChange.id))
            )
        ).all()
        if ids
        else []
    )
    credits = (await session.exec(select(Credit).where(col(Credit.person_id) == person.id))).all()
    numbers = {
        i.id: i.number
        for i in (
            await session.exec(
                select(Idea).where(col(Idea.id).in_([c.idea_id for c in credits if c.idea_id]))
            )
        ).all()
    }
    following = (
        await session.exec(
            select(Idea.number)
            .join(Contribution, col(Contribution.idea_id) == Idea.id)
            .where(col(Contribution.person_id) == person.id, col(Contribution.kind) == "following")
        )
    ).all()
    meetings = (
        await session.exec(
            select(Meeting, MeetingParticipant)
            .join(MeetingParticipant, col(MeetingParticipant.meeting_id) == Meeting.id)
            .where(col(MeetingParticipant.person_id) == person.id)
        )
    ).all()
    facilitated = (
        await session.exec(
            select(Meeting)
            .where(col(Meeting.facilitator_id) == person.id)
            .order_by(col(Meeting.id))
        )
    ).all()
    proposed = (
        await session.exec(
            select(AgendaItem)
            .where(col(AgendaItem.proposer_id) == person.id)
            .order_by(col(AgendaItem.id))
        )
    ).all()
    time_given = (
        await session.exec(
            select(TimeSpent)
            .where(col(TimeSpent.person_id) == person.id)
            .order_by(col(TimeSpent.id))
        )
    ).all()
    groups = (
        await session.exec(
            select(Group.name, GroupMember.role)
            .join(GroupMember, col(GroupMember.group_id) == Group.id)
            .where(col(GroupMember.person_id) == person.id)
            .order_by(col(Group.id))
        )
    ).all()
    voted = (
        await session.exec(
            select(AgendaItem.id)
            .join(AgendaVote, col(AgendaVote.item_id) == AgendaItem.id)
            .where(col(AgendaVote.person_id) == person.id)
        )
    ).all()
    return {
        "person": {
            "platform_user_id": person.external_id,
            "other_platform_id": person.alias,
            "display_name": person.display_name,
            "role": person.role,
            "anonymous_by_default": person.anonymous_default if person.anonymous_chosen else None,
            "language": person.language,
            "prompts_paused": person.paused,
            "prompts_paused_until": person.paused_until.isoformat()
            if person.paused_until
            else None,
            "nudges_off": person.nudges_off,
            "credits_named_in_digests": person.public_thanks,
            "first_seen": person.created_at.isoformat(),
            "privacy_note_acknowledged": person.consented_at.isoformat()
            if person.consented_at
            else None,
        },
        "ideas": [
            {
                "number": i.number,
                "text": i.text,
                "anonymous": i.anonymous,
                "source": i.source,
                "status": i.status,
                "shared": i.created_at.isoformat(),
                "history": [
                    {"status": s.status, "note": s.note, "when": s.changed_at.isoformat()}
                    for s in steps
                    if s.idea_id == i.id
                ],
            }
            for i in own
        ],
        "credits_received": [
            {"for": c.reason, "idea": numbers.get(c.idea_id), "when": c.created_at.isoformat()}
            for c in credits
        ],
        "following_ideas": sorted(following),
        "meetings": [
            {
                "title": m.title,
                "ended": m.ended_at.isoformat() if m.ended_at else None,
                "reflection_answer": p.response,
                "present": p.present,
            }
            for m, p in meetings
        ],
        "meetings_facilitated": [
            {"title": m.title, "ended": m.ended_at.isoformat() if m.ended_at else None}
            for m in facilitated
        ],
        "agenda_items_proposed": [
            {"item": f"A{a.id}", "text": a.text, "status": a.status} for a in proposed
        ],
        "agenda_items_voted_for": [f"A{item_id}" for item_id in sorted(i for i in voted if i)],
        "groups": [{"group": name, "role": role} for name, role in groups],
        "time_given": [
            {"minutes": t.minutes, "for": t.what, "added": t.added_at.isoformat()}
            for t in time_given
        ],
        "taking_part_as_a_guest": [
            {
                "email": g.email,
                "invited": g.invited_at.isoformat(),
                "emails_stopped": g.emails_off,
            }
            for g in (
                await session.exec(select(Guest).where(col(Guest.person_id) == person.id))
            ).all()
        ],
    }


async def erase(*, session: AsyncSession, person: Person, keep_ideas: bool, now: datetime) -> int:
    """Remove a person's data everywhere (every column in PERSON_COLUMNS). With `keep_ideas`,
    their ideas stay, anonymous and attributed to nobody; otherwise they are deleted with their
    history. What belongs to others (credits they gave, decisions they recorded, meetings they
    ran) stays, from the placeholder. Returns how many ideas were kept."""
    placeholder, _ = await ensure_person(
        session=session,
        workspace_id=person.workspace_id,
        external_id=ERASED_ID,
        display_name=None,
        initial_role=Role.MEMBER,
        now=now,
    )
    others = placeholder.id
    own_ids = list(
        (await session.exec(select(Idea.id).where(col(Idea.author_id) == person.id))).all()
    )
    if keep_ideas and own_ids:
        await session.execute(
            update(Idea).where(col(Idea.id).in_(own_ids)).values(author_id=others, anonymous=True)
        )
    elif own_ids:
        await session.execute(
            update(Credit).where(col(Credit.idea_id).in_(own_ids)).values(idea_id=None)
        )
        await session.execute(delete(Contribution).where(col(Contribution.idea_id).in_(own_ids)))
        await session.execute(delete(StatusChange).where(col(StatusChange.idea_id).in_(own_ids)))
        await session.execute(delete(Idea).where(col(Idea.id).in_(own_ids)))
    for model, column in (
        (Guest, Guest.invited_by_id),
        (StatusChange, StatusChange.changed_by_id),
        (Credit, Credit.given_by_id),
        (Meeting, Meeting.facilitator_id),
    ):
        await session.execute(
            update(model).where(col(column) == person.id).values({column: others})
        )
    proposed = select(AgendaItem.id).where(col(AgendaItem.proposer_id) == person.id)
    await session.execute(
        delete(AgendaVote).where(
            or_(col(AgendaVote.person_id) == person.id, col(AgendaVote.item_id).in_(proposed))
        )
    )
    await session.execute(delete(AgendaItem).where(col(AgendaItem.proposer_id) == person.id))
    await session.execute(delete(Credit).where(col(Credit.person_id) == person.id))
    await session.execute(delete(Contribution).where(col(Contribution.person_id) == person.id))
    await session.execute(
        delete(MeetingParticipant).where(col(MeetingParticipant.person_id) == person.id)
    )
    await session.execute(delete(OutboxDelivery).where(col(OutboxDelivery.person_id) == person.id))
    await session.execute(delete(GroupMember).where(col(GroupMember.person_id) == person.id))
    await session.execute(delete(TimeSpent).where(col(TimeSpent.person_id) == person.id))
    await session.execute(delete(ReportLink).where(col(ReportLink.person_id) == person.id))
    await session.execute(delete(Guest).where(col(Guest.person_id) == person.id))
    await session.execute(
        update(AuditEntry).where(col(AuditEntry.actor_id) == person.id).values(actor_id=None)
    )
    await _forget_installer(session, person)
    await session.execute(delete(Person).where(col(Person.id) == person.id))
    return len(own_ids) if keep_ideas else 0


async def _forget_installer(session: AsyncSession, person: Person) -> None:
    """slack_sdk's installation store keeps the installer's Slack id: the app stays installed,
    but no longer says who installed it."""
    workspace = await session.get(Workspace, person.workspace_id)
    if workspace is None or workspace.platform != "slack":
        return
    installations = sa.table("slack_installations", sa.column("user_id"), sa.column("team_id"))
    await session.execute(
        update(installations)
        .where(
            installations.c.user_id == person.external_id,
            installations.c.team_id == workspace.external_id,
        )
        .values(user_id=ERASED_ID)
    )
