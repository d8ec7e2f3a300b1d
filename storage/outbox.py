"""Repository functions for the outbox: enqueue with a change, claim, settle."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, bindparam, func, insert, or_, update
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import DeliveryState, OutboxDelivery, table_of
from storage.results import as_read, rows_changed
from storage.statements import run
from storage.upserts import insert_if_absent


async def enqueue(
    *,
    session: AsyncSession,
    key: str,
    workspace_id: int,
    kind: str,
    message: str,
    now: datetime,
    person_id: int | None = None,
    channel_id: str | None = None,
    channel_address: str | None = None,
    not_before: datetime | None = None,
) -> bool:
    """Add one outgoing message in the caller's transaction; a repeated key adds nothing.
    `not_before` holds it back (quiet hours); otherwise it is due at once."""
    return await insert_if_absent(
        session,
        OutboxDelivery,
        {
            "idempotency_key": key,
            "workspace_id": workspace_id,
            "person_id": person_id,
            "channel_id": channel_id,
            "channel_address": channel_address,
            "kind": kind,
            "message": message,
            "next_attempt_at": max(now, not_before or now),
            "created_at": now,
        },
        ["idempotency_key"],
    )


async def enqueue_claimed(
    *,
    session: AsyncSession,
    key: str,
    workspace_id: int,
    kind: str,
    message: str,
    lease_until: datetime,
    now: datetime,
    person_id: int | None = None,
    channel_id: str | None = None,
) -> OutboxDelivery:
    """Add one message already claimed by this process, which sends it after the commit.

    If the process dies first, the lease runs out and any worker takes the row over.
    """
    columns = {
        "idempotency_key": key,
        "workspace_id": workspace_id,
        "person_id": person_id,
        "channel_id": channel_id,
        "channel_address": None,
        "kind": kind,
        "message": message,
        "status": DeliveryState.SENDING,
        "attempts": 1,
        "next_attempt_at": now,
        "lease_until": lease_until,
        "last_error": None,
        "created_at": now,
        "delivered_at": None,
    }
    # A plain insert: the row is only read back by this process, from the object in hand.
    made = await run(session, _INSERT, columns)
    return as_read(OutboxDelivery, {"id": int(made.scalar_one()), **columns})


_INSERT = insert(table_of(OutboxDelivery)).returning(table_of(OutboxDelivery).c.id)


def _claimable(now: datetime) -> ColumnElement[bool]:
    return or_(
        (col(OutboxDelivery.status) == DeliveryState.PENDING)
        & (col(OutboxDelivery.next_attempt_at) <= now),
        (col(OutboxDelivery.status) == DeliveryState.SENDING)
        & (col(OutboxDelivery.lease_until) < now),
    )


async def claim_next(
    *, session: AsyncSession, now: datetime, lease: timedelta
) -> OutboxDelivery | None:
    """Take the next due row for this worker until `now + lease`.

    On PostgreSQL, SKIP LOCKED keeps concurrent workers off each other's rows; the guarded
    UPDATE makes the claim safe on SQLite too, where writers are serialised.
    """
    query = (
        select(OutboxDelivery.id)
        .where(_claimable(now))
        .order_by(col(OutboxDelivery.next_attempt_at), col(OutboxDelivery.id))
        .limit(1)
        .with_for_update(skip_locked=True)
    )
    row_id = (await session.exec(query)).first()
    if row_id is None:
        return None
    claimed = await session.execute(
        update(OutboxDelivery)
        .where(col(OutboxDelivery.id) == row_id, _claimable(now))
        .values(
            status=DeliveryState.SENDING,
            lease_until=now + lease,
            attempts=OutboxDelivery.attempts + 1,
        )
    )
    if rows_changed(claimed) != 1:
        return None
    row = await session.get(OutboxDelivery, row_id, populate_existing=True)
    return row


# A sent or abandoned message's words are not needed again, and can be a copy of what someone
# wrote (an idea, an afterthought): blanking them keeps no copy past the person's own chat, so
# withdrawal, retention and erasure leave nothing behind in the outbox.
SPENT = ""


async def mark_delivered(
    *, connection: AsyncConnection, row_ids: Sequence[int], now: datetime
) -> None:
    """Settle rows that have been sent, in one statement however many there are."""
    await connection.execute(_MARK_DELIVERED, {"rows": list(row_ids), "now": now})


# Built once: every reply ends here.
_MARK_DELIVERED = (
    update(OutboxDelivery)
    .where(col(OutboxDelivery.id).in_(bindparam("rows", expanding=True)))
    .values(
        status=DeliveryState.DELIVERED,
        delivered_at=bindparam("now"),
        lease_until=None,
        last_error=None,
        message=SPENT,
    )
)


async def reschedule(
    *,
    session: AsyncSession,
    row_id: int,
    at: datetime,
    error: str | None,
    count_attempt: bool = True,
) -> None:
    """Put a row back to wait; a rate limit or pacing wait does not count as an attempt."""
    values: dict[str, object] = {
        "status": "pending",
        "next_attempt_at": at,
        "lease_until": None,
        "last_error": error,
    }
    if not count_attempt:
        values["attempts"] = OutboxDelivery.attempts - 1
    await session.execute(
        update(OutboxDelivery).where(col(OutboxDelivery.id) == row_id).values(**values)
    )


async def mark_failed(*, session: AsyncSession, row_id: int, error: str) -> None:
    await session.execute(
        update(OutboxDelivery)
        .where(col(OutboxDelivery.id) == row_id)
        .values(
            status=DeliveryState.FAILED, lease_until=None, last_error=error[:255], message=SPENT
        )
    )


async def next_due_at(*, session: AsyncSession) -> datetime | None:
    """When the earliest waiting row becomes due, so an idle worker knows how long to sleep."""
    query = select(func.min(OutboxDelivery.next_attempt_at)).where(
        col(OutboxDelivery.status) == DeliveryState.PENDING
    )
    return (await session.exec(query)).first()


async def depth(*, session: AsyncSession) -> int:
    """How many rows are waiting or being sent."""
    query = select(func.count()).where(
        col(OutboxDelivery.status).in_((DeliveryState.PENDING, DeliveryState.SENDING))
    )
    return int((await session.exec(query)).one())
