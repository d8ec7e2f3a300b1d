"""Everything stored about one person: read for export, removed for erasure.

`PERSONAL_TABLES` names every table that can hold a person's data; a test checks it against the
schema, so a new table cannot be forgotten here.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, update
from sqlmodel import col, or_, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import (
    AuditEntry,
    Contribution,
    Credit,
    Idea,
    Meeting,
    MeetingParticipant,
    OutboxDelivery,
    Person,
    StatusChange,
)
from storage.people import ensure_person

PERSONAL_TABLES = {
    "person",
    "idea",
    "status_change",
    "credit",
    "contribution",
    "meeting_participant",
    "meeting",
    "outbox_delivery",
    "audit_entry",
    "agenda_item",
    "agenda_vote",
}
# Kept ideas of erased people point to this placeholder author, who has no name or address.
ERASED_ID = "erased-person"


async def collect(*, session: AsyncSession, person: Person) -> dict[str, Any]:
    """The person's own data, and nothing that names anyone else."""
    own = (
        await session.exec(
            select(Idea).where(Idea.author_id == person.id).order_by(col(Idea.number))
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
    credits = (await session.exec(select(Credit).where(Credit.person_id == person.id))).all()
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
            .where(Contribution.person_id == person.id, Contribution.kind == "following")
        )
    ).all()
    meetings = (
        await session.exec(
            select(Meeting, MeetingParticipant)
            .join(MeetingParticipant, col(MeetingParticipant.meeting_id) == Meeting.id)
            .where(MeetingParticipant.person_id == person.id)
        )
    ).all()
    return {
        "person": {
            "platform_user_id": person.external_id,
            "display_name": person.display_name,
            "role": person.role,
            "anonymous_by_default": person.anonymous_default if person.anonymous_chosen else None,
            "prompts_paused": person.paused,
            "nudges_off": person.nudges_off,
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
            }
            for m, p in meetings
        ],
    }


async def erase(*, session: AsyncSession, person: Person, keep_ideas: bool, now: datetime) -> int:
    """Remove a person's data everywhere. With `keep_ideas`, their ideas stay, anonymous and
    attributed to nobody; otherwise they are deleted with their history. Returns ideas kept."""
    own_ids = list((await session.exec(select(Idea.id).where(Idea.author_id == person.id))).all())
    if keep_ideas and own_ids:
        placeholder, _ = await ensure_person(
            session=session,
            workspace_id=person.workspace_id,
            external_id=ERASED_ID,
            display_name=None,
            initial_role="member",
            now=now,
        )
        await session.execute(
            update(Idea)
            .where(col(Idea.id).in_(own_ids))
            .values(author_id=placeholder.id, anonymous=True)
        )
    elif own_ids:
        await session.execute(
            update(Credit).where(col(Credit.idea_id).in_(own_ids)).values(idea_id=None)
        )
        await session.execute(delete(Contribution).where(col(Contribution.idea_id).in_(own_ids)))
        await session.execute(delete(StatusChange).where(col(StatusChange.idea_id).in_(own_ids)))
        await session.execute(delete(Idea).where(col(Idea.id).in_(own_ids)))
    await session.execute(
        update(StatusChange)
        .where(StatusChange.changed_by_id == person.id)
        .values(changed_by_id=None)
    )
    await session.execute(
        delete(Credit).where(or_(Credit.person_id == person.id, Credit.given_by_id == person.id))
    )
    await session.execute(delete(Contribution).where(Contribution.person_id == person.id))
    await session.execute(
        delete(MeetingParticipant).where(MeetingParticipant.person_id == person.id)
    )
    await session.execute(
        update(Meeting).where(Meeting.facilitator_id == person.id).values(facilitator_id=None)
    )
    await session.execute(delete(OutboxDelivery).where(OutboxDelivery.person_id == person.id))
    await session.execute(
        update(AuditEntry).where(AuditEntry.actor_id == person.id).values(actor_id=None)
    )
    await session.execute(delete(Person).where(Person.id == person.id))
    return len(own_ids) if keep_ideas else 0
