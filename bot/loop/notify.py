"""Queueing a private message for later delivery, inside the caller's transaction."""

from __future__ import annotations

from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.seam import message_codec
from bot.seam.messages import Message
from storage import outbox
from storage.models import Person


async def queue_private(
    session: AsyncSession,
    *,
    person: Person,
    key: str,
    kind: str,
    message: Message,
    now: datetime,
    not_before: datetime | None = None,
) -> bool:
    """One outbox row for one person; the same key twice queues nothing more."""
    return await outbox.enqueue(
        session=session,
        key=key,
        workspace_id=person.workspace_id,
        person_id=person.id,
        kind=kind,
        message=message_codec.encode(message),
        now=now,
        not_before=not_before,
    )
