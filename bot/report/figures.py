"""The impact report's figures for one group and one period, and the rows of its CSV files.

The rules live here: what counts as a decision, when a loop is closed, and that nothing about
taking part is shown for fewer than 5 people (the same floor as /coproduce participation). An
anonymous idea, or one whose author has been erased, never carries a name.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TypedDict
from zoneinfo import ZoneInfo

from babel.dates import format_date
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.contributions.ideas import status_label
from bot.i18n import _
from bot.loop.digest import decision_line
from bot.report.periods import Period
from bot.sessions.dates import locale, short_date
from bot.trust.quiet_voices import MIN_GROUP_FOR_AGGREGATES
from storage import report as store
from storage.models import Group, Workspace, as_utc, id_of

YOU_SAID_LINES = 30
MINUTES_PER_HOUR = 60


class Window(TypedDict):
    """The arguments every period query of storage/report.py takes."""

    session: AsyncSession
    group_id: int
    start: datetime
    end: datetime


@dataclass(frozen=True)
class Bar:
    label: str
    value: int


@dataclass(frozen=True)
class MeetingRow:
    title: str
    date: str
    present: int
    participants: int
    hours: str
    afterthoughts: int | None  # None: too few people there to show it


@dataclass(frozen=True)
class Report:
    group: str
    period: Period
    ideas_received: int
    ideas_by_month: list[Bar]
    decisions: list[Bar]
    decisions_total: int
    decided: int
    median_days: str | None
    spread_days: tuple[str, str] | None  # the middle half: first and third quartiles
    loops_closed: int
    meetings: list[MeetingRow]
    meeting_hours: str
    other_hours: str
    total_hours: str
    credits: int
    members: int
    participants: int | None  # None: too few members to show it
    you_said: list[str]
    you_said_more: int

    @property
    def loops_closed_share(self) -> int | None:
        if not self.ideas_received:
            return None
        return round(100 * self.loops_closed / self.ideas_received)


def hours(minutes: int) -> str:
    """Hours with two decimals, as finance teams pay them: `1.50`."""
    return f"{minutes / MINUTES_PER_HOUR:.2f}"


def _days(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def _months(period: Period, zone: ZoneInfo, received: list[datetime]) -> list[Bar]:
    counts: dict[tuple[int, int], int] = {}
    cursor = period.start.astimezone(zone).replace(day=1)
    last = (period.end - timedelta(microseconds=1)).astimezone(zone)
    while (cursor.year, cursor.month) <= (last.year, last.month):
        counts[(cursor.year, cursor.month)] = 0
        cursor = cursor.replace(year=cursor.year + cursor.month // 12, month=cursor.month % 12 + 1)
    for moment in received:
        local = moment.astimezone(zone)
        key = (local.year, local.month)
        counts[key] = counts.get(key, 0) + 1
    return [
        Bar(format_date(datetime(year, month, 1), "MMM y", locale=locale()), count)
        for (year, month), count in sorted(counts.items())
    ]


async def build(
    session: AsyncSession, workspace: Workspace, group: Group, period: Period
) -> Report:
    zone = ZoneInfo(workspace.timezone)
    group_id = id_of(group)
    window = Window(session=session, group_id=group_id, start=period.start, end=period.end)
    received = await store.ideas_received(**window)
    unheard = await store.unheard_ideas(session=session, workspace_id=id_of(workspace))
    waits = [
        (as_utc(r.decided_at) - r.created_at).total_seconds() / 86400
        for r in received
        if r.decided_at is not None
    ]
    spread = statistics.quantiles(waits, n=4) if len(waits) > 1 else None
    by_status = await store.decisions_by_status(**window)
    meetings = await store.meetings(**window)
    meeting_minutes = 0
    rows = []
    for meeting in meetings:
        minutes = 0
        if meeting.ended_at is not None:
            minutes = max(0, int((meeting.ended_at - meeting.started_at).total_seconds() // 60))
        meeting_minutes += minutes * meeting.present
        rows.append(
            MeetingRow(
                title=meeting.title,
                date=short_date(meeting.started_at, zone),
                present=meeting.present,
                participants=meeting.participants,
                hours=hours(minutes),
                afterthoughts=(
                    meeting.afterthoughts if meeting.present >= MIN_GROUP_FOR_AGGREGATES else None
                ),
            )
        )
    other_minutes = await store.minutes_given(**window)
    members = await store.member_count(session=session, group_id=group_id)
    participants = (
        await store.named_participants(**window) if members >= MIN_GROUP_FOR_AGGREGATES else None
    )
    news = await store.recent_decisions(**window, limit=YOU_SAID_LINES)
    you_said = [decision_line(step, idea) for step, idea in news]
    return Report(
        group=group.name,
        period=period,
        ideas_received=len(received),
        ideas_by_month=_months(period, zone, [r.created_at for r in received]),
        decisions=[
            Bar(status_label(status), by_status.get(status, 0)) for status in store.DECISIONS
        ],
        decisions_total=sum(by_status.values()),
        decided=len(waits),
        median_days=_days(statistics.median(waits)) if waits else None,
        spread_days=(_days(spread[0]), _days(spread[2])) if spread else None,
        loops_closed=sum(
            1 for r in received if r.decided_at is not None and r.idea_id not in unheard
        ),
        meetings=rows,
        meeting_hours=hours(meeting_minutes),
        other_hours=hours(other_minutes),
        total_hours=hours(meeting_minutes + other_minutes),
        credits=await store.credits_given(**window),
        members=members,
        participants=participants,
        you_said=you_said,
        you_said_more=max(0, sum(by_status.values()) - len(you_said)),
    )


def _local_date(value: datetime | None, zone: ZoneInfo) -> str:
    return "" if value is None else as_utc(value).astimezone(zone).date().isoformat()


async def ideas_rows(
    session: AsyncSession, workspace: Workspace, group: Group, period: Period
) -> list[list[str]]:
    """ideas.csv: one row per idea received, named only when it was shared with a name by
    someone who is still here."""
    zone = ZoneInfo(workspace.timezone)
    lines = await store.idea_lines(
        session=session, group_id=id_of(group), start=period.start, end=period.end
    )
    header = [
        _("Idea"),
        _("Received"),
        _("Status"),
        _("First decision"),
        _("Days to decision"),
        _("Shared by"),
        _("Idea text"),
    ]
    rows = [header]
    for line in lines:
        waited = (
            _days((line.decided_at - line.created_at).total_seconds() / 86400)
            if line.decided_at
            else ""
        )
        author = "" if line.anonymous or line.author_name is None else line.author_name
        rows.append(
            [
                f"#{line.number}",
                _local_date(line.created_at, zone),
                status_label(line.status),
                _local_date(line.decided_at, zone),
                waited,
                author,
                line.text,
            ]
        )
    return rows


async def involvement_rows(
    session: AsyncSession, workspace: Workspace, group: Group, period: Period
) -> list[list[str]]:
    """involvement.csv: one row per named person, for paying people for their time."""
    lines = await store.involvement(
        session=session, group_id=id_of(group), start=period.start, end=period.end
    )
    header = [
        _("Name"),
        _("Id"),
        _("Meetings attended"),
        _("Meeting hours"),
        _("Other hours"),
        _("Total hours"),
        _("Thanks received"),
    ]
    rows = [header]
    for line in lines:
        rows.append(
            [
                line.name,
                line.email or f"{workspace.platform}:{line.platform_id}",
                str(line.meetings),
                hours(line.meeting_minutes),
                hours(line.other_minutes),
                hours(line.meeting_minutes + line.other_minutes),
                str(line.credits),
            ]
        )
    return rows
