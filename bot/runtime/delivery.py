"""Delivering the outbox: the platform-neutral worker and the contract messengers fulfil.

Rows are sent one at a time, so a crash can repeat at most the one message in flight. Pacing
per recipient or channel, and every wait after a rate limit, are decided here, not by an SDK.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from cachetools import LRUCache
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.i18n import _, n_, speaking
from bot.seam import message_codec
from bot.seam.messages import Message, Paragraph
from storage import groups as group_store
from storage import outbox, people
from storage.database import Database
from storage.models import OutboxDelivery, Role, as_utc, id_of, utcnow

log = logging.getLogger("coproduce.delivery")

MAX_ATTEMPTS = 8
MAX_BACKOFF = timedelta(minutes=10)
# A platform's pause at most this long is waited out in place rather than rescheduled.
SHORT_PAUSE = timedelta(seconds=2)
ALERT_KIND = "delivery-alert"


@dataclass(frozen=True)
class Recipient:
    """Where one outbox row goes: a person's private chat, or a channel."""

    platform: str
    workspace: str
    person: str | None = None
    address: str | None = None
    channel: str | None = None


class RateLimited(Exception):
    """The platform said 429; wait `retry_after` seconds before sending there again."""

    def __init__(self, retry_after: float) -> None:
        super().__init__(f"rate limited for {retry_after}s")
        self.retry_after = retry_after


class DeliveryFailed(Exception):
    """A send failed; `permanent` means retrying cannot help (user gone, bot removed)."""

    def __init__(self, code: str, *, permanent: bool) -> None:
        super().__init__(code)
        self.code = code
        self.permanent = permanent


class Messenger(Protocol):
    """One platform's way of delivering a neutral message to a recipient."""

    pacing_interval: float
    # The gap between any two messages to one workspace (0: none), so that a fan-out to many
    # people keeps under the platform's workspace-wide limit instead of running into 429s.
    workspace_pacing_interval: float

    def pacing_key(self, recipient: Recipient) -> str: ...

    async def deliver(self, recipient: Recipient, message: Message) -> str | None:
        """Send; return a new private address for the person when one was created."""
        ...


def backoff(attempt: int) -> timedelta:
    """Exponential backoff with jitter: 2s, 4s, 8s … capped at ten minutes."""
    seconds = min(2.0**attempt, MAX_BACKOFF.total_seconds())
    return timedelta(seconds=seconds * random.uniform(0.8, 1.2))


