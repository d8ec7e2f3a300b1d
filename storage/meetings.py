"""Repository functions for meetings and their participants."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Idea, Meeting, MeetingParticipant, Person, as_utc
from storage.upserts import insert_if_absent


async def current_meeting(
    *, session: AsyncSession, workspace_id: int, channel_id: str, status: str
) -> Meeting | None:
    """The newest meeting in a channel with this status."""
    query = (
        select(Meeting)
        .where(
            col(Meeting.workspace_id) == workspace_id,
            col(Meeting.channel_id) == channel_id,
            col(Meeting.status) == status,
        )
        .order_by(col(Meeting.id).desc())
    )
    return (await session.exec(query)).first()


async def planned_meetings(
    *, session: AsyncSession, workspace_id: int, channel_id: str
) -> list[Meeting]:
    """Meetings scheduled in a channel and not started yet."""
    query = select(Meeting).where(
        col(Meeting.workspace_id) == workspace_id,
        col(Meeting.channel_id) == channel_id,
        col(Meeting.status) == "scheduled",
    )
    return list((await session.exec(query)).all())


async def add_participants(
    *, session: AsyncSession, meeting_id: int, person_ids: Sequence[int], present: bool = True
) -> None:
    """People in the meeting; `present=False` for those the facilitator must tick (guests,
    whom the channel cannot see)."""
    for person_id in person_ids:
        await insert_if_absent(
            session,
            MeetingParticipant,
            {"meeting_id": meeting_id, "person_id": person_id, "present": present},
            ["meeting_id", "person_id"],
        )


async def participants(
    *, session: AsyncSession, meeting_id: int
) -> list[tuple[MeetingParticipant, Person]]:
    query = (
        select(MeetingParticipant, Person)
        .join(Person, col(Person.id) == MeetingParticipant.person_id)
        .where(col(MeetingParticipant.meeting_id) == meeting_id)
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
            col(MeetingParticipant.person_id) == person_id,
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


async def add_meeting(*, session: AsyncSession, meeting: Meeting) -> Meeting:
    """Store a new meeting and give it its id."""
    session.add(meeting)
    await session.flush()
    return meeting


async def get_meeting(
    *, session: AsyncSession, meeting_id: int, lock: bool = False
) -> Meeting | None:
    """The meeting; `lock` holds its row until the transaction ends (one step at a time)."""
    return await session.get(Meeting, meeting_id, with_for_update=lock)


async def participant(
    *, session: AsyncSession, meeting_id: int, person_id: int
) -> MeetingParticipant | None:
    query = select(MeetingParticipant).where(
        col(MeetingParticipant.meeting_id) == meeting_id,
        col(MeetingParticipant.person_id) == person_id,
    )
    return (await session.exec(query)).first()


async def afterthoughts(*, session: AsyncSession, meeting_id: int) -> list[tuple[Idea, Person]]:
    """The meeting's afterthoughts still standing, with their authors (for naming only those
    who chose to be named)."""
    query = (
        select(Idea, Person)
        .join(Person, col(Person.id) == Idea.author_id)
        .where(col(Idea.meeting_id) == meeting_id, col(Idea.status) != "withdrawn")
        .order_by(col(Idea.number))
    )
    return [(idea, person) for idea, person in (await session.exec(query)).all()]


async def count_answers(*, session: AsyncSession, meeting_id: int, response: str) -> int:
    query = select(func.count()).where(
        col(MeetingParticipant.meeting_id) == meeting_id,
        col(MeetingParticipant.response) == response,
    )
    return int((await session.exec(query)).one())


async def open_windows_for(
    *, session: AsyncSession, person_id: int, now: datetime
) -> list[Meeting]:
    """Meetings whose reflection window is open for this person (prompted, not yet closed)."""
    query = (
        select(Meeting)
        .join(MeetingParticipant, col(MeetingParticipant.meeting_id) == Meeting.id)
        .where(
            col(MeetingParticipant.person_id) == person_id,
            col(MeetingParticipant.prompted_at).is_not(None),
            col(Meeting.closed_at).is_(None),
        )
    )
    return [
        meeting
        for meeting in (await session.exec(query)).all()
        if meeting.closes_at is not None and as_utc(meeting.closes_at) > now
    ]
