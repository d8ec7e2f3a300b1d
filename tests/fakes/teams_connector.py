"""A fake Bot Framework connector on loopback, named as the activities' serviceUrl.

It records every activity the bot sends, validates each Adaptive Card against the 1.5 schema, and
holds it to Teams' own limits: a message of at most about 28 KB, and at most six buttons in one
set (Teams hides the rest behind a "more" menu that some clients never show).
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from tests.fakes.server import serve_on_loopback
from tests.specs import SPECS, adaptive_card_validator


@dataclass
class SentActivity:
    conversation_id: str
    reply_to: str | None
    verb: str
    activity: dict[str, Any]

    @property
    def cards(self) -> list[dict[str, Any]]:
        return [
            a["content"]
            for a in self.activity.get("attachments") or []
            if a.get("contentType") == "application/vnd.microsoft.card.adaptive"
        ]

    @property
    def actions(self) -> list[dict[str, Any]]:
        """Every button in the activity's cards, top-level and in ActionSets, in order."""
        return [action for card in self.cards for action in card_actions(card)]

    @property
    def card_text(self) -> str:
        """All TextBlock and fact text in the activity's cards, in order."""
        out: list[str] = []
        for card in self.cards:
            for element in card.get("body", []):
                if element.get("type") == "TextBlock":
                    out.append(element["text"])
                for fact in element.get("facts", []):
                    out.extend((fact["title"], fact["value"]))
        return "\n".join(out)


MESSAGE_BYTES = 28 * 1024
ACTIONS_PER_SET = 6


def card_actions(card: dict[str, Any]) -> list[dict[str, Any]]:
    found = list(card.get("actions") or [])
    for element in card.get("body") or []:
        if element.get("type") == "ActionSet":
            found.extend(element.get("actions") or [])
    return found


def teams_problems(activity: dict[str, Any], cards: list[dict[str, Any]]) -> list[str]:
    """What Teams itself refuses or hides, beyond the Adaptive Card schema."""
    found = []
    size = len(json.dumps(activity).encode())
    if size > MESSAGE_BYTES:
        found.append(f"activity of {size} bytes, Teams takes about {MESSAGE_BYTES}")
    for card in cards:
        sets = [card.get("actions") or []] + [
            e.get("actions") or [] for e in card.get("body") or [] if e.get("type") == "ActionSet"
        ]
        for actions in sets:
            if len(actions) > ACTIONS_PER_SET:
                found.append(f"{len(actions)} buttons in one set; Teams shows {ACTIONS_PER_SET}")
    return found


@dataclass
class FakeConnector:
    sent: list[SentActivity] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    created: list[dict[str, Any]] = field(default_factory=list)
    rosters: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    uploads: dict[str, bytes] = field(default_factory=dict)
    base_url: str = ""
    _runner: web.AppRunner | None = None
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1))

    def __post_init__(self) -> None:
        self._validator = (
            adaptive_card_validator()
            if (SPECS / "teams" / "adaptive-card.v1.5.schema.json").exists()
            else None
        )

    async def start(self) -> str:
        app = web.Application()
        app.router.add_post("/v3/conversations", self._create)
        app.router.add_get("/v3/conversations/{cid}/members", self._members)
        app.router.add_put("/upload/{name}", self._upload)
        app.router.add_post("/v3/conversations/{cid}/activities", self._send)
        app.router.add_post("/v3/conversations/{cid}/activities/{aid}", self._send)
        app.router.add_put("/v3/conversations/{cid}/activities/{aid}", self._send)
        self._runner, self.base_url = await serve_on_loopback(app)
        return self.base_url

    async def stop(self) -> None:
        if self._runner:
            await self._runner.cleanup()

    async def _create(self, request: web.Request) -> web.Response:
        """Starting a personal chat with a user the bot has not talked to yet."""
        parameters = await request.json()
        self.created.append(parameters)
        member = (parameters.get("members") or [{}])[0].get("id", "unknown")
        return web.json_response({"id": f"a:new-chat-{member}", "activityId": None})

    async def _upload(self, request: web.Request) -> web.Response:
        """Stands in for the OneDrive upload session a file-consent acceptance opens."""
        self.uploads[request.match_info["name"]] = await request.read()
        return web.json_response({"id": "file-1"}, status=201)

    async def _members(self, request: web.Request) -> web.Response:
        people = self.rosters.get(request.match_info["cid"], [])
        return web.json_response(
            [
                {"id": uid, "name": name, "aadObjectId": f"aad-{uid}", "tenantId": "tenant-0001"}
                for uid, name in people
            ]
        )

    def to_conversation(self, conversation_id: str) -> list[SentActivity]:
        return [s for s in self.sent if s.conversation_id == conversation_id]

    async def _send(self, request: web.Request) -> web.Response:
        activity = await request.json()
        sent = SentActivity(
            conversation_id=request.match_info["cid"],
            reply_to=request.match_info.get("aid"),
            verb=request.method,
            activity=activity,
        )
        if self._validator is not None:
            for card in sent.cards:
                for error in self._validator.iter_errors(card):
                    self.problems.append(f"invalid card: {error.message}")
        self.problems.extend(teams_problems(activity, sent.cards))
        self.sent.append(sent)
        return web.json_response({"id": f"reply-{next(self._ids)}"})
