"""English and Welsh: every message in the catalogue, in both languages, each person's choice
honoured, and what a Welsh speaker is shown is Welsh."""

from __future__ import annotations

import ast
import json
import re
from datetime import timedelta
from pathlib import Path

import pytest
import textstat
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from bot.engine import Engine
from bot.seam.events import Actor, CommandInvoked, Conversation
from bot.seam.messages import Message
from tests.clock import FakeClock
from tests.conftest import RunningBot
from tests.fakes.slack_api import FakeSlackWebApi
from tests.slack_requests import command_request
from tests.test_digest_and_home import a_busy_week, digest_posts
from tests.test_slack_ideas import post
from tests.words_seen import TYPED, a_members_journey, as_prose, sentences, visible_text

BOT = Path(__file__).parent.parent / "bot"
TEMPLATE = BOT / "locales" / "coproduce.pot"
WELSH = BOT / "locales" / "cy" / "LC_MESSAGES" / "coproduce.po"
KEYWORDS = {"_": None, "n_": (1, 2), "N_": None}
PLACEHOLDER = re.compile(r"\{[a-z_]+\}")
# Where a message reaches people, the words must come from the catalogue.
MESSAGE_PARTS = {"simple", "Paragraph", "Heading", "Context", "Button", "TextInput", "Choice"}


def _ids(message_id: str | tuple[str, ...] | list[str]) -> tuple[str, ...]:
    return (message_id,) if isinstance(message_id, str) else tuple(message_id)


def in_the_code() -> set[tuple[str, ...]]:
    found = extract_from_dir(str(BOT), keywords=KEYWORDS)
    return {_ids(message) for _filename, _line, message, _comments, _context in found}


def test_the_template_holds_every_message_in_the_code() -> None:
    """`make messages` after a new message; otherwise it would reach people untranslated."""
    with TEMPLATE.open("rb") as source:
        template = {_ids(m.id) for m in read_po(source) if m.id}
    assert in_the_code() == template


def test_every_message_has_its_welsh_with_the_same_blanks() -> None:
    with WELSH.open("rb") as source:
        welsh = {_ids(m.id): m for m in read_po(source, locale="cy") if m.id}
    problems = []
    for english in sorted(in_the_code()):
        entry = welsh.get(english)
        translations = _ids(entry.string) if entry is not None else ()
        if entry is None or entry.fuzzy or not all(translations):
            problems.append(f"no Welsh for {english[0]!r}")
            continue
        for index, text in enumerate(translations):
            # Each form against its English form (a singular may leave the count out).
            source = english[min(index, len(english) - 1)]
            if set(PLACEHOLDER.findall(text)) != set(PLACEHOLDER.findall(source)):
                problems.append(f"blanks differ in {english[0]!r}")
    assert problems == []


