"""The engine: one entry point that turns a neutral event into committed changes and replies."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.dispatch import dispatch, needs_roster
from bot.groups import groups
from bot.i18n import N_, _, speaking
from bot.runtime.delivery import ImmediateDelivery, Recipient
from bot.seam import message_codec
from bot.seam.config import EngineConfig
from bot.seam.events import (
    ActionInvoked,
    Actor,
    CommandInvoked,
    Event,
    IncomingMessage,
    MeetingEnded,
)
from bot.seam.messages import Reply, simple
from bot.seam.ports import FetchedRoster, Roster
from bot.trust.small_groups import SMALLEST_SAFE_GROUP
from bot.trust.welcome import with_welcome
from bot.turn import Turn
from storage import outbox
from storage.database import Database
from storage.models import OutboxDelivery, Role, utcnow
from storage.people import arrive

log = logging.getLogger("coproduce.engine")

SORRY = N_(
    "Sorry, something went wrong on our side and nothing was saved. Please try again in a "
    "moment. Thank you for your patience."
)


MAX_NAME = 255  # person.display_name


def _clean(value: str) -> str:
    """Valid UTF-8 without NUL, before anything else sees it.

    A lone surrogate (JSON can carry "\\ud800") cannot be encoded, so it becomes U+FFFD; a
    proper pair becomes the character it stands for. NUL cannot be stored in PostgreSQL text,
    and nobody means to type it.
    """
    if any("\ud800" <= c <= "\udfff" for c in value):
        value = value.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return value.replace("\x00", "")


def _storable_actor(actor: Actor) -> Actor:
    name = _clean(actor.display_name or "")[:MAX_NAME].strip()
    return replace(actor, display_name=name or None)


def storable(event: Event) -> Event:
    """The event with everything a person typed made storable: valid UTF-8, no NUL, and a
    display name cut to the column's length (platforms allow longer names than we keep)."""
    actor = _storable_actor(event.actor)
    if isinstance(event, CommandInvoked):
        mentions = tuple(_storable_actor(m) for m in event.mentions)
        return replace(event, actor=actor, text=_clean(event.text), mentions=mentions)
    if isinstance(event, IncomingMessage):
        return replace(event, actor=actor, text=_clean(event.text))
    if isinstance(event, ActionInvoked):
        inputs = {k: _clean(v) for k, v in event.inputs.items()}
        return replace(event, actor=actor, value=_clean(event.value), inputs=inputs)
    if isinstance(event, MeetingEnded):
        return replace(event, actor=actor, title=_clean(event.title))
    return replace(event, actor=actor)


