"""A guest's whole journey in a real browser: Debian's Chromium, headless (Playwright, no
browser download), with JavaScript off, against a real local SMTP server. axe-core (in a second,
JavaScript-on context on the same pages) finds no WCAG 2.2 AA violation on any of them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlmodel import select

from storage.models import MeetingParticipant
from tests import stored
from tests.conftest import RunningBot
from tests.fakes.mailbox import SmtpServer
from tests.fakes.slack_api import FakeSlackWebApi
from tests.guest_site import guest_bot, smtp, text_of  # noqa: F401  (fixtures)
from tests.report_site import GROUP
from tests.test_guests import SAM, a_meeting_the_guest_came_to, invited
from tests.test_report_browser import (  # noqa: F401  (chromium: a fixture)
    SCREENSHOTS,
    axe_violations,
    chromium,
    read_csv,
)
from tests.test_slack_closing_the_loop import command


def read_json(path: Path) -> list[str]:
    with open(path, encoding="utf-8") as file:
        return [file.read()]


async def share(page: Any, text: str, *, anonymous: bool = False) -> None:
    await page.get_by_role("textbox", name="Your idea").fill(text)
    if anonymous:
        await page.get_by_label("Share it without my name").check()
    await page.get_by_role("button", name="Share my idea").click()


async def test_a_guests_whole_journey_in_chromium_without_javascript(
    guest_bot: RunningBot,  # noqa: F811
    slack_api: FakeSlackWebApi,
    smtp: SmtpServer,  # noqa: F811
    chromium: Any,  # noqa: F811
) -> None:
    bot, api, mail = guest_bot, slack_api, smtp
    link = await invited(bot, api, mail)
    plain = await chromium.new_context(java_script_enabled=False, accept_downloads=True)
    checked = await chromium.new_context()  # the same pages, for axe-core, which needs script
    page, axe = await plain.new_page(), await checked.new_page()

    async def accessible() -> None:
        await axe.goto(page.url)
        assert await axe_violations(axe) == [], page.url

    await page.goto(link)
    await accessible()
    await share(page, "Evening sessions for carers")
    assert "#1" in await page.locator(".news").inner_text()
    await share(page, "A quieter waiting room", anonymous=True)
    named, anonymous = await stored.ideas(bot.database)
    assert not named.anonymous and anonymous.anonymous

    await command(bot, api, "/update", "1 green-lit Tuesday evenings from March", channel=GROUP)
    await command(bot, api, "/credit", f"{SAM} for the evening idea", channel=GROUP)
    await a_meeting_the_guest_came_to(bot, api)
    said = "\n".join(text_of(m) for m in mail.mailbox.to(SAM))
    assert "Tuesday evenings from March" in said and "thanked you" in said
    assert "Autumn review" in text_of(mail.mailbox.to(SAM)[-1])

    await page.goto(link)
    assert "Going ahead" in await page.locator("main").inner_text()
    await page.get_by_role("button", name="Share an afterthought").click()
    await axe.set_content(await page.content())  # the form the press showed, checked as is
    assert await axe_violations(axe) == []
    await page.locator(".news textarea").fill("Parking was hard to find")
    await page.locator(".news button").click()
    async with bot.database.reading() as session:
        answers = (await session.exec(select(MeetingParticipant.response))).all()
    assert "afterthought" in answers

    await page.get_by_role("button", name="Pause messages for 2 weeks").click()
    assert await page.get_by_role("button", name="Start messages again").is_visible()
    async with page.expect_download() as download:
        await page.get_by_role("button", name="Download my data").click()
    exported = "\n".join(str(row) for row in read_json(await (await download.value).path()))
    assert SAM in exported and "Evening sessions for carers" in exported
    await page.get_by_label("Language").select_option("cy")
    await page.get_by_role("button", name="Save my language").click()
    assert await page.locator("h1").inner_text() == "Helo, sam"
    await accessible()
    await page.get_by_label("Iaith").select_option("en")
    await page.get_by_role("button", name="Cadw fy iaith").click()
    if SCREENSHOTS:
        await page.screenshot(path=str(Path(SCREENSHOTS) / "guest-page.png"), full_page=True)

    for address in (f"{link}/stop", link[:-4] + "AAAA"):
        await axe.goto(address)
        assert await axe_violations(axe) == [], address

    await page.get_by_role("button", name="Delete my data").click()
    await axe.set_content(await page.content())
    assert await axe_violations(axe) == []
    await page.get_by_role("button", name="Delete my ideas too").click()
    assert "deleted" in (await page.locator("main").inner_text()).lower()
    await axe.set_content(await page.content())
    assert await axe_violations(axe) == []
    response = await page.goto(link)
    assert response is not None and response.status == 404
    assert all(i.text != "Evening sessions for carers" for i in await stored.ideas(bot.database))
    await plain.close()
    await checked.close()
