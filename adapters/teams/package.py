"""A Teams app package: manifest v1.23, a 192×192 colour icon and a 32×32 outline icon."""

from __future__ import annotations

import io
import json
import struct
import zipfile
import zlib
from typing import Any
from urllib.parse import urlparse

COMMANDS = (
    ("idea", "Share an idea (add 'anonymous' to leave your name off)"),
    ("ideas", "Your ideas, credits and open reflection windows"),
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


def manifest(*, app_id: str, endpoint: str, version: str = "1.0.0") -> dict[str, Any]:
    host = urlparse(endpoint).netloc
    if not host:
        raise ValueError("the endpoint must be a URL such as https://your.host")
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
    }


def package(*, app_id: str, endpoint: str) -> bytes:
    """The zip Teams expects: manifest.json and the two icons at its root, nothing else."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "manifest.json", json.dumps(manifest(app_id=app_id, endpoint=endpoint), indent=2)
        )
        archive.writestr("color.png", _png(192, (42, 93, 132, 255), (255, 255, 255, 255)))
        archive.writestr("outline.png", _png(32, (0, 0, 0, 0), (255, 255, 255, 255)))
    return buffer.getvalue()
