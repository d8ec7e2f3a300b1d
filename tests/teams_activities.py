"""Bot Framework activities shaped like the ones Teams posts to /api/messages."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime
from typing import Any

TENANT = "tenant-0001"
BOT = {"id": "28:coproduce-bot", "name": "Coproduce"}
_ids = itertools.count(1)


def personal_message(
    text: str,
    *,
    service_url: str,
    user_id: str = "29:user-alice",
    user_name: str = "Alice",
    activity_id: str | None = None,
    value: dict[str, Any] | None = None,
    reply_to_id: str | None = None,
) -> dict[str, Any]:
    """A message in the bot's personal (1:1) chat."""
    activity: dict[str, Any] = {
        "type": "message",
        "id": activity_id or f"activity-{next(_ids)}",
        "timestamp": datetime.now(UTC).isoformat(),
        "serviceUrl": service_url,
        "channelId": "msteams",
        "from": {"id": user_id, "name": user_name, "aadObjectId": f"aad-{user_id}"},
        "conversation": {
            "id": f"a:personal-{user_id}",
            "conversationType": "personal",
            "tenantId": TENANT,
        },
        "recipient": BOT,
        "text": text,
        "textFormat": "plain",
        "locale": "en-GB",
        "channelData": {"tenant": {"id": TENANT}},
    }
    if value is not None:
        activity["value"] = value
        activity.pop("text")
    if reply_to_id:
        activity["replyToId"] = reply_to_id
    return activity


def channel_message_mentioning_bot(text: str, *, service_url: str) -> dict[str, Any]:
    """A channel post that @mentions the bot, as Teams sends it."""
    activity = personal_message(f"<at>Coproduce</at> {text}", service_url=service_url)
    activity["conversation"] = {
        "id": "19:channel@thread.tacv2;messageid=1",
        "conversationType": "channel",
        "tenantId": TENANT,
    }
    activity["entities"] = [{"type": "mention", "text": "<at>Coproduce</at>", "mentioned": BOT}]
    return activity


def mention(user_id: str, name: str) -> tuple[str, dict[str, Any]]:
    """The `<at>` text and entity Teams sends for an @mention."""
    tag = f"<at>{name}</at>"
    return tag, {"type": "mention", "text": tag, "mentioned": {"id": user_id, "name": name}}


def command_with_mentions(
    text: str,
    people: list[tuple[str, str]],
    *,
    service_url: str,
    user_id: str = "29:user-facilitator",
    user_name: str = "Fran",
    in_channel: bool = True,
) -> dict[str, Any]:
    """A command like `credit @Sam for …`, @mentions in `{}` placeholders, in a channel."""
    pairs = [mention(uid, name) for uid, name in people]
    tags = [tag for tag, _entity in pairs]
    entities = [entity for _tag, entity in pairs]
    body = text.format(*tags)
    activity = (
        channel_message_mentioning_bot(body, service_url=service_url)
        if in_channel
        else personal_message(body, service_url=service_url)
    )
    activity["from"] = {"id": user_id, "name": user_name, "aadObjectId": f"aad-{user_id}"}
    activity["entities"] = [*activity.get("entities", []), *entities]
    return activity
