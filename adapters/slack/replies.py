"""Answering the person who acted on Slack: ephemeral, in their DM, as a modal or as a file."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack import render
from bot.seam.messages import Reply

log = logging.getLogger("coproduce.slack")


class SlackReplies:
    """Picks the Slack surface for each neutral reply; a failure is logged, never raised, so
    Slack does not retry an event whose change is already committed."""

    def __init__(self, client: AsyncWebClient, *, user: str, channel: str) -> None:
        self.client = client
        self.user = user
        self.channel = channel

    @staticmethod
    def fits_acknowledgement(reply: Reply) -> bool:
        """A plain message can be the body of a slash command's acknowledgement."""
        message = reply.message
        return message.attachment is None and not message.is_form and not reply.replace_original

    async def send(
        self, reply: Reply, *, respond: AsyncRespond | None = None, trigger_id: str | None = None
    ) -> None:
        try:
            await self._send(reply, respond, trigger_id)
        except Exception as error:
            log.warning("reply not delivered", extra={"error": type(error).__name__})

    async def _send(
        self, reply: Reply, respond: AsyncRespond | None, trigger_id: str | None
    ) -> None:
        message = reply.message
        if message.attachment is not None:
            await self._upload(reply)
            return
        if message.is_form and trigger_id:
            view = render.modal(message, channel_id=self.channel)
            await self.client.views_open(trigger_id=trigger_id, view=view)
            return
        content: dict[str, Any] = {
            "text": render.fallback_text(message),
            "blocks": render.blocks(message),
        }
        if respond is not None:
            await respond(
                **content, response_type="ephemeral", replace_original=reply.replace_original
            )
        elif self.channel.startswith("D"):
            await self.client.chat_postMessage(channel=self.channel, **content)
        elif self.channel:
            await self.client.chat_postEphemeral(channel=self.channel, user=self.user, **content)
        else:
            await self.client.chat_postMessage(channel=await self._dm(), **content)

    async def _dm(self) -> str:
        if self.channel.startswith("D"):
            return self.channel
        return str((await self.client.conversations_open(users=self.user))["channel"]["id"])

    async def _upload(self, reply: Reply) -> None:
        """A file for the person alone goes to their DM, never to a shared channel."""
        attachment = reply.message.attachment
        assert attachment is not None
        await self.client.files_upload_v2(
            channel=await self._dm(),
            filename=attachment.filename,
            title=attachment.filename,
            content=attachment.content,
            initial_comment=render.fallback_text(reply.message),
        )
