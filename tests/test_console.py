"""The console, as `make run` opens it with no credentials: same engine, local SQLite file."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

COPRODUCE = Path(sys.executable).parent / "coproduce"


def _run(tmp_path: Path, typed: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "MICROSOFT_", "TEAMS_"))
    }
    env.pop("DATABASE_URL", None)
    return subprocess.run(
        [str(COPRODUCE), *args],
        input=typed,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )


def test_make_run_opens_the_console_and_saves_ideas_to_local_sqlite(tmp_path: Path) -> None:
    result = _run(tmp_path, "A walk-in hour for carers\n/ideas\n")
    assert result.returncode == 0, result.stderr
    assert "saved your idea as #1" in result.stdout
    assert "#1 · New" in result.stdout and "A walk-in hour for carers" in result.stdout
    with sqlite3.connect(tmp_path / "coproduce.db") as db:
        assert db.execute("select number, text from idea").fetchall() == [
            (1, "A walk-in hour for carers")
        ]


def test_console_buttons_and_edit_form(tmp_path: Path) -> None:
    typed = "First thought\n:1\n:2\nSecond thought\n/ideas\n"
    result = _run(tmp_path, typed, "console", "--as", "sam")
    assert result.returncode == 0, result.stderr
    assert "now anonymous" in result.stdout
    assert "idea #1 is updated" in result.stdout
    assert "Second thought" in result.stdout.split("== Your ideas ==")[1]


def test_terminal_control_characters_are_not_echoed(tmp_path: Path) -> None:
    result = _run(tmp_path, "Clear \x1b[2J screen\n", "console")
    assert "\x1b" not in result.stdout
    assert "Clear [2J screen" in result.stdout


def test_console_facilitator_updates_and_credits_with_messages_printed(tmp_path: Path) -> None:
    env_admin = {"COPRODUCE_ADMINS": "console:fran"}
    # The console runs on the real clock: quiet hours off, so the news goes at any hour of the
    # day the test runs (with them on, news at night waits for the morning).
    typed = (
        "#group /coproduce settings quiet-hours off\n"
        "/idea Fresh water jugs\n/credit @sam #1 for noticing\n/update 1 done Jugs are out\n"
    )
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "MICROSOFT_", "TEAMS_"))
    }
    env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [str(COPRODUCE), "console", "--as", "fran"],
        input=typed,
        env={**env, **env_admin},
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert "I've thanked sam privately for idea #1" in result.stdout
    assert "[private message for sam]" in result.stdout
    assert "credited you for: noticing" in result.stdout
    assert "News about idea #1, which you were credited for" in result.stdout
    assert "Why, from fran: Jugs are out" in result.stdout


def test_a_digest_in_the_console_is_labelled_a_channel_post_not_a_private_one(
    tmp_path: Path,
) -> None:
    typed = "#group /coproduce settings digest-channel\n#group /digest\n"
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "MICROSOFT_", "TEAMS_"))
    }
    env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [str(COPRODUCE), "console", "--as", "fran"],
        input=typed,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert "needs the word here" in result.stdout and "`" not in result.stdout
    assert "[posted in the group's channel, #console:group]" in result.stdout
    assert "[private message for #" not in result.stdout
