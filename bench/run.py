"""`make bench`: every benchmark in one run, printed as tables (Markdown, for docs/benchmarks.md).

1. Throughput, p50/p99 and peak memory: bare Bolt, bare botbuilder and `coproduce serve` on
   SQLite and PostgreSQL, each driven by `bench.load` from its own process.
2. Acknowledgement latency at a steady 100 requests a second on PostgreSQL.
3. Fan-out: one status change to 500 contributors against Slack's pacing.
4. Digest: one week's digest from 100,000 ideas and 1,000,000 status changes.

PostgreSQL is `BENCH_POSTGRES_URL` (default: the local server's `coproduce_bench` database,
created if missing); without a reachable server its rows are skipped, and say so.
"""

from __future__ import annotations

import asyncio
import json
import os
import platform
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

import psycopg

from bench import digest, fanout, report
from bench.processes import Process, coproduce, free_port, load, python_module, start

SECRET = "bench-signing-secret"
DURATION = float(os.environ.get("BENCH_DURATION", "6"))
CONCURRENCY = [int(c) for c in os.environ.get("BENCH_CONCURRENCY", "10,50").split(",")]
POSTGRES_URL = os.environ.get(
    "BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/coproduce_bench"
)
FANOUT_PEOPLE = 500
FANOUT_RATE = 10.0  # the workspace-wide pace our Slack messenger keeps, and the fake enforces
FANOUT_BURST = 5


def fresh_postgres() -> str | None:
    """An empty `coproduce_bench` database, or None (and why) when PostgreSQL is not there."""
    base, _, name = POSTGRES_URL.rpartition("/")
    try:
        with psycopg.connect(f"{base}/postgres", autocommit=True, connect_timeout=3) as admin:
            exists = admin.execute("select 1 from pg_database where datname = %s", (name,))
            if exists.fetchone() is None:
                admin.execute(f'CREATE DATABASE "{name}"')
        with psycopg.connect(POSTGRES_URL, autocommit=True) as connection:
            connection.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    except psycopg.OperationalError as error:
        print(f"PostgreSQL skipped: {str(error).strip().splitlines()[0]}")
        return None
    return POSTGRES_URL


def migrated(url: str) -> str:
    subprocess.run(
        coproduce("db", "upgrade"),
        env={**os.environ, "DATABASE_URL": url},
        check=True,
        capture_output=True,
    )
    return url


def ours(name: str, database_url: str, fake: str) -> Process:
    port = free_port()
    env = {
        "DATABASE_URL": database_url,
        "SLACK_BOT_TOKEN": "xoxb-bench",
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": f"{fake}/api/",
        "TEAMS_DEV_MODE": "true",
        "HOST": "127.0.0.1",
        "PORT": str(port),
    }
    return start(name, coproduce("serve"), port, env)


def fake_counts(fake: str, *, reset: bool = False) -> dict[str, int]:
    if reset:
        urllib.request.urlopen(urllib.request.Request(f"{fake}/reset", method="POST")).read()
    return json.loads(urllib.request.urlopen(f"{fake}/stats").read())["counts"]  # type: ignore[no-any-return]


def drive(server: Process, platform_name: str, fake: str) -> list[dict[str, Any]]:
    """Each concurrency level, and how many requests got their reply (bare apps reply after
    acknowledging, so a reply can lag or be lost where the acknowledgement is not)."""
    rows = []
    for concurrency in CONCURRENCY:
        fake_counts(fake, reset=True)
        cpu_before = server.cpu_seconds
        result = load(platform_name, server.url, fake, concurrency=concurrency, duration=DURATION)
        time.sleep(1)  # replies still on their way
        # The server's own CPU per request, replies included: what a core buys, whatever the
        # machine's other load does to wall-clock throughput.
        result["cpu_ms"] = (server.cpu_seconds - cpu_before) * 1000 / max(1, result["sent_total"])
        counts = fake_counts(fake)
        replies = sum(counts.get(k, 0) for k in ("chat.postMessage", "response_url"))
        replies += counts.get("teams.activity", 0) + result["answered_inline"]
        result["replied"] = replies / max(1, result["sent_total"])
        rows.append({"server": server.name, "platform": platform_name, "c": concurrency, **result})
    return rows


