"""Repository functions for a person's record of involvement: time given, meetings attended."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Meeting, MeetingParticipant, TimeSpent, as_utc


async def add_time(
    *,
    session: AsyncSession,
    workspace_id: int,
    person_id: int,
    group_id: int | None,
    minutes: int,
    what: str,
    now: datetime,
) -> TimeSpent:
    entry = TimeSpent(
        workspace_id=workspace_id,
        person_id=person_id,
        group_id=group_id,
        minutes=minutes,
        what=what,
        added_at=now,
    )
    session.add(entry)
    await session.flush()
    return entry


async def time_of(*, session: AsyncSession, person_id: int) -> list[TimeSpent]:
    """The time a person has added, newest first."""
    query = (
        select(TimeSpent)
        .where(col(TimeSpent.person_id) == person_id)
        .order_by(col(TimeSpent.id).desc())
    )
    return list((await session.exec(query)).all())


@dataclass(frozen=True)
class Attended:
    meetings: int
    minutes: int  # from each meeting's start to its end


async def meetings_attended(*, session: AsyncSession, person_id: int) -> Attended:
    """The ended meetings a person took part in, and how long they ran."""
    query = (
        select(Meeting)
        .join(MeetingParticipant, col(MeetingParticipant.meeting_id) == Meeting.id)
        .where(
            col(MeetingParticipant.person_id) == person_id,
            col(MeetingParticipant.present).is_(True),
            col(Meeting.ended_at).is_not(None),
        )
    )
    meetings = (await session.exec(query)).all()
    minutes = 0
    for meeting in meetings:
        if meeting.started_at is not None and meeting.ended_at is not None:
            length = as_utc(meeting.ended_at) - as_utc(meeting.started_at)
            minutes += max(0, int(length.total_seconds() // 60))
    return Attended(len(meetings), minutes)
