"""A Teams app package: manifest v1.23, a 192×192 colour icon and a 32×32 outline icon."""

from __future__ import annotations

import io
import json
import re
import struct
import uuid
import zipfile
import zlib
from typing import Any
from urllib.parse import urlparse

COMMANDS = (
    ("idea", "Share an idea (add 'anonymous' to leave your name off)"),
    ("ideas", "Your ideas, credits and open reflection windows"),
    ("follow", "Hear when an idea moves on: follow 12"),
    ("agenda", "See the agenda and vote; agenda add <item>"),
    ("coproduce help", "What Coproduce can do"),
    ("coproduce record", "Your record of involvement"),
    ("coproduce my-data", "A copy of everything kept about you"),
)
TEAM_COMMANDS = (
    ("meeting start", "Facilitators: start a meeting in this channel"),
    ("meeting end", "Facilitators: end it; afterthoughts are invited later"),
    ("update", "Facilitators: move an idea on and tell everyone behind it"),
    ("credit", "Facilitators: thank people by name"),
    ("digest", "Facilitators: post the 'You said, we did' digest"),
    ("agenda triage", "Facilitators: keep the top half of the agenda"),
)


def _png(size: int, rgba: tuple[int, int, int, int], mark: tuple[int, int, int, int]) -> bytes:
    """A square PNG: a plain field with a centred square mark (no imaging library needed)."""
    rows = bytearray()
    low, high = size // 4, size - size // 4
    for y in range(size):
        rows.append(0)  # no filter
        for x in range(size):
            rows.extend(mark if low <= x < high and low <= y < high else rgba)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(bytes(rows)))
        + chunk(b"IEND", b"")
    )


# Teams sends meetingStart and meetingEnd events only to an app that declares these
# resource-specific consent permissions (and webApplicationInfo): without them the automatic
# meeting end never arrives. One for meeting chats, one for channel meetings.
MEETING_PERMISSIONS = ("OnlineMeeting.ReadBasic.Chat", "ChannelMeeting.ReadBasic.Group")
# RSC reads nothing from `resource`, but Teams refuses a webApplicationInfo without one.
RSC_RESOURCE = "https://RscBasedStoreApp"
_SEMVER = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$")


def check(*, app_id: str, endpoint: str, version: str) -> tuple[str, str]:
    """The app id as Teams writes it and the endpoint's host; ValueError saying what to fix."""
    try:
        guid = str(uuid.UUID(app_id.strip()))
    except ValueError:
        raise ValueError(
            "the app id must be the bot's Microsoft App ID, a GUID such as "
            "00000000-0000-0000-0000-000000000000 (Azure Bot, Configuration)"
        ) from None
    parsed = urlparse(endpoint)
    if parsed.scheme != "https" or not parsed.netloc:
        raise ValueError("the endpoint must be https://your.host (Teams only calls https)")
    if not _SEMVER.match(version):
        raise ValueError(
            "the version must look like 1.0.0, and go up each time you upload a new package"
        )
    return guid, parsed.netloc


def manifest(*, app_id: str, endpoint: str, version: str = "1.0.0") -> dict[str, Any]:
    """The Teams app manifest (v1.23) for one bot registration and one server."""
    app_id, host = check(app_id=app_id, endpoint=endpoint, version=version)
    personal = [{"title": t, "description": d} for t, d in COMMANDS]
    team = [{"title": t, "description": d} for t, d in TEAM_COMMANDS]
    return {
        "$schema": "https://developer.microsoft.com/en-us/json-schemas/teams/v1.23/MicrosoftTeams.schema.json",
        "manifestVersion": "1.23",
        "version": version,
        "id": app_id,
        "developer": {
            "name": "Coproduce",
            "websiteUrl": f"https://{host}",
            "privacyUrl": f"https://{host}/privacy",
            "termsOfUseUrl": f"https://{host}/terms",
        },
        "name": {"short": "Coproduce", "full": "Coproduce: working with patients and carers"},
        "description": {
            "short": "Ideas any time, afterthoughts, credit and updates for advisory groups.",
            "full": (
                "Coproduce helps healthcare teams work with patients and carers. Share an idea "
                "any time, anonymously if you like; after each meeting you are invited to share "
                "afterthoughts; facilitators give credit, and every decision reaches everyone "
                "behind an idea privately."
            ),
        },
        "icons": {"color": "color.png", "outline": "outline.png"},
        "accentColor": "#2A5D84",
        "bots": [
            {
                "botId": app_id,
                "scopes": ["personal", "team", "groupChat"],
                "supportsFiles": True,
                "isNotificationOnly": False,
                "commandLists": [
                    {"scopes": ["personal"], "commands": personal},
                    {"scopes": ["team", "groupChat"], "commands": team},
                ],
            }
        ],
        "permissions": ["identity", "messageTeamMembers"],
        "validDomains": [host],
        "webApplicationInfo": {"id": app_id, "resource": RSC_RESOURCE},
        "authorization": {
            "permissions": {
                "resourceSpecific": [
                    {"name": name, "type": "Application"} for name in MEETING_PERMISSIONS
                ]
            }
        },
    }


def package(*, app_id: str, endpoint: str, version: str = "1.0.0") -> bytes:
    """The zip Teams expects: manifest.json and the two icons at its root, nothing else."""
    document = manifest(app_id=app_id, endpoint=endpoint, version=version)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.json", json.dumps(document, indent=2))
        archive.writestr("color.png", _png(192, (42, 93, 132, 255), (255, 255, 255, 255)))
        archive.writestr("outline.png", _png(32, (0, 0, 0, 0), (255, 255, 255, 255)))
    return buffer.getvalue()
