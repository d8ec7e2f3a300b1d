"""The load generator: run in its own process, it drives one server and reports JSON.

Closed loop (`--concurrency`): that many clients each send their next request as soon as the
last is answered. Open loop (`--rate`): requests start on a fixed schedule whatever the
answers, which is how a platform sends them and what a p99 at a given rate means.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

import aiohttp
from slack_sdk.signature import SignatureVerifier

Request = tuple[str, bytes, dict[str, str]]
USERS = 200


class SlackRequests:
    """Signed DM events and `/idea` commands, alternately, from a pool of people."""

    def __init__(self, url: str, secret: str, response_url: str) -> None:
        self.url = url.rstrip("/") + "/slack/events"
        self.verifier = SignatureVerifier(secret)
        self.response_url = response_url
        self.numbers = itertools.count(1)
        self.run = uuid.uuid4().hex[:8]

    def __call__(self) -> Request:
        n = next(self.numbers)
        user = f"U{n % USERS:05d}"
        words = f"Idea {n}: evening clinics would help people who work"
        if n % 2:
            body = json.dumps(
                {
                    "type": "event_callback",
                    "team_id": "T0001",
                    "api_app_id": "A0001",
                    "event_id": f"Ev{self.run}{n:09d}",
                    "event_time": int(time.time()),
                    "authorizations": [{"team_id": "T0001", "user_id": "UBOT", "is_bot": True}],
                    "event": {
                        "type": "message",
                        "channel_type": "im",
                        "channel": f"D{user}",
                        "user": user,
                        "text": words,
                        "ts": f"{time.time():.6f}",
                    },
                }
            )
            content_type = "application/json"
        else:
            body = urlencode(
                {
                    "team_id": "T0001",
                    "channel_id": f"D{user}",
                    "user_id": user,
                    "user_name": user.lower(),
                    "command": "/idea",
                    "text": words,
                    "response_url": self.response_url,
                    "trigger_id": f"trigger-{n}",
                }
            )
            content_type = "application/x-www-form-urlencoded"
        stamp = str(int(time.time()))
        headers = {
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": stamp,
            "X-Slack-Signature": self.verifier.generate_signature(timestamp=stamp, body=body),
        }
        return self.url, body.encode(), headers


class TeamsRequests:
    """Personal-chat message activities, as Teams posts them, from a pool of people."""

    def __init__(self, url: str, service_url: str) -> None:
        self.url = url.rstrip("/") + "/api/messages"
        self.service_url = service_url
        self.numbers = itertools.count(1)
        self.run = uuid.uuid4().hex[:8]

    def __call__(self) -> Request:
        n = next(self.numbers)
        user = f"29:user-{n % USERS}"
        activity: dict[str, Any] = {
            "type": "message",
            "id": f"activity-{self.run}-{n}",
            "timestamp": datetime.now(UTC).isoformat(),
            "serviceUrl": self.service_url,
            "channelId": "msteams",
            "from": {"id": user, "name": f"Person {n % USERS}", "aadObjectId": f"aad-{user}"},
            "conversation": {
                "id": f"a:personal-{user}",
                "conversationType": "personal",
                "tenantId": "tenant-0001",
            },
            "recipient": {"id": "28:coproduce-bot", "name": "Coproduce"},
            "text": f"Idea {n}: a quieter waiting room",
            "textFormat": "plain",
            "locale": "en-GB",
            "channelData": {"tenant": {"id": "tenant-0001"}},
        }
        body = json.dumps(activity).encode()
        return self.url, body, {"Content-Type": "application/json"}


SENT = {"total": 0, "answered_inline": 0}


async def _send(http: aiohttp.ClientSession, request: Request) -> tuple[float, int]:
    url, body, headers = request
    started = time.perf_counter()
    SENT["total"] += 1
    try:
        async with http.post(url, data=body, headers=headers) as response:
            answer = await response.read()
            status = response.status
        if b'"text"' in answer:  # a slash command answered in its acknowledgement
            SENT["answered_inline"] += 1
    except (aiohttp.ClientError, TimeoutError):
        status = 0
    return time.perf_counter() - started, status


async def closed_loop(
    make: Callable[[], Request], concurrency: int, duration: float, warmup: float
) -> tuple[list[float], list[int], float]:
    connector = aiohttp.TCPConnector(limit=concurrency)
    timeout = aiohttp.ClientTimeout(total=30)
    latencies: list[float] = []
    statuses: list[int] = []
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as http:
        loop = asyncio.get_running_loop()
        measure_from = loop.time() + warmup
        end = measure_from + duration

        async def client() -> None:
            while loop.time() < end:
                started = loop.time()
                latency, status = await _send(http, make())
                if started >= measure_from:
                    latencies.append(latency)
                    statuses.append(status)

        await asyncio.gather(*(client() for _ in range(concurrency)))
    return latencies, statuses, duration


async def open_loop(
    make: Callable[[], Request], rate: float, duration: float, warmup: float
) -> tuple[list[float], list[int], float]:
    timeout = aiohttp.ClientTimeout(total=30)
    latencies: list[float] = []
    statuses: list[int] = []
    async with aiohttp.ClientSession(timeout=timeout) as http:
        loop = asyncio.get_running_loop()
        start = loop.time()
        tasks = []
        total = int((warmup + duration) * rate)
        for i in range(total):
            await asyncio.sleep(max(0.0, start + i / rate - loop.time()))
            tasks.append((i >= warmup * rate, asyncio.create_task(_send(http, make()))))
        for measured, task in tasks:
            latency, status = await task
            if measured:
                latencies.append(latency)
                statuses.append(status)
    return latencies, statuses, duration


def percentile(values: list[float], fraction: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--platform", choices=("slack", "teams"), required=True)
    parser.add_argument("--url", required=True)
    parser.add_argument("--fake", required=True, help="the fake platform API's base URL")
    parser.add_argument("--secret", default="bench-signing-secret")
    parser.add_argument("--concurrency", type=int)
    parser.add_argument("--rate", type=float)
    parser.add_argument("--duration", type=float, default=6.0)
    parser.add_argument("--warmup", type=float, default=1.0)
    args = parser.parse_args()
    fake = args.fake.rstrip("/")
    make: Callable[[], Request]
    if args.platform == "slack":
        make = SlackRequests(args.url, args.secret, f"{fake}/respond/bench")
    else:
        make = TeamsRequests(args.url, fake + "/")
    if args.rate:
        run = open_loop(make, args.rate, args.duration, args.warmup)
    else:
        run = closed_loop(make, args.concurrency or 10, args.duration, args.warmup)
    latencies, statuses, duration = asyncio.run(run)
    ok = sum(1 for s in statuses if 200 <= s < 300)
    print(
        json.dumps(
            {
                "requests": len(statuses),
                "errors": len(statuses) - ok,
                "throughput": ok / duration,
                "p50_ms": percentile(latencies, 0.50) * 1000,
                "p99_ms": percentile(latencies, 0.99) * 1000,
                "sent_total": SENT["total"],
                "answered_inline": SENT["answered_inline"],
            }
        )
    )


if __name__ == "__main__":
    main()