class OutboxWorker:
    """Sends due outbox rows through the messenger of each row's platform."""

    def __init__(
        self,
        *,
        database: Database,
        messengers: Mapping[str, Messenger],
        lease: timedelta = timedelta(seconds=60),
        clock: Callable[[], datetime] = utcnow,
        max_attempts: int = MAX_ATTEMPTS,
    ) -> None:
        self.database = database
        self.messengers = messengers
        self.lease = lease
        self.clock = clock
        self.max_attempts = max_attempts
        # Bounded: one entry per recipient or workspace ever paced would grow for ever. An
        # entry pushed out is an old one, whose pause is long over.
        self._paced_until: LRUCache[str, datetime] = LRUCache(maxsize=PACING_ENTRIES)
        self._limited_until: LRUCache[str, datetime] = LRUCache(maxsize=PACING_ENTRIES)
        self._workspace_next: LRUCache[str, float] = LRUCache(maxsize=PACING_ENTRIES)
        self._wake = asyncio.Event()
        self._settling = DeliveredTogether(database, clock)
        self.delivered = 0
        self.failed = 0

    def wake(self) -> None:
        """Something was just enqueued in this process: look now instead of at the next poll."""
        self._wake.set()

    async def deliver_due(self) -> int:
        """Send every row that is due now; returns how many were delivered."""
        sent = 0
        while True:
            outcome = await self._deliver_one()
            if outcome is None:
                return sent
            sent += outcome

    async def run(self, stop: asyncio.Event, *, poll: float = 1.0) -> None:
        """Deliver until `stop` is set, sleeping until the next due row, a wake-up or `poll`."""
        while not stop.is_set():
            try:
                await self.deliver_due()
                async with self.database.reading() as session:
                    due = await outbox.next_due_at(session=session)
            except Exception as error:  # a database blip must not end the worker
                log.warning("delivery loop error", extra={"error": type(error).__name__})
                due = None
            wait = poll
            if due is not None:
                wait = max(0.0, min(poll, (as_utc(due) - self.clock()).total_seconds()))
            self._wake.clear()
            waiters = {asyncio.ensure_future(stop.wait()), asyncio.ensure_future(self._wake.wait())}
            _, pending = await asyncio.wait(
                waiters, timeout=wait or 0.01, return_when=asyncio.FIRST_COMPLETED
            )
            for task in pending:
                task.cancel()

    async def deliver_claimed(self, claimed: Sequence[tuple[OutboxDelivery, Recipient]]) -> int:
        """Send rows this process queued already claimed (replies, right after their commit).

        The rows and recipients come from the transaction that wrote them: nothing to re-read.
        """
        sent = 0
        for row, recipient in claimed:
            sent += await self._send(row, recipient, paced=False)
        return sent

    async def _deliver_one(self) -> int | None:
        """Claim and send one row: 1 if delivered, 0 if it was put back, None if none due."""
        async with self.database.transaction() as session:
            row = await outbox.claim_next(session=session, now=self.clock(), lease=self.lease)
            if row is None:
                return None
            recipient = await self._recipient(session, row)
        return await self._send(row, recipient)

    async def _send(self, row: OutboxDelivery, recipient: Recipient, *, paced: bool = True) -> int:
        """Send one claimed row and settle it: 1 if delivered, 0 if it was put back.

        `paced=False` skips the gap between messages to one chat (a reply to what someone just
        sent need not wait), never a pause the platform asked for with a 429.
        """
        now = self.clock()
        messenger = self.messengers.get(recipient.platform)
        if messenger is None:
            await self._fail(row, recipient, "no messenger for platform")
            return 0
        key = messenger.pacing_key(recipient)
        # A 429 may be about the whole workspace, not one channel: it pauses both.
        scope = f"{recipient.platform}:{recipient.workspace}"
        limited = max(self._limited_until.get(key, now), self._limited_until.get(scope, now))
        if timedelta(0) < limited - now <= SHORT_PAUSE:
            # Every row of this workspace would wait just as long: waiting here spares a
            # reschedule of each of them (a 500-person fan-out otherwise rewrote 500 rows).
            await asyncio.sleep((limited - now).total_seconds())
            now = self.clock()
        waits = [limited] + ([self._paced_until.get(key, now)] if paced else [])
        if max(waits) > now:
            async with self.database.transaction() as session:
                await outbox.reschedule(
                    session=session,
                    row_id=id_of(row),
                    at=max(waits),
                    error=None,
                    count_attempt=False,
                )
            return 0
        self._paced_until[key] = now + timedelta(seconds=messenger.pacing_interval)
        if paced:
            await self._keep_workspace_pace(scope, messenger.workspace_pacing_interval)
        try:
            new_address = await messenger.deliver(recipient, message_codec.decode(row.message))
        except RateLimited as limit:
            until = self.clock() + timedelta(seconds=max(limit.retry_after, 0.0))
            self._limited_until[key] = self._limited_until[scope] = until
            log.info("rate limited", extra={"delivery": row.id, "retry_after": limit.retry_after})
            async with self.database.transaction() as session:
                await outbox.reschedule(
                    session=session,
                    row_id=id_of(row),
                    at=until,
                    error="rate_limited",
                    count_attempt=False,
                )
            return 0
        except DeliveryFailed as failure:
            await self._retry_or_fail(row, recipient, failure.code, permanent=failure.permanent)
            return 0
        except Exception as error:  # network errors and anything unforeseen: try again later
            await self._retry_or_fail(row, recipient, type(error).__name__, permanent=False)
            return 0
        if new_address and row.person_id is not None:
            async with self.database.transaction() as session:
                await outbox.mark_delivered(
                    connection=await session.connection(), row_ids=[id_of(row)], now=now
                )
                person = await people.get_person(session=session, person_id=row.person_id)
                if person is not None:
                    person.direct_address = new_address
        else:
            await self._settling.delivered(id_of(row))
        self.delivered += 1
        log.info("delivered", extra={"delivery": row.id, "kind": row.kind})
        return 1

    async def _keep_workspace_pace(self, scope: str, interval: float) -> None:
        """Wait out the (sub-second) gap since the last message to this workspace.

        Rows go one at a time, so waiting here costs nothing that rescheduling would not, and
        saves a database round trip per row. Real time, not `clock`: this is about the wire.
        """
        if interval <= 0:
            return
        now = time.monotonic()
        slot = max(now, self._workspace_next.get(scope, now))
        self._workspace_next[scope] = slot + interval
        if slot > now:
            await asyncio.sleep(slot - now)

    async def _recipient(self, session: AsyncSession, row: OutboxDelivery) -> Recipient:
        workspace = await people.get_workspace(session=session, workspace_id=row.workspace_id)
        assert workspace is not None  # a foreign key holds it
        person = (
            await people.get_person(session=session, person_id=row.person_id)
            if row.person_id
            else None
        )
        return Recipient(
            platform=(person.platform if person else None) or workspace.platform,
            workspace=workspace.external_id,
            person=person.external_id if person else None,
            address=person.direct_address if person else row.channel_address,
            channel=row.channel_id,
        )

    async def _retry_or_fail(
        self, row: OutboxDelivery, recipient: Recipient, code: str, *, permanent: bool
    ) -> None:
        if permanent or row.attempts >= self.max_attempts:
            await self._fail(row, recipient, code)
            return
        log.info("delivery will be retried", extra={"delivery": row.id, "error": code})
        async with self.database.transaction() as session:
            await outbox.reschedule(
                session=session,
                row_id=id_of(row),
                at=self.clock() + backoff(row.attempts),
                error=code,
            )

    async def _fail(self, row: OutboxDelivery, recipient: Recipient, code: str) -> None:
        """Give up on a row and tell the workspace's admins, by delivery id, never by content."""
        self.failed += 1
        log.warning("delivery failed", extra={"delivery": row.id, "kind": row.kind, "error": code})
        now = self.clock()
        async with self.database.transaction() as session:
            await outbox.mark_failed(session=session, row_id=id_of(row), error=code)
            if row.kind == ALERT_KIND:
                return
            # A channel post that fails is the group's business: its facilitators can mend it.
            admins = await people.with_roles(
                session=session, workspace_id=row.workspace_id, roles=(Role.ADMIN,)
            )
            if row.person_id is None and row.channel_id:
                admins += await group_store.facilitators_of_channel(
                    session=session, workspace_id=row.workspace_id, channel_id=row.channel_id
                )
            for admin in admins:
                with speaking(admin.language):
                    alert = failure_notice(row, code)
                await outbox.enqueue(
                    session=session,
                    key=f"alert:{row.id}:{admin.id}",
                    workspace_id=row.workspace_id,
                    person_id=admin.id,
                    kind=ALERT_KIND,
                    message=message_codec.encode(alert),
                    now=now,
                )


