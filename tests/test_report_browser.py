"""The impact report in a real browser: Debian's Chromium, headless, driven by Playwright (no
browser download). A facilitator signs in with a link from a real `/coproduce report`, reads the
figures, downloads both CSV files, uses the page by keyboard and at 200% zoom, prints it, and
axe-core (from npm) finds no WCAG 2.2 AA violation.

Without Chromium or axe-core these tests skip and say why; CI installs both and sets
COPRODUCE_BROWSER_TESTS=required, so there they fail instead of skipping.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import RunningBot
from tests.fakes.slack_api import FakeSlackWebApi
from tests.report_site import (
    a_quarter_of_work,
    report_bot,  # noqa: F401  (a fixture)
    report_link,
)

ROOT = Path(__file__).parent.parent
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# Set to a folder (docs/images) to keep the screenshot the README shows.
SCREENSHOTS = os.environ.get("COPRODUCE_SCREENSHOTS")
# The probe's flags: a closed network refuses Chromium's own background connections.
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def _missing() -> str | None:
    if CHROMIUM is None:
        return "Chromium is not installed (Debian: apt install chromium)"
    if not AXE.exists():
        return "axe-core is not installed (npm ci, which make test runs when npm is present)"
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "playwright is not installed (make install)"
    return None


@pytest.fixture
async def chromium() -> AsyncIterator[Any]:
    missing = _missing()
    if missing:
        if os.environ.get("COPRODUCE_BROWSER_TESTS") == "required":
            pytest.fail(f"browser tests are required here, but {missing}")
        pytest.skip(missing)
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            yield browser
        finally:
            await browser.close()


def read_csv(path: str) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig") as downloaded:
        return list(csv.DictReader(io.StringIO(downloaded.read())))


async def axe_violations(page: Any) -> list[str]:
    await page.evaluate(AXE.read_text(encoding="utf-8"))
    result = await page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        WCAG_22_AA,
    )
    return [
        f"{v['id']}: {v['help']} ({len(v['nodes'])}: {v['nodes'][0]['html'][:80]})"
        for v in result["violations"]
    ]


async def test_a_facilitator_reads_downloads_and_prints_the_report_in_chromium(
    report_bot: RunningBot,  # noqa: F811
    slack_api: FakeSlackWebApi,
    chromium: Any,
    tmp_path: Path,
) -> None:
    bot, api = report_bot, slack_api
    await a_quarter_of_work(bot, api)
    link = await report_link(bot, api)
    context = await chromium.new_context(
        accept_downloads=True, viewport={"width": 1280, "height": 900}
    )
    page = await context.new_page()
    problems: list[str] = []
    page.on(
        "console",
        lambda message: problems.append(message.text) if message.type == "error" else None,
    )
    await page.goto(link)
    await page.get_by_role("button", name="Open the report").click()
    await page.wait_for_url("**/report")
    assert await page.title() == "Impact report · Coproduce"
    expected = {
        "#ideas-received": "3",
        "#decisions-made": "2",
        "#loops-closed": "67%",
        "#meeting-hours": "9.00",
        "#total-hours": "11.00",
        "#took-part": "6",
    }
    for selector, value in expected.items():
        assert await page.locator(selector).inner_text() == value, selector
    # Three charts drawn, each with its table beside it
    assert await page.locator("figure img[src^='data:image/svg+xml']").count() == 3
    assert await page.locator("table caption").count() == 3
    assert problems == []  # nothing refused by the Content-Security-Policy, no errors

    async with page.expect_download() as ideas_download:
        await page.get_by_role("link", name="Ideas (CSV file)").click()
    ideas_file = await (await ideas_download.value).path()
    ideas = read_csv(ideas_file)
    assert [row["Shared by"] for row in ideas] == ["uann", "", "ucal"]
    async with page.expect_download() as people_download:
        await page.get_by_role(
            "link", name="Time and attendance for each person (CSV file)"
        ).click()
    people_file = await (await people_download.value).path()
    people = read_csv(people_file)
    assert {row["Name"]: row["Total hours"] for row in people}["uann"] == "3.50"

    assert await axe_violations(page) == []
    if SCREENSHOTS:
        await page.screenshot(path=str(Path(SCREENSHOTS) / "report.png"), full_page=True)

    # By keyboard alone: the skip link first, then every control of the page in order
    await page.goto(f"{bot.url}report")
    reached = []
    for _ in range(10):
        await page.keyboard.press("Tab")
        reached.append(
            await page.evaluate(
                "() => { const e = document.activeElement;"
                " return (e.id || e.textContent || '').trim(); }"
            )
        )
    assert reached[0] == "Skip to the report"
    for control in ("group", "period", "Show the report", "Ideas (CSV file)"):
        assert control in reached, reached
    await page.keyboard.press("Shift+Tab")
    # Choosing another period by keyboard and Enter shows it
    await page.focus("#period")
    await page.keyboard.press("ArrowDown")
    await page.get_by_role("button", name="Show the report").press("Enter")
    await page.wait_for_url("**/report?group=*&period=*")
    assert "July to September 2026" in await page.locator(".period").inner_text()

    # At 200% zoom (half the width in CSS pixels) nothing needs scrolling sideways
    await page.set_viewport_size({"width": 640, "height": 900})
    await page.goto(f"{bot.url}report")
    wide = await page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert wide <= 0
    assert await axe_violations(page) == []

    # Printed (or saved as PDF): the figures without the controls
    await page.emulate_media(media="print")
    assert not await page.locator("form.choose").is_visible()
    assert await page.locator("#ideas-received").is_visible()
    pdf = await page.pdf(path=str(tmp_path / "report.pdf"))
    assert pdf.startswith(b"%PDF")
    await context.close()


async def test_refusals_are_plain_accessible_pages(
    report_bot: RunningBot,  # noqa: F811
    slack_api: FakeSlackWebApi,
    chromium: Any,
) -> None:
    bot = report_bot
    page = await chromium.new_page()
    response = await page.goto(f"{bot.url}report")
    assert response is not None and response.status == 401
    assert "Please sign in" in await page.locator("h1").inner_text()
    assert await axe_violations(page) == []
    response = await page.goto(f"{bot.url}report/sign-in?t=made-up")
    assert response is not None and response.status == 403
    assert await axe_violations(page) == []
    await page.close()