class Engine:
    """Platform-neutral behaviour. Every change an event causes commits before `handle` returns."""

    def __init__(
        self,
        *,
        database: Database,
        config: EngineConfig,
        on_enqueued: Callable[[], None] | None = None,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.database = database
        self.config = config
        self.clock = clock
        # Called after a commit that queued proactive messages, so an embedded worker wakes.
        self.on_enqueued = on_enqueued
        # Called after a commit that opened a reflection window, so the scheduler looks again.
        self.on_scheduled: Callable[[], None] | None = None
        # Sends queued replies right after their commit; without it the worker sends them.
        self.immediate: ImmediateDelivery | None = None

    async def handle(
        self,
        event: Event,
        *,
        roster: Roster | None = None,
        queue_replies: bool = False,
        copy_replies: bool = False,
    ) -> list[Reply]:
        """Apply one event; a delivery seen before (platform retry) changes nothing.

        `roster` lets the engine ask the platform who is in a group conversation.
        `queue_replies` puts plain replies in the outbox, in the same transaction as the change,
        for a platform whose only way to answer is a separate (possibly slow) API call: its
        request can then be answered at once. The replies returned are the ones left to send.
        `copy_replies` queues the same replies and returns them all: for a platform that shows
        an answer at once and also sends it (a guest's page, and their email).
        """
        queued: list[tuple[OutboxDelivery, Recipient]] = []
        event = storable(event)
        now = self.clock()
        try:
            if roster is not None:
                # Ask the platform first, outside the transaction, and only when needed.
                people = await roster.members(event.conversation) if needs_roster(event) else []
                roster = FetchedRoster(event.conversation, people)
            async with self.database.transaction() as session:
                started = await self._start_turn(session, event, now)
                if started is None:
                    log.info("duplicate delivery ignored", extra={"delivery": event.delivery_id})
                    return []
                turn = started
                turn.roster = roster
                with speaking(turn.person.language):
                    replies = await dispatch(turn)
                # Again: the turn may have changed the person's language (/coproduce language).
                with speaking(turn.person.language):
                    if not turn.erased:
                        replies = with_welcome(turn, replies)
                replies = [replace(reply, language=turn.person.language) for reply in replies]
                if event.conversation.kind == "group":
                    # Every answer is about the person who acted (their ideas, their record, the
                    # welcome note, what they just did): in a shared channel only they may see it.
                    replies = [replace(reply, private=True) for reply in replies]
                if (queue_replies or copy_replies) and not turn.erased:
                    kept, queued = await self._queue(turn, replies)
                    replies = replies if copy_replies else kept
            if turn.erased:
                await self.database.scrub()
            if queued:
                self._send_queued(queued)
            if turn.enqueued and self.on_enqueued is not None:
                self.on_enqueued()
            if turn.scheduled and self.on_scheduled is not None:
                self.on_scheduled()
        except Exception:
            # Log ids only: the event may carry a patient's words.
            log.exception(
                "event failed",
                extra={"event_type": type(event).__name__, "delivery": event.delivery_id},
            )
            return [Reply(simple(_(SORRY)), retry_later=True)]
        return replies

    async def _queue(
        self, turn: Turn, replies: list[Reply]
    ) -> tuple[list[Reply], list[tuple[OutboxDelivery, Recipient]]]:
        """Put each plain reply to the person in the outbox; return the rest and the rows."""
        lease = self.immediate.lease if self.immediate else timedelta(seconds=60)
        recipient = Recipient(
            platform=turn.person.platform or turn.workspace.platform,
            workspace=turn.workspace.external_id,
            person=turn.person.external_id,
            address=turn.person.direct_address,
            channel=turn.event.conversation.id or None,
        )
        kept: list[Reply] = []
        queued: list[tuple[OutboxDelivery, Recipient]] = []
        # Only a private chat can take a queued reply: in a group conversation the outbox would
        # post it for everyone to read, so those replies stay with the adapter.
        private_chat = turn.event.conversation.kind == "direct"
        for number, reply in enumerate(replies):
            message = reply.message
            if (
                not private_chat
                or message.attachment is not None
                or message.is_form
                or reply.replace_original
            ):
                kept.append(reply)
                continue
            row = await outbox.enqueue_claimed(
                session=turn.session,
                key=f"reply:{turn.event.delivery_id or uuid.uuid4().hex}:{number}",
                workspace_id=turn.workspace_id,
                person_id=turn.person_id,
                channel_id=turn.event.conversation.id or None,
                kind="reply",
                message=message_codec.encode(message),
                lease_until=turn.now + lease,
                now=turn.now,
            )
            queued.append((row, recipient))
        return kept, queued

    def _send_queued(self, queued: list[tuple[OutboxDelivery, Recipient]]) -> None:
        if self.immediate is not None:
            self.immediate.start(queued)
        else:
            # The worker sends them once the lease runs out.
            log.info("replies queued for the worker", extra={"count": len(queued)})

    async def _start_turn(self, session: AsyncSession, event: Event, now: datetime) -> Turn | None:
        """The turn, once the event's delivery is claimed; None for a delivery seen before."""
        actor = event.actor
        is_admin = actor.named_in(self.config.admins)
        arrival = await arrive(
            session=session,
            platform=actor.platform,
            workspace_external_id=actor.workspace_id,
            person_external_id=actor.user_id,
            display_name=actor.display_name,
            initial_role=Role.ADMIN if is_admin else Role.MEMBER,
            timezone=self.config.default_timezone,
            safe_size=SMALLEST_SAFE_GROUP,
            now=now,
            delivery=event.delivery_id or None,
        )
        if arrival is None:
            return None
        person = arrival.person
        # Roles follow their source: whoever COPRODUCE_ADMINS names is an admin, and nobody else.
        if is_admin and person.role != Role.ADMIN:
            person.role = Role.ADMIN
        elif not is_admin and person.role == Role.ADMIN:
            person.role = Role.MEMBER
        if actor.alias and person.alias != actor.alias:
            person.alias = actor.alias
        if (
            actor.address
            and person.direct_address != actor.address
            and (event.conversation.kind == "direct" or not person.direct_address)
        ):
            # Compared first: even an unchanged assignment makes the commit look for changes.
            person.direct_address = actor.address
        turn = Turn(
            session=session,
            event=event,
            workspace=arrival.workspace,
            person=person,
            first_contact=arrival.created,
            now=now,
            config=self.config,
            small_group=arrival.small_group,
            reflecting=arrival.reflecting,
            facilitates_somewhere=arrival.facilitates,
            groups_joined=arrival.groups_joined,
            workspace_groups=arrival.workspace_groups,
        )
        if event.conversation.kind == "group" and event.conversation.id:
            await groups.enter_channel(turn)
        return turn
