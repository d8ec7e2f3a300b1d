"""Nothing waits on a platform inside a database transaction (docs/architecture.md): a slow
roster must not hold SQLite's one write turn while the channel's members are fetched."""

from __future__ import annotations

import asyncio

from bot.engine import Engine
from bot.seam.events import Actor, CommandInvoked, Conversation

GROUP = Conversation("CGROUP", "group")


def slack(user: str) -> Actor:
    return Actor("slack", "T1", user, user.title())


class SlowChannel:
    """A platform that answers "who is here?" only once someone else's idea has been saved."""

    def __init__(self, released: asyncio.Event) -> None:
        self.released = released
        self.asked = asyncio.Event()
        self.calls = 0

    async def members(self, conversation: Conversation) -> list[Actor]:
        self.calls += 1
        self.asked.set()
        await self.released.wait()
        return [slack(user) for user in ("UANN", "UBEN", "UCAL", "UDEE")]


async def test_a_slow_roster_does_not_hold_up_anyone_elses_idea(engine: Engine) -> None:
    released = asyncio.Event()
    channel = SlowChannel(released)
    meeting = asyncio.create_task(
        engine.handle(
            CommandInvoked(slack("UFAC"), GROUP, "meeting", "start Slow platform"), roster=channel
        )
    )
    await asyncio.wait_for(channel.asked.wait(), timeout=5)
    # the roster is being fetched; an idea from someone else must still be saved now
    [saved] = await asyncio.wait_for(
        engine.handle(CommandInvoked(slack("UZED"), Conversation("DZ", "direct"), "idea", "Hi")),
        timeout=5,
    )
    assert "#1" in saved.message.summary
    released.set()
    replies = await asyncio.wait_for(meeting, timeout=5)
    assert "started with 5 participants" in str(replies)


async def test_only_commands_that_need_the_roster_ask_for_it(engine: Engine) -> None:
    released = asyncio.Event()
    released.set()
    channel = SlowChannel(released)
    for name, text in (("idea", "In the channel"), ("ideas", ""), ("coproduce", "help")):
        await engine.handle(CommandInvoked(slack("UANN"), GROUP, name, text), roster=channel)
    assert channel.calls == 0
