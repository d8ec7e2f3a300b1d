"""A lean stand-in for Slack's Web API and the Teams connector, run in its own process.

Unlike the test fakes it validates nothing, so it costs the servers under test as little as
possible. With `--workspace-rate`, chat.postMessage enforces Slack's pacing: one message a
second per channel and a workspace-wide token bucket, answering 429 with Retry-After beyond it.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import time
from typing import Any

from aiohttp import web


class PacedPlatform:
    def __init__(self, workspace_rate: float | None, burst: int) -> None:
        self.workspace_rate = workspace_rate
        self.burst = burst
        self.tokens = float(burst)
        self.refilled = time.monotonic()
        self.last_in_channel: dict[str, float] = {}
        self.counts: dict[str, int] = {}
        self.first_post: float | None = None
        self.last_post: float | None = None
        self.ids = itertools.count(1)

    def reset(self) -> None:
        self.__init__(self.workspace_rate, self.burst)  # type: ignore[misc]

    def count(self, key: str) -> None:
        self.counts[key] = self.counts.get(key, 0) + 1

    def over_limit(self, channel: str) -> bool:
        if self.workspace_rate is None:
            return False
        now = time.monotonic()
        self.tokens = min(self.burst, self.tokens + (now - self.refilled) * self.workspace_rate)
        self.refilled = now
        last = self.last_in_channel.get(channel)
        if self.tokens < 1 or (last is not None and now - last < 1.0):
            return True
        self.tokens -= 1
        self.last_in_channel[channel] = now
        return False

    async def slack(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params: dict[str, Any] = dict(request.query)
        if request.content_type == "application/json":
            params.update(await request.json())
        elif request.can_read_body:
            params.update(await request.post())
        if method == "auth.test":
            return web.json_response(
                {"ok": True, "user_id": "UBOT", "bot_id": "BBOT", "team_id": "T0001"}
            )
        if method == "conversations.open":
            return web.json_response({"ok": True, "channel": {"id": f"D{params.get('users')}"}})
        if method == "chat.postMessage":
            channel = str(params.get("channel"))
            if self.over_limit(channel):
                self.count("429")
                return web.json_response(
                    {"ok": False, "error": "ratelimited"}, status=429, headers={"Retry-After": "1"}
                )
            self.count("chat.postMessage")
            self.first_post = self.first_post or time.monotonic()
            self.last_post = time.monotonic()
            return web.json_response({"ok": True, "channel": channel, "ts": f"{next(self.ids)}.0"})
        self.count(method)
        return web.json_response({"ok": True})

    async def respond(self, request: web.Request) -> web.Response:
        await request.read()
        self.count("response_url")
        return web.Response(text="ok")

    async def teams(self, request: web.Request) -> web.Response:
        await request.read()
        self.count("teams.activity")
        return web.json_response({"id": f"reply-{next(self.ids)}"})

    async def stats(self, _: web.Request) -> web.Response:
        span = None
        if self.first_post is not None and self.last_post is not None:
            span = self.last_post - self.first_post
        return web.json_response({"counts": self.counts, "post_span": span})

    async def do_reset(self, _: web.Request) -> web.Response:
        self.reset()
        return web.json_response({"ok": True})


def application(platform: PacedPlatform) -> web.Application:
    app = web.Application()
    app.router.add_post("/api/{method}", platform.slack)
    app.router.add_post("/respond/{token}", platform.respond)
    app.router.add_post("/v3/conversations/{conversation}/activities", platform.teams)
    app.router.add_post("/v3/conversations/{conversation}/activities/{reply}", platform.teams)
    app.router.add_get("/stats", platform.stats)
    app.router.add_post("/reset", platform.do_reset)
    return app


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--workspace-rate", type=float, default=None)
    parser.add_argument("--burst", type=int, default=20)
    args = parser.parse_args()
    platform = PacedPlatform(args.workspace_rate, args.burst)
    web.run_app(
        application(platform), host="127.0.0.1", port=args.port, print=None, access_log=None
    )


if __name__ == "__main__":
    asyncio.set_event_loop_policy(None)
    main()