def throughput_table(rows: list[dict[str, Any]], memory: dict[str, float]) -> str:
    bare = {
        (r["platform"], r["c"]): r["throughput"] for r in rows if r["server"].startswith("bare")
    }
    lines = [
        "| server | platform | concurrency | req/s | p50 ms | p99 ms | errors | replied "
        "| server CPU ms/req | peak RSS MB | vs bare |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        baseline = bare.get((r["platform"], r["c"]))
        ratio = ""
        if not r["server"].startswith("bare") and baseline:
            ratio = f"{r['throughput'] / baseline:.2f}×"
        lines.append(
            f"| {r['server']} | {r['platform']} | {r['c']} | {r['throughput']:.0f} "
            f"| {r['p50_ms']:.1f} | {r['p99_ms']:.1f} | {r['errors']} | {r['replied']:.0%} "
            f"| {r['cpu_ms']:.2f} | {memory[r['server']]:.0f} | {ratio} |"
        )
    return "\n".join(lines)


def main() -> None:
    began = time.monotonic()
    print(
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, {platform.platform()}"
    )
    fake_port = free_port()
    fake = start(
        "fake platform", python_module("bench.fake_platform", "--port", str(fake_port)), fake_port
    )
    postgres = fresh_postgres()
    rows: list[dict[str, Any]] = []
    memory: dict[str, float] = {}
    idle: dict[str, float] = {}
    steady: list[dict[str, Any]] = []
    try:
        with tempfile.TemporaryDirectory() as scratch:
            servers = [
                (
                    "bare Bolt",
                    "slack",
                    lambda port: python_module(
                        "bench.bare_slack",
                        "--port",
                        str(port),
                        "--api-url",
                        f"{fake.url}/api/",
                        "--signing-secret",
                        SECRET,
                    ),
                ),
                (
                    "bare botbuilder",
                    "teams",
                    lambda port: python_module("bench.bare_teams", "--port", str(port)),
                ),
            ]
            for name, platform_name, command in servers:
                port = free_port()
                server = start(name, command(port), port)
                try:
                    rows += drive(server, platform_name, fake.url)
                    memory[name] = server.peak_mb
                finally:
                    server.stop()
            databases = [("coproduce SQLite", migrated(f"sqlite:///{Path(scratch) / 'bench.db'}"))]
            if postgres:
                databases.append(("coproduce PostgreSQL", migrated(postgres)))
            for name, url in databases:
                server = ours(name, url, fake.url)
                try:
                    time.sleep(2)
                    idle[name] = server.resident_mb
                    for platform_name in ("slack", "teams"):
                        rows += drive(server, platform_name, fake.url)
                    if url == postgres:
                        for platform_name in ("slack", "teams"):
                            result = load(
                                platform_name, server.url, fake.url, rate=100, duration=10
                            )
                            steady.append({"platform": platform_name, **result})
                    memory[name] = server.peak_mb
                finally:
                    server.stop()
    finally:
        fake.stop()
    rows.sort(key=lambda r: (r["platform"], r["c"], not r["server"].startswith("bare")))
    print(f"\n## Throughput and latency (closed loop, {DURATION:g} s per row)\n")
    print(throughput_table(rows, memory))
    print("\n## Idle `coproduce serve` (after start-up, before load)\n")
    for name, mb in idle.items():
        print(f"- {name}: {mb:.0f} MB resident")
    if steady:
        print("\n## Steady 100 requests a second on PostgreSQL (open loop, 10 s)\n")
        print("| platform | requests | errors | p50 ms | p99 ms |\n|---|---:|---:|---:|---:|")
        for s in steady:
            print(
                f"| {s['platform']} | {s['requests']} | {s['errors']} "
                f"| {s['p50_ms']:.1f} | {s['p99_ms']:.1f} |"
            )
    print(fan_out(postgres))
    print(digests(postgres))
    print(reports(postgres))
    print(f"\nWhole run: {time.monotonic() - began:.0f} s")


def fan_out(postgres: str | None) -> str:
    port = free_port()
    paced = start(
        "paced fake",
        python_module(
            "bench.fake_platform",
            "--port",
            str(port),
            "--workspace-rate",
            str(FANOUT_RATE),
            "--burst",
            str(FANOUT_BURST),
        ),
        port,
    )
    try:
        with tempfile.TemporaryDirectory() as scratch:
            fresh = fresh_postgres() if postgres else None
            url = migrated(fresh or f"sqlite:///{Path(scratch) / 'fanout.db'}")
            result = asyncio.run(
                fanout.run(
                    url, paced.url, people=FANOUT_PEOPLE, rate=FANOUT_RATE, burst=FANOUT_BURST
                )
            )
    finally:
        paced.stop()
    where = "PostgreSQL" if postgres else "SQLite"
    return (
        f"\n## Fan-out: one status change to {result['people']} contributors ({where})\n\n"
        f"Fake Web API: 1 message/s per channel, {FANOUT_RATE:g}/s per workspace (burst "
        f"{FANOUT_BURST}), 429 with Retry-After beyond that.\n\n"
        "| delivered | accepted by API | 429s | failed | seconds | pacing floor s | ratio |\n"
        "|---:|---:|---:|---:|---:|---:|---:|\n"
        f"| {result['delivered']} | {result['accepted_by_api']} | {result['rate_limited']} "
        f"| {result['failed']} | {result['seconds']:.1f} | {result['floor_seconds']:.1f} "
        f"| {result['ratio']:.3f}× |"
    )


def digests(postgres: str | None) -> str:
    lines = [
        "\n## Digest: one week from 100,000 ideas and 1,000,000 status changes\n",
        "| database | seed s | median ms | max ms (5 builds) | blocks |",
        "|---|---:|---:|---:|---:|",
    ]
    with tempfile.TemporaryDirectory() as scratch:
        targets = [("SQLite", migrated(f"sqlite:///{Path(scratch) / 'digest.db'}"))]
        if postgres:
            targets.append(("PostgreSQL", migrated(fresh_postgres() or "")))
        for name, url in targets:
            r = asyncio.run(digest.run(url, ideas=100_000, changes=1_000_000))
            lines.append(
                f"| {name} | {r['seed_seconds']:.0f} | {r['median_ms']:.0f} | {r['max_ms']:.0f} "
                f"| {r['blocks']} |"
            )
    return "\n".join(lines)


def reports(postgres: str | None) -> str:
    lines = [
        "\n## Impact report: one quarter from 100,000 ideas and 1,000,000 status changes\n",
        "Target: under 500 ms from the first query to the finished page with its charts.\n",
        "| database | ideas in the quarter | median ms | max ms (5 renders) |",
        "|---|---:|---:|---:|",
    ]
    with tempfile.TemporaryDirectory() as scratch:
        targets = [("SQLite", migrated(f"sqlite:///{Path(scratch) / 'report.db'}"))]
        if postgres:
            targets.append(("PostgreSQL", migrated(fresh_postgres() or "")))
        for name, url in targets:
            r = asyncio.run(report.run(url, ideas=100_000, changes=1_000_000))
            lines.append(
                f"| {name} | {r['ideas_in_quarter']} | {r['median_ms']:.0f} | {r['max_ms']:.0f} |"
            )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
