"""Repository functions for meetings and their participants."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Meeting, MeetingParticipant, Person
from storage.upserts import insert_if_absent


async def current_meeting(
    *, session: AsyncSession, workspace_id: int, channel_id: str, status: str
) -> Meeting | None:
    """The newest meeting in a channel with this status."""
    query = (
        select(Meeting)
        .where(
            Meeting.workspace_id == workspace_id,
            Meeting.channel_id == channel_id,
            Meeting.status == status,
        )
        .order_by(col(Meeting.id).desc())
    )
    return (await session.exec(query)).first()


async def add_participants(
    *, session: AsyncSession, meeting_id: int, person_ids: Sequence[int]
) -> None:
    for person_id in person_ids:
        await insert_if_absent(
            session,
            MeetingParticipant,
            {"meeting_id": meeting_id, "person_id": person_id},
            ["meeting_id", "person_id"],
        )


async def participants(
    *, session: AsyncSession, meeting_id: int
) -> list[tuple[MeetingParticipant, Person]]:
    query = (
        select(MeetingParticipant, Person)
        .join(Person, col(Person.id) == MeetingParticipant.person_id)
        .where(MeetingParticipant.meeting_id == meeting_id)
        .order_by(col(MeetingParticipant.id))
    )
    return list((await session.exec(query)).all())


async def open_reflection_for(
    *, session: AsyncSession, person_id: int, now: datetime
) -> tuple[Meeting, MeetingParticipant] | None:
    """The most recent meeting whose prompt this person got and whose window is still open."""
    query = (
        select(Meeting, MeetingParticipant)
        .join(MeetingParticipant, col(MeetingParticipant.meeting_id) == Meeting.id)
        .where(
            MeetingParticipant.person_id == person_id,
            col(MeetingParticipant.prompted_at).is_not(None),
            col(Meeting.closed_at).is_(None),
            col(Meeting.closes_at) > now,
        )
        .order_by(col(Meeting.ended_at).desc())
    )
    row = (await session.exec(query)).first()
    return (row[0], row[1]) if row else None


async def reflections_in_progress(*, session: AsyncSession) -> Sequence[Meeting]:
    """Ended meetings whose reflection window has not closed yet."""
    query = select(Meeting).where(
        col(Meeting.ended_at).is_not(None), col(Meeting.closed_at).is_(None)
    )
    return (await session.exec(query)).all()
