"""Anonymity as non-interference (docs/threat-model.md): two worlds that differ only in who wrote
the anonymous idea and the anonymous afterthoughts must look the same to everyone else.

Each world is its own Slack workspace in one database, driven through the real signed request
path. The same script runs in both; the only difference is whether Xavi or Yara is the author.
Everything the facilitator and the other members are shown (answers to their commands, private
messages, channel posts, their home tab) is collected, ids are normalised, and the two worlds
are compared. A count of people told, a participation figure or a summary that moved with the
author would make them differ.
"""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from sqlmodel import select

from storage.models import Meeting, Workspace, as_utc
from tests.clock import ORDINARY
from tests.conftest import RunningBot
from tests.fakes.slack_api import FakeSlackWebApi
from tests.slack_requests import action_request, command_request, dm_event, event_request
from tests.test_slack_ideas import post

FACILITATOR, XAVI, YARA, ZED, WREN, VIC = "UFAC", "UXAVI", "UYARA", "UZED", "UWREN", "UVIC"
OBSERVERS = (FACILITATOR, ZED, WREN, VIC)  # never the author in either world
EVERYONE = [FACILITATOR, XAVI, YARA, ZED, WREN, VIC]
SMALL = [FACILITATOR, XAVI, YARA]


@dataclass
class World:
    """One workspace's run of the script, and what each observer was shown."""

    bot: RunningBot
    api: FakeSlackWebApi
    team: str
    author: str
    seen: dict[str, list[str]] = field(default_factory=dict)

    def saw(self, who: str, what: Any) -> None:
        self.seen.setdefault(who, []).append(normalise(json.dumps(what, sort_keys=True), self))

    async def command(self, user: str, name: str, text: str, channel: str = "CGROUP") -> None:
        before = len(self.api.private_answers())
        body, headers = command_request(
            name,
            text,
            response_url=self.api.response_url(),
            user=user,
            team=self.team,
            channel=channel,
        )
        status, _ = await post(self.bot, body, headers)
        assert status == 200
        for answer in self.api.private_answers()[before:]:
            self.saw(user, answer.params)

    async def press(self, user: str, action: str, value: str, channel: str = "CGROUP") -> None:
        before = len(self.api.private_answers())
        body, headers = action_request(
            action,
            value,
            response_url=self.api.response_url(),
            user=user,
            team=self.team,
            channel=channel,
        )
        await post(self.bot, body, headers)
        for answer in self.api.private_answers()[before:]:
            self.saw(user, answer.params)

    async def dm(self, user: str, text: str) -> None:
        await post(self.bot, *event_request(dm_event(text, user=user, team=self.team)))

    async def meeting(self, channel: str, members: list[str], title: str) -> None:
        self.api.channel_members[channel] = members
        for words in (f"start {title}", "end"):
            await self.command(FACILITATOR, "/meeting", words, channel=channel)
        async with self.bot.database.reading() as session:
            workspace = (
                await session.exec(select(Workspace).where(Workspace.external_id == self.team))
            ).one()
            meeting = (
                await session.exec(
                    select(Meeting).where(
                        Meeting.workspace_id == workspace.id, Meeting.title == title
                    )
                )
            ).one()
        await self.bot.reflection_due(as_utc(meeting.prompt_at))  # type: ignore[arg-type]
        await self.bot.deliver()
        # An hour later, so the afterthought is well inside the final digest's week in both
        # worlds, however long each step took (the test clock runs at the real rate).
        self.bot.clock.advance(timedelta(hours=1))
        await self.dm(self.author, f"An afterthought about {title}")
        number = await self.latest_idea_number()
        await self.press(self.author, "idea.anonymous", str(number), channel=f"D{self.author}")
        await self.bot.reflection_due(as_utc(meeting.closes_at))  # type: ignore[arg-type]
        await self.bot.deliver()

    async def latest_idea_number(self) -> int:
        async with self.bot.database.reading() as session:
            workspace = (
                await session.exec(select(Workspace).where(Workspace.external_id == self.team))
            ).one()
        return workspace.last_idea_number


def normalise(text: str, world: World) -> str:
    """The same thing said in either world reads the same: no team ids, trigger ids, times,
    nor the row ids both workspaces share a counter for (agenda items, meetings)."""
    text = text.replace(world.team, "TEAM")
    text = re.sub(r"\bA\d+\b", "A_", text)
    text = re.sub(r'"value": "\d+"', '"value": "_"', text)
    text = re.sub(r"trigger\.\d+", "trigger", text)
    text = re.sub(r"\d{10}\.\d+", "TS", text)
    return re.sub(r"respond/\w+", "respond", text)