def test_words_reach_messages_only_through_the_catalogue() -> None:
    """Text written straight into a message part would be English for everyone."""
    direct = []
    for path in sorted(BOT.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.id if isinstance(node.func, ast.Name) else ""
            if name not in MESSAGE_PARTS:
                continue
            for argument in node.args:
                literal = [
                    part.value
                    for part in ast.walk(argument)
                    if isinstance(part, ast.Constant) and isinstance(part.value, str)
                ]
                if isinstance(argument, ast.Constant | ast.JoinedStr) and any(
                    re.search(r"[A-Za-z]{2,} [A-Za-z]", text) for text in literal
                ):
                    direct.append(f"{path.relative_to(BOT)}:{node.lineno}")
    assert direct == []


def test_every_english_message_reads_at_grade_7_in_short_sentences() -> None:
    hard, long = {}, []
    for message in in_the_code():
        for english in message:
            text = PLACEHOLDER.sub("7", english)
            if len(text.split()) >= 8 and textstat.flesch_kincaid_grade(text) > 7:
                hard[text[:70]] = textstat.flesch_kincaid_grade(text)
            long += [s for s in sentences(text) if len(s.split()) > 25]
    assert hard == {}
    assert long == []


async def test_a_person_chooses_their_language(engine: Engine) -> None:
    dm, ann = Conversation("DANN", "direct"), Actor("slack", "T1", "UANN", "Ann")
    [asked] = await engine.handle(CommandInvoked(ann, dm, "coproduce", "language"))
    assert "I'm writing to you in English" in str(asked.message)
    [refused] = await engine.handle(CommandInvoked(ann, dm, "coproduce", "language klingon"))
    assert "English (en) or Welsh (cy)" in str(refused.message)
    [chosen] = await engine.handle(CommandInvoked(ann, dm, "coproduce", "language Cymraeg"))
    assert "yn Gymraeg o hyn ymlaen" in str(chosen.message)
    [saved] = await engine.handle(CommandInvoked(ann, dm, "idea", "Mwy o gadeiriau"))
    assert "Diolch! Rydw i wedi cadw eich syniad fel #1." in str(saved.message)
    [paused] = await engine.handle(CommandInvoked(ann, dm, "coproduce", "pause for 2 weeks"))
    assert re.search(r"tan Dydd \w+ \d+ \w+ \d{4}", str(paused.message))  # a Welsh date
    [back] = await engine.handle(CommandInvoked(ann, dm, "coproduce", "language en"))
    assert "in English from now on" in str(back.message)


@pytest.fixture
async def english(engine: Engine, clock: FakeClock) -> list[Message]:
    return await a_members_journey(engine, clock)


async def test_a_welsh_speaker_is_shown_welsh_all_the_way(
    database: object, admins: frozenset[str], tmp_path: Path
) -> None:
    """The same journey, once in English and once in Welsh (two databases): nothing the bot
    wrote reaches the Welsh speaker in English; only her own words come back unchanged."""
    from bot.seam.config import EngineConfig
    from storage.database import Database
    from storage.migrate import upgrade

    runs: dict[str, list[str]] = {}
    for language in ("en", "cy"):
        url = f"sqlite:///{tmp_path / language}.db"
        await upgrade(url)
        store = Database(url)
        clock = FakeClock()
        engine = Engine(database=store, config=EngineConfig(admins=admins), clock=clock)
        seen = await a_members_journey(engine, clock, language=language, recipients=("UANN",))
        runs[language] = [
            line
            for message in seen
            for piece in visible_text(message)
            for line in piece.splitlines()
            if line.strip()
        ]
        await store.dispose()
    english_lines = set(runs["en"])
    unchanged = [
        line
        for line in runs["cy"]
        if line in english_lines
        and re.search(r"[A-Za-z]{3,} [A-Za-z]{2,}", line)
        and not any(typed in line for typed in TYPED)
    ]
    assert unchanged == []
    assert len(runs["cy"]) > 100
    assert "Croeso, a diolch am ymuno." in as_prose(runs["cy"])


async def test_channel_posts_follow_the_channel_language_welsh_first_when_both(
    running_bot: RunningBot, slack_api: FakeSlackWebApi
) -> None:
    """A Welsh trust can post in Welsh, or in both languages with the Welsh first."""
    bot, api = running_bot, slack_api
    group = Conversation("CGROUP", "group")
    fran = Actor("slack", "T0001", "UFAC", "Fran")
    [refused] = await bot.engine.handle(
        CommandInvoked(fran, group, "coproduce", "settings channel-language fr")
    )
    assert "en, cy or both" in str(refused.message)
    await bot.engine.handle(
        CommandInvoked(fran, group, "coproduce", "settings channel-language both")
    )
    await a_busy_week(bot.engine)
    body, headers = command_request(
        "/digest", "", response_url=api.response_url(), user="UFAC", channel="CGROUP"
    )
    await post(bot, body, headers)
    day = (bot.clock.now + timedelta(days=44)).date()  # ahead of the test's own clock
    await bot.engine.handle(
        CommandInvoked(fran, group, "meeting", f"schedule Tea and talk {day} 14:00")
    )
    await bot.deliver()
    digest, planned = digest_posts(api)

    def all_text(params: dict[str, object]) -> str:
        return json.dumps(params, ensure_ascii=False)

    both = all_text(digest)
    assert both.index("Dywedoch chi, gwnaethom ni") < both.index("You said, we did")
    assert len(digest["blocks"]) <= 50
    announcement = all_text(planned)
    assert announcement.index("Mae cyfarfod wedi'i drefnu yma") < announcement.index(
        "A meeting is planned here"
    )
    assert api.problems == []  # Slack's limits hold with both languages


def test_no_message_is_written_inside_an_f_string() -> None:
    """Babel reads `_()` inside f-strings on Python 3.12 but not on 3.11, so the catalogue
    would depend on which Python ran `make messages`."""
    hidden = []
    for path in sorted(BOT.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.JoinedStr):
                continue
            for inner in ast.walk(node):
                if (
                    isinstance(inner, ast.Call)
                    and isinstance(inner.func, ast.Name)
                    and inner.func.id in KEYWORDS
                ):
                    hidden.append(f"{path.relative_to(BOT)}:{inner.lineno}")
    assert hidden == []
