"""The `coproduce` command as an operator runs it: migrations, serving, the audit log, the
console's reflection demo."""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import socket
import sqlite3
import subprocess
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import aiohttp

from adapters.cli import _parser

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


@asynccontextmanager
async def serving(port: int, **env: str) -> AsyncIterator[asyncio.subprocess.Process]:
    """`coproduce serve` as an operator starts it; on leaving, SIGTERM must stop it cleanly."""
    process = await asyncio.create_subprocess_exec(
        str(COPRODUCE),
        "serve",
        env=clean_env(PORT=str(port), **env),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        yield process
        process.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(process.wait(), 25) == 0
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()


async def test_serve_answers_health_and_stops_cleanly_on_sigterm(tmp_path: Path) -> None:
    port = free_port()
    url = f"sqlite:///{tmp_path}/serve.db"
    async with serving(port, DATABASE_URL=url, TEAMS_DEV_MODE="1") as process:
        assert process.stdout is not None
        line = await asyncio.wait_for(process.stdout.readline(), 30)
        assert f"127.0.0.1:{port}" in line.decode()
        async with (
            aiohttp.ClientSession() as http,
            http.get(f"http://127.0.0.1:{port}/readyz") as response,
        ):
            assert response.status == 200


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
        "--people",
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
        await until(b"as afterthought #")
    finally:
        process.stdin.close()
        await asyncio.wait_for(process.wait(), 20)


def run_cli(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(COPRODUCE), *args], env=clean_env(**env), capture_output=True, text=True, timeout=60
    )


def test_version_and_help_for_every_subcommand_and_option() -> None:
    version = run_cli("--version")
    assert version.returncode == 0 and version.stdout.startswith("coproduce 0.")
    parser = _parser()
    [commands] = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    for name, sub in commands.choices.items():
        assert any(c.dest == name and c.help for c in commands._choices_actions), name
        for action in sub._actions:
            if not isinstance(action, argparse._HelpAction):
                assert action.help, f"coproduce {name} {action.dest} has no help text"
    shown = run_cli("audit", "--help").stdout
    assert "how many entries" in shown
    refused = run_cli("audit", "--limit", "-3", DATABASE_URL="sqlite:///:memory:")
    assert refused.returncode == 2 and "Traceback" not in refused.stderr


async def test_serve_says_which_platforms_are_on_and_how_to_turn_the_others_on(
    tmp_path: Path,
) -> None:
    port = free_port()
    async with serving(port, DATABASE_URL=f"sqlite:///{tmp_path}/serve.db") as process:
        assert process.stdout is not None
        lines = [(await asyncio.wait_for(process.stdout.readline(), 30)).decode() for _ in range(6)]
        text = "".join(lines)
        assert "Slack: off (set SLACK_BOT_TOKEN" in text
        assert "Teams: off (set MICROSOFT_APP_ID" in text
        assert "Guests: off (set SMTP_URL and MAIL_FROM" in text
        assert "Neither Slack nor Teams is set up" in text
        assert "Impact report: off (set COPRODUCE_PUBLIC_URL" in text
        async with aiohttp.ClientSession() as http:
            for page in ("privacy", "terms"):
                async with http.get(f"http://127.0.0.1:{port}/{page}") as response:
                    assert response.status == 200  # the Teams manifest links here


def test_a_console_demo_flag_says_it_changes_the_saved_settings(tmp_path: Path) -> None:
    args = ("console", "--as", "fran", "--reflection-delay")
    url = f"sqlite:///{tmp_path}/demo.db"
    shown = subprocess.run(
        [str(COPRODUCE), *args, "10s"],
        input="",
        env=clean_env(DATABASE_URL=url),
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )
    assert "This changes the saved settings" in shown.stdout
    assert "reflection-delay next-morning" in shown.stdout
    refused = run_cli(*args, "999999999d", DATABASE_URL=url)
    assert refused.returncode == 2 and "up to a day" in refused.stderr
    assert "Traceback" not in refused.stderr
