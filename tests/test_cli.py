"""The `coproduce` command as an operator runs it: migrations, serving, the audit log, the
console's reflection demo."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sqlite3
import subprocess
import sys
from pathlib import Path

import aiohttp

COPRODUCE = Path(sys.executable).parent / "coproduce"


def clean_env(**values: str) -> dict[str, str]:
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "MICROSOFT_", "TEAMS_"))
    }
    env.pop("DATABASE_URL", None)
    return {**env, **values}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_db_upgrade_creates_the_schema(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/fresh.db"
    result = subprocess.run(
        [str(COPRODUCE), "db", "upgrade"],
        env=clean_env(DATABASE_URL=url),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(tmp_path / "fresh.db") as db:
        tables = {row[0] for row in db.execute("select name from sqlite_master where type='table'")}
    assert {"idea", "person", "outbox_delivery", "meeting", "audit_entry"} <= tables


async def test_serve_answers_health_and_stops_cleanly_on_sigterm(tmp_path: Path) -> None:
    port = free_port()
    process = await asyncio.create_subprocess_exec(
        str(COPRODUCE),
        "serve",
        env=clean_env(
            DATABASE_URL=f"sqlite:///{tmp_path}/serve.db", TEAMS_DEV_MODE="1", PORT=str(port)
        ),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        assert process.stdout is not None
        line = await asyncio.wait_for(process.stdout.readline(), 30)
        assert f"127.0.0.1:{port}" in line.decode()
        async with (
            aiohttp.ClientSession() as http,
            http.get(f"http://127.0.0.1:{port}/readyz") as response,
        ):
            assert response.status == 200
        process.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(process.wait(), 25) == 0
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()


def test_audit_prints_ids_only(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/audit.db"
    env = clean_env(DATABASE_URL=url)
    typed = "/idea Private words\n/update 1 green-lit also private\n/coproduce my-data\n"
    subprocess.run(
        [str(COPRODUCE), "console", "--as", "fran"],
        input=typed,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )
    result = subprocess.run(
        [str(COPRODUCE), "audit"], env=env, capture_output=True, text=True, timeout=60
    )
    lines = result.stdout.strip().splitlines()
    assert any("status-change idea 1 (green-lit)" in line for line in lines)
    assert any(" export person 1" in line for line in lines)
    assert "Private words" not in result.stdout and "also private" not in result.stdout


async def test_console_shows_the_whole_reflection_flow_in_seconds(tmp_path: Path) -> None:
    process = await asyncio.create_subprocess_exec(
        str(COPRODUCE),
        "console",
        "--as",
        "fran",
        "--group",
        "ann,bob",
        "--reflection-delay",
        "2s",
        env=clean_env(DATABASE_URL=f"sqlite:///{tmp_path}/demo.db"),
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        cwd=tmp_path,
    )
    assert process.stdin is not None and process.stdout is not None
    process.stdin.write(b"/meeting start Tea and talk\n/meeting end\n")
    await process.stdin.drain()
    seen = b""

    async def until(text: bytes) -> None:
        nonlocal seen
        while text not in seen:
            seen += await asyncio.wait_for(process.stdout.readline(), 20)  # type: ignore[union-attr]

    try:
        await until(b"has ended")
        await until(b"[private message for bob]")
        assert b"Any afterthoughts?" in seen and b"[private message for fran]" in seen
        process.stdin.write(b"Meet in the garden next time\n")
        await process.stdin.drain()
        await until(b"afterthought from")
    finally:
        process.stdin.close()
        await asyncio.wait_for(process.wait(), 20)
