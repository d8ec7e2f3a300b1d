"""Anonymity in the impact report as non-interference: two worlds that differ only in who
shared an anonymous idea (and answered for it) give a facilitator the same report page and the
same two CSV files, byte for byte."""

from __future__ import annotations

from pathlib import Path

from storage.database import Database
from storage.migrate import upgrade
from tests.clock import FakeClock
from tests.conftest import RunningBot
from tests.fakes.slack_api import FakeSlackWebApi
from tests.report_site import GROUP, PEOPLE, report_link, serving_report
from tests.test_report import browser, sign_in
from tests.test_slack_closing_the_loop import command


async def what_the_facilitator_sees(
    bot: RunningBot, api: FakeSlackWebApi, author: str
) -> list[str]:
    api.channel_members[GROUP] = PEOPLE
    await command(bot, api, "/coproduce", "group name Carers", channel=GROUP)
    await command(bot, api, "/idea", "Clearer letters", user="UANN", channel=GROUP)
    await command(bot, api, "/idea", "anonymous Kinder reception desk", user=author, channel=GROUP)
    await command(bot, api, "/update", "2 green-lit We will train the team", channel=GROUP)
    await command(bot, api, "/coproduce", "time 1h reading", user="UANN", channel=GROUP)
    await bot.deliver()
    seen = []
    async with browser() as fac:
        await sign_in(fac, await report_link(bot, api, user="UFAC"))
        for path in ("report", "report/ideas.csv", "report/involvement.csv"):
            async with fac.get(f"{bot.url}{path}") as response:
                assert response.status == 200
                seen.append(await response.text())
    return seen


async def test_who_shared_an_anonymous_idea_changes_nothing_in_the_report(
    admins: frozenset[str], tmp_path: Path
) -> None:
    worlds = {}
    for author in ("UDEE", "UEVE"):
        url = f"sqlite:///{tmp_path / author}.db"
        await upgrade(url)
        database = Database(url)
        api = FakeSlackWebApi()
        await api.start()
        try:
            async with serving_report(url, database, api, admins, FakeClock()) as bot:
                worlds[author] = await what_the_facilitator_sees(bot, api, author)
        finally:
            await api.stop()
            await database.dispose()
    page, ideas, involvement = worlds["UDEE"]
    assert "Kinder reception desk" in page and "udee" not in page.lower()
    assert "udee" not in ideas.lower() and "udee" not in involvement.lower()
    assert worlds["UDEE"] == worlds["UEVE"]