async def run(world: World) -> None:
    """The script: every command a facilitator or member might run around an anonymous idea."""
    world.api.channel_members["CGROUP"] = EVERYONE
    await world.command(FACILITATOR, "/coproduce", "group name Carers")  # everyone's group
    await world.command(XAVI, "/idea", "Longer clinic hours")  # named: Xavi is not quiet
    await world.command(ZED, "/idea", "A quieter waiting room")
    await world.command(VIC, "/coproduce", "help")
    await world.command(world.author, "/idea", "anonymous A ramp at the side door")  # #3
    await world.command(FACILITATOR, "/credit", f"<@{XAVI}|xavi> #3 for measuring the step")
    await world.press(WREN, "idea.follow", "3")
    await world.command(FACILITATOR, "/update", "3 considering Estates will look")
    await world.command(FACILITATOR, "/coproduce", "participation")
    await world.command(FACILITATOR, "/ideas", "")
    await world.command(FACILITATOR, "/digest", "preview")
    await world.command(FACILITATOR, "/agenda", "add The ramp")
    await world.command(FACILITATOR, "/agenda", "triage")
    await world.meeting("CGROUP", EVERYONE, "Autumn review")
    await world.meeting("CSMALL", SMALL, "Small huddle")
    await world.command(FACILITATOR, "/coproduce", "participation")
    await world.command(FACILITATOR, "/digest", "")
    await world.bot.deliver()
    for user in (ZED, WREN, VIC):
        await world.command(user, "/ideas", "")
        await world.command(user, "/coproduce", "record")
    # private messages and channel posts, in the order they went
    for call in world.api.calls_to("chat.postMessage"):
        channel = str(call.params["channel"])
        for observer in OBSERVERS:
            if channel == f"D{observer}" or channel.startswith("C"):
                world.saw(observer, call.params)


async def test_nobody_else_can_tell_who_wrote_an_anonymous_idea(
    running_bot: RunningBot, slack_api: FakeSlackWebApi
) -> None:
    worlds = []
    for team, author in (("TXAVI", XAVI), ("TYARA", YARA)):
        slack_api.calls.clear()
        running_bot.clock.set(ORDINARY)  # both worlds start at the same moment
        world = World(running_bot, slack_api, team, author)
        await run(world)
        worlds.append(world)
    xavi_wrote_it, yara_wrote_it = worlds
    assert set(xavi_wrote_it.seen) >= set(OBSERVERS)
    for observer in OBSERVERS:
        pairs = zip(xavi_wrote_it.seen[observer], yara_wrote_it.seen[observer], strict=False)
        for step, (one, other) in enumerate(pairs):
            assert one == other, (
                f"{observer} saw something different at step {step}: "
                + " | ".join(
                    d for d in difflib.ndiff(one.split("\\n"), other.split("\\n")) if d[0] in "+-"
                )
            )
        assert len(xavi_wrote_it.seen[observer]) == len(yara_wrote_it.seen[observer]), observer
    # the script did reach the places a leak was found before
    shown = " ".join(xavi_wrote_it.seen[FACILITATOR])
    assert "Estates will look" in shown and "people in this channel took part" in shown
    assert "Afterthoughts from" in shown


async def test_a_small_meetings_summary_counts_and_lists_nothing(
    running_bot: RunningBot, slack_api: FakeSlackWebApi
) -> None:
    world = World(running_bot, slack_api, "TSMALL", XAVI)
    await world.meeting("CSMALL", SMALL, "Small huddle")
    summaries = [
        json.dumps(call.params)
        for call in slack_api.calls_to("chat.postMessage")
        if call.params["channel"] == f"D{FACILITATOR}" and "Afterthoughts from" in str(call.params)
    ]
    [summary] = summaries
    assert "fewer than 5 people" in summary
    assert "Anonymous" not in summary and "afterthought about" not in summary.lower()
    assert not re.search(r"\b1 afterthought", summary)
    prompts = [
        str(call.params)
        for call in slack_api.calls_to("chat.postMessage")
        if call.params["channel"] == f"D{XAVI}" and "Any afterthoughts" in str(call.params)
    ]
    assert prompts and "others may guess" in prompts[0]