def failure_notice(row: OutboxDelivery, code: str) -> Message:
    """What admins (and, for a channel post, facilitators) read when a message is given up on:
    which message, where, what the platform said, and what to check. Never its content."""
    tries = n_("{count} try", "{count} tries", row.attempts)
    if row.person_id is None:
        what = (
            _("The weekly \u201cYou said, we did\u201d post")
            if row.kind == "digest"
            else _("A post")
        )
        return Message(
            summary=_("{what} could not be posted in the group's channel.", what=what),
            blocks=(
                Paragraph(
                    _(
                        "{what} (delivery #{id}) could not be posted in the channel {channel} "
                        "after {tries}. The platform said: {code}.",
                        what=what,
                        id=row.id,
                        channel=row.channel_id,
                        tries=tries,
                        code=code,
                    )
                ),
                Paragraph(
                    _(
                        "Please check that Coproduce is still in that channel. On Slack, type "
                        "/invite @Coproduce there. Or choose another channel with /coproduce "
                        "settings digest-channel here. Then /digest sends it again."
                    )
                ),
            ),
        )
    return Message(
        summary=_("A private message could not be delivered."),
        blocks=(
            Paragraph(
                _(
                    "A private message from Coproduce (delivery #{id}, a {kind}) could not be "
                    "delivered after {tries}. The platform said: {code}.",
                    id=row.id,
                    kind=row.kind,
                    tries=tries,
                    code=code,
                )
            ),
            Paragraph(
                _(
                    "The person may have left the workspace or blocked the bot. "
                    "docs/operations.md explains what to check."
                )
            ),
        ),
    )


