"""Files in Teams: a file-consent card first; once accepted, the file goes to the upload URL
Teams gives us (the person's OneDrive) and a file-info card points to it."""

from __future__ import annotations

from typing import Any

import aiohttp
from botbuilder.core import TurnContext
from botbuilder.schema import Activity, ActivityTypes, Attachment, InvokeResponse

from bot.seam.messages import FileAttachment

CONSENT_TYPE = "application/vnd.microsoft.teams.card.file.consent"
INFO_TYPE = "application/vnd.microsoft.teams.card.file.info"
FILE_CONSENT_INVOKE = "fileConsent/invoke"


def consent_activity(attachment: FileAttachment, *, context: dict[str, Any]) -> Activity:
    """Ask the person to accept the file; `context` comes back to us when they answer."""
    size = len(attachment.content.encode("utf-8"))
    card = Attachment(
        content_type=CONSENT_TYPE,
        name=attachment.filename,
        content={
            "description": "A copy of everything Coproduce keeps about you.",
            "sizeInBytes": size,
            "acceptContext": context,
            "declineContext": context,
        },
    )
    return Activity(type=ActivityTypes.message, attachments=[card])


def is_file_consent(activity: dict[str, Any]) -> bool:
    return activity.get("type") == "invoke" and activity.get("name") == FILE_CONSENT_INVOKE


async def upload(
    http: aiohttp.ClientSession, upload_info: dict[str, Any], attachment: FileAttachment
) -> None:
    """PUT the whole file to the upload session Teams opened for it."""
    body = attachment.content.encode("utf-8")
    headers = {
        "Content-Length": str(len(body)),
        "Content-Range": f"bytes 0-{len(body) - 1}/{len(body)}",
    }
    async with http.put(upload_info["uploadUrl"], data=body, headers=headers) as response:
        response.raise_for_status()


def info_activity(upload_info: dict[str, Any]) -> Activity:
    card = Attachment(
        content_type=INFO_TYPE,
        content_url=upload_info.get("contentUrl"),
        name=upload_info.get("name"),
        content={"uniqueId": upload_info.get("uniqueId"), "fileType": upload_info.get("fileType")},
    )
    return Activity(type=ActivityTypes.message, attachments=[card])


async def answer_invoke(context: TurnContext, status: int = 200) -> None:
    """Invokes need an answer of their own, or Teams shows the person an error."""
    await context.send_activity(
        Activity(type=ActivityTypes.invoke_response, value=InvokeResponse(status=status))
    )
