"""When digests go out (`fri 16:00` in the workspace's time zone), and sending one."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.i18n import speaking
from bot.loop import digest
from bot.loop.channel_posts import in_channel_languages
from bot.loop.notify import queue_private
from bot.seam import message_codec
from bot.sessions.durations import parse_clock
from bot.sessions.when import WEEKDAYS
from storage import groups as group_store
from storage import outbox
from storage.database import Database
from storage.groups import get_group
from storage.models import Group, Workspace, as_utc, id_of
from storage.people import get_workspace

log = logging.getLogger("coproduce.digest")
GRACE = timedelta(hours=12)


def parse_schedule(text: str) -> tuple[int, int, int] | None:
    """`fri 16:00` → (weekday, hour, minute); None for `off` or anything unreadable."""
    day, _space, clock = text.strip().lower().partition(" ")
    moment = parse_clock(clock)
    if day[:3] not in WEEKDAYS or moment is None:
        return None
    return WEEKDAYS.index(day[:3]), moment.hour, moment.minute


def last_occurrence(schedule: str, timezone: str, now: datetime) -> datetime | None:
    """The most recent scheduled moment at or before `now`."""
    parsed = parse_schedule(schedule)
    if parsed is None:
        return None
    weekday, hour, minute = parsed
    zone = ZoneInfo(timezone)
    local = as_utc(now).astimezone(zone)
    days_back = (local.weekday() - weekday) % 7
    day = (local - timedelta(days=days_back)).date()
    moment = datetime(day.year, day.month, day.day, hour, minute, tzinfo=zone)
    if moment > local:
        moment -= timedelta(days=7)
    return moment.astimezone(now.tzinfo)


def next_occurrence(schedule: str, timezone: str, now: datetime) -> datetime | None:
    last = last_occurrence(schedule, timezone, now)
    if last is None:
        return None
    zone = ZoneInfo(timezone)
    local = last.astimezone(zone) + timedelta(days=7)
    moment = datetime(local.year, local.month, local.day, local.hour, local.minute, tzinfo=zone)
    return moment.astimezone(now.tzinfo)


def destination(group: Group) -> tuple[str | None, str | None]:
    """Where the group's digest goes: its digest channel if set, else its own channel."""
    if group.digest_channel:
        return group.digest_channel, group.digest_address
    return group.channel_id, group.channel_address


async def queue_digest(
    session: AsyncSession, workspace: Workspace, group: Group, *, key: str, now: datetime
) -> bool:
    """Build the group's digest and queue it for its channel."""
    channel, address = destination(group)
    if not channel:
        return False
    since = digest.period_start(group, now)
    # A channel post is for everyone in it: in the channel's languages, not the poster's own.
    message = await in_channel_languages(
        group.channel_language,
        lambda: digest.build(session, workspace, group, since=since, now=now),
    )
    added = await outbox.enqueue(
        session=session,
        key=key,
        workspace_id=id_of(workspace),
        kind="digest",
        message=message_codec.encode(message),
        channel_id=channel,
        channel_address=address,
        now=now,
    )
    if added:
        group.last_digest_at = now
        for person in await group_store.reached_elsewhere(session=session, group_id=id_of(group)):
            with speaking(person.language):
                own = await digest.build(session, workspace, group, since=since, now=now)
            await queue_private(
                session,
                person=person,
                key=f"{key}:p{person.id}",
                kind="digest",
                message=own,
                now=now,
            )
    return added


async def send_scheduled(database: Database, group_id: int, now: datetime) -> bool:
    """The group's scheduled digest for the period that has just come due, once per period."""
    async with database.transaction() as session:
        group = await get_group(session=session, group_id=group_id, lock=True)
        workspace = (
            await get_workspace(session=session, workspace_id=group.workspace_id)
            if group is not None
            else None
        )
        if group is None or workspace is None:
            return False
        due = last_occurrence(group.digest_schedule, workspace.timezone, now)
        if due is None or now - due > GRACE:
            return False
        if group.last_digest_at is not None and as_utc(group.last_digest_at) >= due:
            return False  # this period's post went already (by hand, or before an upgrade)
        added = await queue_digest(
            session, workspace, group, key=f"digest:g{group_id}:{due:%Y%m%d%H%M}", now=now
        )
    if added:
        log.info("digest queued", extra={"group": group_id})
    return added
