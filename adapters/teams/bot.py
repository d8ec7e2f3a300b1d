"""The Bot Framework bot: each turn is translated, handled by the engine, and answered as a card."""

from __future__ import annotations

import logging
from typing import Any

import aiohttp
from botbuilder.core import Bot, TurnContext
from botbuilder.schema import Activity

from adapters.teams import files, translate
from adapters.teams.activities import card_activity, incoming_json
from adapters.teams.messenger import TeamsMessenger
from adapters.teams.replies import TurnReplies
from adapters.teams.roster import TeamsRoster
from bot.engine import Engine
from bot.runtime.delivery import Recipient
from bot.seam import notes
from bot.seam.events import Actor
from bot.seam.messages import Reply

log = logging.getLogger("coproduce.teams")
_EXPORT = {"file": "my-data"}


class CoproduceTeamsBot(Bot):
    """Translates activities for the engine; holds no rules of its own."""

    def __init__(self, engine: Engine, messenger: TeamsMessenger) -> None:
        self.engine = engine
        self.messenger = messenger
        self.replies = TurnReplies()
        self._http: aiohttp.ClientSession | None = None

    async def close(self) -> None:
        await self.replies.close()
        if self._http is not None:
            await self._http.close()

    async def on_turn(self, context: TurnContext) -> None:
        activity = context.activity
        raw = incoming_json(activity)
        if files.is_file_consent(raw):
            await self._file_consent(context, raw)
            return
        event = translate.translate_activity(raw)
        if event is None:
            return
        in_group = event.conversation.kind == "group"
        roster = TeamsRoster(context, raw) if in_group else None
        answered_privately: bool | None = None
        for reply in await self.engine.handle(event, roster=roster):
            if reply.message.attachment is not None:
                # Personal data goes only to the person's own chat, after they accept it.
                offer = files.consent_activity(reply.message.attachment, context=_EXPORT)
                if in_group:
                    sent = await self._privately(event.actor, reply, activity=offer)
                    answered_privately = sent and answered_privately is not False
                else:
                    await context.send_activity(offer)
                continue
            if reply.private and in_group:
                sent = await self._privately(event.actor, reply)
                answered_privately = sent and answered_privately is not False
                continue
            if reply.replace_original and activity.reply_to_id:
                outgoing = card_activity(reply.message)
                outgoing.id = activity.reply_to_id
                await context.update_activity(outgoing)
            else:
                await self.replies.send(context, raw, reply.message)
        if answered_privately is not None:
            # The channel learns only that there was an answer, never what it said.
            said = notes.REPLIED_PRIVATELY if answered_privately else notes.COULD_NOT_REPLY
            await self.replies.send(context, raw, notes.note(said))

    async def _privately(
        self, actor: Actor, reply: Reply, activity: Activity | None = None
    ) -> bool:
        """A reply only the actor may see, sent to their 1:1 chat instead of the channel
        (Teams opens that chat if there is none yet); False when it could not be sent."""
        recipient = Recipient(
            platform=actor.platform,
            workspace=actor.workspace_id,
            person=actor.user_id,
            address=actor.address,
        )
        try:
            await self.messenger.deliver(recipient, reply.message, activity=activity)
        except Exception as error:
            log.warning("private reply not delivered", extra={"error": type(error).__name__})
            return False
        return True

    async def _file_consent(self, context: TurnContext, raw: dict[str, Any]) -> None:
        """The person answered a file-consent card: on accept, make the export and upload it."""
        value = raw.get("value") or {}
        await files.answer_invoke(context)
        if value.get("action") != "accept" or value.get("context") != _EXPORT:
            await context.send_activity(card_activity(notes.note(notes.NOTHING_SENT)))
            return
        event = translate.export_request(raw)
        if event is None:
            return
        for reply in await self.engine.handle(event):
            attachment = reply.message.attachment
            if attachment is None:
                await context.send_activity(card_activity(reply.message))
                continue
            if self._http is None:
                self._http = aiohttp.ClientSession()
            try:
                await files.upload(self._http, value.get("uploadInfo") or {}, attachment)
            except aiohttp.ClientError as error:
                log.warning("export upload failed", extra={"error": type(error).__name__})
                failed = notes.note(notes.UPLOAD_FAILED, reply.language)
                await context.send_activity(card_activity(failed))
                continue
            await context.send_activity(files.info_activity(value.get("uploadInfo") or {}))
