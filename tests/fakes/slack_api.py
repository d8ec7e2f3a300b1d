"""A fake Slack Web API on loopback: records every call and checks it against Slack's OpenAPI spec.

Blocks and views are checked with slack_sdk.models, which knows Block Kit's limits.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from slack_sdk.models.views import View

from tests.fakes import block_kit, scopes
from tests.fakes.server import serve_on_loopback
from tests.specs import SPECS

NEWER_METHODS = set(scopes.NEWER_METHODS)


@dataclass
class ApiCall:
    method: str
    params: dict[str, Any]
    token: str | None = None


@dataclass
class FakeSlackWebApi:
    team_id: str = "T0001"
    bot_user_id: str = "UBOT"
    calls: list[ApiCall] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    methods_called: set[str] = field(default_factory=set)
    # Channels that refuse posts with a Slack error code, e.g. {"CGROUP": "not_in_channel"}.
    refusing: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    channel_members: dict[str, list[str]] = field(default_factory=dict)
    # Rate limits like Slack's: about one message a second per channel, and optionally a
    # workspace-wide rate; a message over either is refused with 429 and Retry-After.
    per_channel_interval: float | None = None
    workspace_rate: float | None = None
    workspace_burst: int = 10
    retry_after: int = 1
    post_delay: float = 0.0
    # While stalled, chat.postMessage waits (without a timer) until `release_posts()`.
    stalled: bool = False
    posts_waiting: int = 0
    rate_limited: list[tuple[str, float]] = field(default_factory=list)
    accepted_at: dict[str, list[float]] = field(default_factory=dict)
    uploads: dict[str, bytes] = field(default_factory=dict)
    base_url: str = ""
    _runner: web.AppRunner | None = None
    _ts: itertools.count = field(default_factory=lambda: itertools.count(1))

    def __post_init__(self) -> None:
        self._released = asyncio.Event()
        self._tokens = float(self.workspace_burst)
        self._refilled = time.monotonic()
        path = SPECS / "slack" / "web-api.openapi-v2.json"
        self._spec: dict[str, Any] | None = json.loads(path.read_text()) if path.exists() else None

    def stall_posts(self) -> None:
        """A Web API that has stopped answering chat.postMessage (an outage, not a 429)."""
        self.stalled = True
        self._released.clear()

    def release_posts(self) -> None:
        self.stalled = False
        self._released.set()

    # -- what tests read -------------------------------------------------------------------
    def calls_to(self, method: str) -> list[ApiCall]:
        return [call for call in self.calls if call.method == method]

    def posts_by_channel(self) -> dict[str, int]:
        """How many chat.postMessage calls each channel accepted."""
        counts: dict[str, int] = {}
        for call in self.calls_to("chat.postMessage"):
            channel = str(call.params["channel"])
            counts[channel] = counts.get(channel, 0) + 1
        return counts

    def messages(self) -> list[ApiCall]:
        """Every message a person could see: posts, ephemerals, acknowledgements with a
        message in them, and response_url replies."""
        kinds = ("chat.postMessage", "chat.postEphemeral", "ack", "response_url")
        return [call for call in self.calls if call.method in kinds]

    def private_answers(self) -> list[ApiCall]:
        """What Slack showed the person alone: acknowledgement bodies and response_url replies."""
        return [call for call in self.calls if call.method in ("ack", "response_url")]

    def show_acknowledgement(self, body: str) -> None:
        """Slack shows a slash command's acknowledgement body to the person who ran it."""
        params = json.loads(body) if body.strip() else {}
        if not isinstance(params, dict) or not (params.get("text") or params.get("blocks")):
            return
        self._check_blocks("ack", params.get("blocks"))
        self.calls.append(ApiCall("ack", params))

    # -- server --------------------------------------------------------------------------
    async def start(self) -> str:
        app = web.Application()
        app.router.add_route("*", "/api/{method}", self._api)
        app.router.add_post("/respond/{token}", self._respond)
        app.router.add_post("/upload/{file_id}", self._upload)
        self._runner, self.base_url = await serve_on_loopback(app)
        return self.base_url

    async def stop(self) -> None:
        self.release_posts()  # nothing left hanging past the test
        if self._runner:
            await self._runner.cleanup()

    def response_url(self, token: str = "r1") -> str:
        return f"{self.base_url}respond/{token}"

    async def _params(self, request: web.Request) -> dict[str, Any]:
        params: dict[str, Any] = dict(request.query)
        if request.can_read_body:
            if request.content_type == "application/json":
                params.update(await request.json())
            else:
                params.update(dict(await request.post()))
        for key in ("blocks", "view"):
            if isinstance(params.get(key), str):
                params[key] = json.loads(params[key])
        return params

    def _check_method(self, method: str, params: dict[str, Any]) -> None:
        if self._spec is None:
            return
        operations = self._spec["paths"].get(f"/{method}")
        if operations is None and method in NEWER_METHODS:
            self.warnings.append(f"{method}: newer than the 2020 spec")
            return
        if operations is None:
            self.problems.append(f"{method}: not a Slack Web API method")
            return
        known = {p["name"] for op in operations.values() for p in op.get("parameters", [])}
        for name in params:
            if name not in known:
                # The spec dates from 2020: a newer parameter is a warning, not an error.
                self.warnings.append(f"{method}: parameter {name!r} not in the 2020 spec")

    def _check_blocks(
        self, where: str, blocks: list[dict[str, Any]] | None, limit: int = block_kit.MESSAGE_BLOCKS
    ) -> None:
        if blocks is not None:
            self.problems.extend(block_kit.problems(blocks, where=where, limit=limit))

    def _check_scope(self, method: str) -> None:
        """Real Slack answers `missing_scope` when the app's manifest did not ask for it."""
        needed = scopes.needed(method, self._spec)
        if needed is not None and not needed & scopes.granted():
            self.problems.append(
                f"{method}: needs one of {sorted(needed)}; the manifest grants none of them"
            )

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params = await self._params(request)
        self._check_method(method, params)
        self._check_scope(method)
        self.methods_called.add(method)
        known_problems = len(self.problems)
        self._check_blocks(method, params.get("blocks"))
        if "view" in params:
            try:
                View(**params["view"]).validate_json()
            except Exception as error:
                self.problems.append(f"{method}: invalid view: {error}")
            self._check_blocks(
                f"{method} view", params["view"].get("blocks"), limit=block_kit.VIEW_BLOCKS
            )
        if len(self.problems) > known_problems:
            # What real Slack answers: HTTP 200 with ok false, and nothing is posted.
            return web.json_response({"ok": False, "error": "invalid_blocks"})
        if method == "chat.postMessage" and str(params.get("channel")) in self.refusing:
            return web.json_response(
                {"ok": False, "error": self.refusing[str(params.get("channel"))]}
            )
        if method == "chat.postMessage":
            if self.post_delay:
                await asyncio.sleep(self.post_delay)
            if self.stalled:
                self.posts_waiting += 1
                await self._released.wait()
                self.posts_waiting -= 1
            limited = self._over_limit(str(params.get("channel")))
            if limited:
                self.rate_limited.append((str(params.get("channel")), time.monotonic()))
                return web.json_response(
                    {"ok": False, "error": "ratelimited"},
                    status=429,
                    headers={"Retry-After": str(self.retry_after)},
                )
        token = request.headers.get("Authorization", "").removeprefix("Bearer ") or None
        self.calls.append(ApiCall(method, params, token))
        return web.json_response(self._answer(method, params, token))

    def _over_limit(self, channel: str) -> bool:
        now = time.monotonic()
        if self.workspace_rate is not None:
            elapsed = now - self._refilled
            self._refilled = now
            self._tokens = min(self.workspace_burst, self._tokens + elapsed * self.workspace_rate)
            if self._tokens < 1:
                return True
        history = self.accepted_at.setdefault(channel, [])
        interval = self.per_channel_interval
        if interval is not None and history and now - history[-1] < interval:
            return True
        if self.workspace_rate is not None:
            self._tokens -= 1
        history.append(now)
        return False

    def _answer(self, method: str, params: dict[str, Any], token: str | None) -> dict[str, Any]:
        if method == "oauth.v2.access":
            # an install code names its workspace in these tests: "code-T0002" → T0002
            team = str(params.get("code", "")).removeprefix("code-")
            return {
                "ok": True,
                "app_id": "A0001",
                "authed_user": {"id": f"UINSTALL{team}"},
                "scope": "chat:write,commands,im:history",
                "token_type": "bot",
                "access_token": f"xoxb-{team}",
                "bot_user_id": f"UBOT{team}",
                "team": {"id": team, "name": f"Team {team}"},
                "enterprise": None,
                "is_enterprise_install": False,
            }
        if method == "auth.test":
            team = token.removeprefix("xoxb-") if token and token != "xoxb-test" else self.team_id
            return {
                "ok": True,
                "url": "https://example.slack.com/",
                "team": "Example",
                "user": "coproduce",
                "team_id": team,
                "user_id": self.bot_user_id,
                "bot_id": "BBOT",
            }
        if method == "users.info":
            user = str(params.get("user"))
            return {
                "ok": True,
                "user": {"id": user, "name": user.lower(), "profile": {"display_name": ""}},
            }
        if method == "conversations.open":
            return {"ok": True, "channel": {"id": "D" + str(params.get("users", "X"))}}
        if method == "conversations.members":
            members = self.channel_members.get(str(params.get("channel")), [])
            return {"ok": True, "members": members, "response_metadata": {"next_cursor": ""}}
        if method in ("chat.postMessage", "chat.postEphemeral"):
            return {"ok": True, "channel": params.get("channel"), "ts": f"{next(self._ts)}.000"}
        if method == "files.getUploadURLExternal":
            file_id = f"F{next(self._ts):04d}"
            return {
                "ok": True,
                "upload_url": f"{self.base_url}upload/{file_id}",
                "file_id": file_id,
            }
        if method == "files.completeUploadExternal":
            files = params.get("files")
            files = json.loads(files) if isinstance(files, str) else files
            return {"ok": True, "files": [{"id": f["id"], "title": f.get("title")} for f in files]}
        if method in ("views.open", "views.publish"):
            return {"ok": True, "view": {"id": "V1", **params.get("view", {})}}
        return {"ok": True}

    async def _upload(self, request: web.Request) -> web.Response:
        self.uploads[request.match_info["file_id"]] = await request.read()
        return web.Response(text="OK")

    async def _respond(self, request: web.Request) -> web.Response:
        params = await request.json()
        self._check_blocks("response_url", params.get("blocks"))
        self.calls.append(ApiCall("response_url", params))
        return web.Response(text="ok")
