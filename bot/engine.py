"""The engine: one entry point that turns a neutral event into committed changes and replies."""

from __future__ import annotations

import logging
from collections.abc import Callable

from bot import following, ideas
from bot.config import EngineConfig
from bot.credit import give_credit
from bot.events import ActionInvoked, CommandInvoked, Event, IncomingMessage
from bot.help import help_reply, unknown_command_reply
from bot.messages import Reply, simple
from bot.record import record
from bot.status_updates import update_status
from bot.turn import Turn
from storage.database import Database
from storage.deliveries import claim_delivery
from storage.people import ensure_person, ensure_workspace

log = logging.getLogger("coproduce.engine")

SORRY = (
    "Sorry, something went wrong on our side and nothing was saved. Please try again in a "
    "moment. Thank you for your patience."
)


class Engine:
    """Platform-neutral behaviour. Every change an event causes commits before `handle` returns."""

    def __init__(
        self,
        *,
        database: Database,
        config: EngineConfig,
        on_enqueued: Callable[[], None] | None = None,
    ) -> None:
        self.database = database
        self.config = config
        # Called after a commit that queued proactive messages, so an embedded worker wakes.
        self.on_enqueued = on_enqueued

    async def handle(self, event: Event) -> list[Reply]:
        """Apply one event; a delivery seen before (platform retry) changes nothing."""
        try:
            async with self.database.transaction() as session:
                if event.delivery_id and not await claim_delivery(
                    session=session, key=event.delivery_id
                ):
                    log.info("duplicate delivery ignored", extra={"delivery": event.delivery_id})
                    return []
                turn = await self._start_turn(session, event)
                replies = await self._dispatch(turn)
            if turn.enqueued and self.on_enqueued is not None:
                self.on_enqueued()
        except Exception:
            # Log ids only: the event may carry a patient's words.
            log.exception(
                "event failed",
                extra={"event_type": type(event).__name__, "delivery": event.delivery_id},
            )
            return [Reply(simple(SORRY))]
        return replies

    async def _start_turn(self, session, event: Event) -> Turn:  # type: ignore[no-untyped-def]
        actor = event.actor
        workspace = await ensure_workspace(
            session=session,
            platform=actor.platform,
            external_id=actor.workspace_id,
            timezone=self.config.default_timezone,
        )
        is_admin = actor.admin_key in self.config.admins
        person, created = await ensure_person(
            session=session,
            workspace_id=workspace.id,
            external_id=actor.user_id,
            display_name=actor.display_name,
            initial_role="admin" if is_admin else "member",
        )
        if is_admin and person.role != "admin":
            person.role = "admin"
        if actor.address and (event.conversation.kind == "direct" or not person.direct_address):
            person.direct_address = actor.address
        return Turn(
            session=session, event=event, workspace=workspace, person=person, first_contact=created
        )

    async def _dispatch(self, turn: Turn) -> list[Reply]:
        event = turn.event
        if isinstance(event, IncomingMessage):
            if event.conversation.kind != "direct":
                return []
            return [await ideas.capture(turn, event.text, source="direct")]
        if isinstance(event, CommandInvoked):
            return [await self._command(turn, event)]
        if isinstance(event, ActionInvoked):
            if event.action_id in ideas.IDEA_ACTIONS:
                return [await ideas.act(turn, event.action_id, event.value, dict(event.inputs))]
            if event.action_id in (following.FOLLOW, following.UNFOLLOW):
                return [await following.act(turn, event.action_id, event.value)]
            return [Reply(simple("Sorry, that button has expired. Please try again."))]
        return []

    async def _command(self, turn: Turn, event: CommandInvoked) -> Reply:
        name = event.name.lower()
        if name == "idea":
            text, anonymous = ideas.parse_idea_command(event.text)
            return await ideas.capture(turn, text, source="command", anonymous=anonymous)
        if name == "ideas":
            return await ideas.list_own(turn)
        if name == "update":
            return await update_status(turn, event.text)
        if name == "credit":
            return await give_credit(turn, event)
        if name == "coproduce":
            sub = event.text.strip().split(" ", 1)[0].lower()
            if sub in ("", "help"):
                return help_reply(facilitator=turn.is_facilitator)
            if sub == "record":
                return await record(turn)
            return unknown_command_reply(f"coproduce {sub}")
        return unknown_command_reply(name)