PACING_ENTRIES = 10_000


class DeliveredTogether:
    """Marks sent rows delivered, the rows of many concurrent replies in one transaction.

    A row joins the next write as soon as it is sent; the rows sent while one write is under
    way go together in the one after it. Nothing waits for a batch to fill, so a quiet bot
    settles each reply at once, as before, and a busy one writes a few times instead of once
    per reply (on SQLite each write is a turn at the lock and a sync to disk). The moment in
    which a crash could send a reply twice is no longer than before: the write in progress.
    """

    def __init__(self, database: Database, clock: Callable[[], datetime]) -> None:
        self.database = database
        self.clock = clock
        self._waiting: list[tuple[int, asyncio.Future[None]]] = []
        self._writer: asyncio.Task[None] | None = None

    async def delivered(self, row_id: int) -> None:
        """Return once the row is marked delivered (raises if that write failed)."""
        done = asyncio.get_running_loop().create_future()
        self._waiting.append((row_id, done))
        if self._writer is None:
            self._writer = asyncio.get_running_loop().create_task(self._write_all())
        await done

    async def _write_all(self) -> None:
        try:
            while self._waiting:
                batch, self._waiting = self._waiting, []
                try:
                    async with self.database.single_statements() as connection:
                        await outbox.mark_delivered(
                            connection=connection,
                            row_ids=[row for row, _done in batch],
                            now=self.clock(),
                        )
                except Exception as error:
                    for _row, done in batch:
                        if not done.done():
                            done.set_exception(error)
                else:
                    for _row, done in batch:
                        if not done.done():
                            done.set_result(None)
        finally:
            self._writer = None


class ImmediateDelivery:
    """Sends the replies a request has just queued, in the background, after their commit.

    The platform gets its answer as soon as the change is committed, however slow its own API
    is; if this process dies before sending, the row's lease runs out and the worker sends it.
    """

    def __init__(self, worker: OutboxWorker) -> None:
        self.worker = worker
        self._tasks: set[asyncio.Task[None]] = set()

    @property
    def lease(self) -> timedelta:
        return self.worker.lease

    def start(self, claimed: Sequence[tuple[OutboxDelivery, Recipient]]) -> None:
        task = asyncio.get_running_loop().create_task(self._deliver(list(claimed)))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _deliver(self, claimed: list[tuple[OutboxDelivery, Recipient]]) -> None:
        try:
            await self.worker.deliver_claimed(claimed)
        except Exception as error:  # the rows stay claimed until their lease ends; no loss
            log.warning("immediate delivery failed", extra={"error": type(error).__name__})

    async def settled(self) -> None:
        """Wait until every reply started so far has been sent or put back."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)
