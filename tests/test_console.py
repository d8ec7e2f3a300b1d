"""The console, as `make run` opens it with no credentials: same engine, local SQLite file."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from bot.engine import Engine

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
    assert "thanked you for: noticing" in result.stdout
    assert "News about idea #1, which you were thanked for" in result.stdout
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


async def test_buttons_of_any_message_stay_pressable_and_forms_ask_each_field(
    engine: Engine,
) -> None:
    """A message that arrives later (delivered, like news) gets its own number; the buttons of
    an earlier one still press what they showed, and a form's choice is asked as a list."""
    import io

    from adapters.console.buttons import ButtonBoard
    from adapters.console.chat import ConsoleChat
    from adapters.console.messenger import ConsoleMessenger
    from bot.runtime.delivery import Recipient
    from bot.seam.messages import Button, Buttons, Message, Paragraph

    out = io.StringIO()
    board = ButtonBoard()
    chat = ConsoleChat(engine, name="fran", out=out, board=board)
    messenger = ConsoleMessenger(out, board=board, me="fran")
    await chat.say("Fresh water jugs")  # message 1: the idea card, with its buttons
    assert "[:1.1] Make anonymous" in out.getvalue()
    news = Message("News", (Paragraph("News for you"), Buttons((Button("Stop", "x.stop", "1"),))))
    await messenger.deliver(Recipient("console", "local", "fran", "fran"), news)
    await messenger.deliver(Recipient("console", "local", "ann", "ann"), news)
    assert "[:2.1] Stop" in out.getvalue()  # mine: pressable
    assert "Buttons: Stop" in out.getvalue()  # someone else's: only shown
    await chat.say(":1.1")  # the idea card's first button, though news came since
    assert "idea #1 is now anonymous" in out.getvalue()
    await chat.say(":9.1")
    assert "There's no button with that number." in out.getvalue()
    # The facilitator's update form: a choice, then a note.
    await chat.say("/ideas")
    shown = out.getvalue()
    update = shown[shown.rindex("[:") :].split("Update #1")[0].rsplit("[:", 1)[1].rstrip("] ")
    await chat.say(f":{update}")
    assert "New status: type a number. 1) Being looked at  2) Going ahead" in out.getvalue()
    await chat.say("maybe")
    assert "Please type a number from 1 to" in out.getvalue()
    await chat.say("3")
    assert "A short note on why (needed for parked): type it and press Enter." in out.getvalue()
    await chat.say("The jugs are on order")
    assert "is now marked \u201cIn progress\u201d" in out.getvalue()


def test_without_a_name_the_console_uses_a_real_one(monkeypatch: pytest.MonkeyPatch) -> None:
    from adapters.console import chat

    monkeypatch.setattr(chat.getpass, "getuser", lambda: "alice")
    assert chat.default_name() == "Alice"
    monkeypatch.setattr(chat.getpass, "getuser", lambda: "root")
    assert chat.default_name() == "Sam"


def test_the_console_says_who_you_are(tmp_path: Path) -> None:
    result = _run(tmp_path, "", "console", "--as", "Priya")
    assert "you are Priya here (use --as NAME to be someone else)" in result.stdout


def test_the_console_runs_several_groups_and_switches_between_them(tmp_path: Path) -> None:
    typed = (
        "#group /agenda add Birth partner parking\n"
        ":group Carers\n"
        "#group /agenda add Respite information\n"
        "#group /agenda\n"
        "/coproduce groups\n"
        ":group Maternity\n"
        "#group /agenda\n"
    )
    result = _run(tmp_path, typed, "console", "--as", "fran", "--group", "Maternity")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "This channel is now the group \u201cMaternity\u201d" in out
    assert "This channel is now the group \u201cCarers\u201d" in out
    _before, first, carers, maternity = out.split("(Now in the channel of the group ")
    assert "Birth partner parking" in first
    assert "Respite information" in carers and "Birth partner" not in carers
    assert "Birth partner parking" in maternity and "Respite" not in maternity
    assert "\u2022 Maternity" in carers and "\u2022 Carers" in carers  # /coproduce groups
    with sqlite3.connect(tmp_path / "coproduce.db") as db:
        names = [n for (n,) in db.execute("select name from advisory_group order by id")]
    assert names == ["Our group", "Maternity", "Carers"]


def test_the_console_asks_who_was_at_a_meeting_by_number(tmp_path: Path) -> None:
    typed = "/meeting start Tea\n/meeting end\n:2.2\n1,3\n"
    result = _run(tmp_path, typed, "console", "--as", "fran", "--people", "ann,bob")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Who was there?" in out and "[ticked]" in out
    assert "2 people are marked as there" in out
    with sqlite3.connect(tmp_path / "coproduce.db") as db:
        present = dict(
            db.execute(
                "select p.external_id, m.present from meeting_participant m "
                "join person p on p.id = m.person_id"
            ).fetchall()
        )
    assert present == {"fran": 1, "ann": 0, "bob": 1}


def test_a_new_console_has_its_own_group_waiting_for_people(tmp_path: Path) -> None:
    result = _run(tmp_path, "/coproduce groups\n", "console", "--as", "fran")
    assert result.returncode == 0, result.stderr
    assert "Our group: nobody has joined yet, and you facilitate it" in result.stdout
