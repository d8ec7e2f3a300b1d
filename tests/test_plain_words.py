"""Plain words, measured on what a member is actually shown over a whole journey: a reading
grade, sentence length, no jargon, and nothing important in small grey text."""

from __future__ import annotations

import re

import pytest
import textstat

from bot.engine import Engine
from bot.seam.messages import Context, Message, Paragraph
from tests.clock import FakeClock
from tests.words_seen import a_members_journey, as_prose, sentences, visible_text

# Flesch-Kincaid grade 7 is read by about 80% of adults in England.
HIGHEST_GRADE = 7
LONGEST_SENTENCE = 25
# Words the findings named as jargon for members (facilitators have their own commands).
JARGON = (
    "triage",
    "digest",
    "green-lit",
    "green light",
    "reflection window",
    "nudge",
    "json",
    "platform",
    "admin",
)
# What people must not miss: never in the small grey text of a context block.
IMPORTANT = (
    "A word on privacy",
    "Nobody watches these messages for urgent help",
    "others may guess",
    "Nothing to add is a perfectly good answer",
    "You can undo this for a day",
    "can see it's yours",
    "nobody is told it's yours",
)


@pytest.fixture
async def seen(engine: Engine, clock: FakeClock) -> list[Message]:
    messages = await a_members_journey(engine, clock)
    assert len(messages) > 30  # the journey reached every part
    return messages


async def test_every_message_a_member_reads_is_plain(seen: list[Message]) -> None:
    too_hard = {}
    too_long = []
    for message in seen:
        prose = as_prose(visible_text(message))
        grade = textstat.flesch_kincaid_grade(prose)
        if grade > HIGHEST_GRADE:
            too_hard[prose[:80]] = grade
        too_long += [s for s in sentences(prose) if len(s.split()) > LONGEST_SENTENCE]
    assert too_hard == {}
    assert too_long == []


async def test_no_jargon_reaches_members(seen: list[Message]) -> None:
    found = {
        word: prose[:80]
        for message in seen
        for prose in [as_prose(visible_text(message)).lower()]
        for word in JARGON
        if re.search(rf"\b{re.escape(word)}", prose)
    }
    assert found == {}


async def test_news_and_reminders_say_each_thing_once_and_keep_the_reassurance(
    seen: list[Message],
) -> None:
    news = [m for m in seen if m.summary.startswith("News about")]
    reminders = [m for m in seen if m.summary.startswith("A gentle reminder")]
    assert news and reminders
    # "It is now Done. It's done." said the status twice.
    assert not any("It is now" in as_prose(visible_text(m)) for m in news)
    for reminder in reminders:
        assert "Nothing to add is a perfectly good answer." in visible_text(reminder)


async def test_important_words_are_never_small_grey_text(seen: list[Message]) -> None:
    shown_as = {phrase: set() for phrase in IMPORTANT}
    for message in seen:
        for block in message.blocks:
            for phrase in IMPORTANT:
                if isinstance(block, Paragraph | Context) and phrase in block.text:
                    shown_as[phrase].add(type(block).__name__)
    assert shown_as == {phrase: {"Paragraph"} for phrase in IMPORTANT}
