"""The impact report over HTTP: signing in by a link from `/coproduce report`, who may see
what, the figures, and the two CSV files (what a finance team or a board receives)."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

from aiohttp import ClientSession, CookieJar

from adapters.report.routes import ReportSite
from tests.conftest import RunningBot
from tests.fakes.slack_api import FakeSlackWebApi
from tests.fakes.teams_connector import FakeConnector
from tests.report_site import (
    GROUP,
    SECRET_KEY,
    a_quarter_of_work,
    press,
    report_bot,  # noqa: F401  (a fixture)
    report_link,
)
from tests.test_slack_closing_the_loop import command


def browser() -> ClientSession:
    """A client that keeps cookies for 127.0.0.1 too, as a browser does."""
    return ClientSession(cookie_jar=CookieJar(unsafe=True))


REPORT_ROUTES = ("/report", "/report/ideas.csv", "/report/involvement.csv", "/report/other")


async def sign_in(http: ClientSession, link: str) -> tuple[int, str]:
    """Open the link, press the button: the status and text of where that leads."""
    async with http.get(link) as page:
        assert page.status == 200, await page.text()
        assert 'method="post" action="/report/sign-in"' in await page.text()
    token = parse_qs(urlsplit(link).query)["t"][0]
    base = link.split("/report/")[0]
    async with http.post(f"{base}/report/sign-in", data={"t": token}) as signed:
        return signed.status, await signed.text()


async def csv_rows(http: ClientSession, url: str) -> list[dict[str, str]]:
    async with http.get(url) as response:
        assert response.status == 200
        assert response.headers["Content-Type"].startswith("text/csv")
        assert "attachment" in response.headers["Content-Disposition"]
        text = (await response.read()).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


async def test_a_facilitator_signs_in_from_slack_and_reads_the_quarter(
    report_bot: RunningBot,  # noqa: F811
    slack_api: FakeSlackWebApi,
) -> None:
    bot, api = report_bot, slack_api
    await a_quarter_of_work(bot, api)
    link = await report_link(bot, api)
    async with browser() as ann:
        status, page = await sign_in(ann, link)
        assert status == 200
        cookie = next(c for c in ann.cookie_jar if c.key == "coproduce_report")
        assert cookie["httponly"] and cookie["samesite"] == "Strict"
        assert cookie["path"] == "/report"
        assert "Impact report: Carers" in page
        figures = {
            "ideas-received": "3",
            "decisions-made": "2",
            "time-to-decision": "4 days (the median)",
            "loops-closed": "67%",
            "meetings": "1",
            "meeting-hours": "9.00",  # 1.5 hours, six people there
            "other-hours": "2.00",
            "total-hours": "11.00",
            "thanks-given": "1",
            "members": "6",
            "took-part": "6",
        }
        for name, value in figures.items():
            assert f'id="{name}">{value}</dd>' in page, name
        assert "We will rewrite them with you" in page  # you said, we did
        assert "Other" not in page.split('id="group"')[1].split("</select>")[0]  # not Ann's group

        ideas = await csv_rows(ann, f"{bot.url}report/ideas.csv")
        by_number = {row["Idea"]: row for row in ideas}
        assert by_number["#1"]["Shared by"] == "uann"
        assert by_number["#1"]["Status"] == "Going ahead"
        assert by_number["#1"]["Days to decision"] == "3"
        assert by_number["#2"]["Shared by"] == ""  # anonymous: no name, not even to finance
        assert by_number["#2"]["Idea text"] == "A quieter waiting room"
        assert by_number["#3"]["Idea text"].startswith("'=HYPERLINK")  # text, not a formula

        people = {
            row["Name"]: row for row in await csv_rows(ann, f"{bot.url}report/involvement.csv")
        }
        assert people["uann"]["Meetings attended"] == "1"
        assert people["uann"]["Meeting hours"] == "1.50"
        assert people["uann"]["Other hours"] == "2.00"
        assert people["uann"]["Total hours"] == "3.50"
        assert people["uben"]["Thanks received"] == "1"
        assert people["uann"]["Id"] == "slack:UANN"

        # Someone who forgets themselves leaves no name in either file
        await command(bot, api, "/coproduce", "forget-me", user="UCAL", channel=GROUP)
        await press(bot, api, "forget.keep", "", "UCAL")
        ideas = {r["Idea"]: r for r in await csv_rows(ann, f"{bot.url}report/ideas.csv")}
        assert ideas["#3"]["Shared by"] == ""
        people = {r["Name"] for r in await csv_rows(ann, f"{bot.url}report/involvement.csv")}
        assert "ucal" not in people and "uann" in people

        # A group Ann does not run is refused, and so is a period we don't offer
        async with ann.get(f"{bot.url}report?group=999") as other:
            assert other.status == 403
        async with ann.get(f"{bot.url}report?period=1999-Q1") as odd:
            assert odd.status == 400
            assert "Traceback" not in await odd.text()


async def test_links_work_once_in_time_and_only_for_facilitators(
    report_bot: RunningBot,  # noqa: F811
    slack_api: FakeSlackWebApi,
) -> None:
    bot, api = report_bot, slack_api
    await a_quarter_of_work(bot, api)
    link = await report_link(bot, api)
    token = parse_qs(urlsplit(link).query)["t"][0]
    async with browser() as first:
        assert (await sign_in(first, link))[0] == 200
    async with browser() as second:
        async with second.post(f"{bot.url}report/sign-in", data={"t": token}) as reused:
            assert reused.status == 403
            assert "already been used" in await reused.text()
        async with second.get(link) as reopened:
            assert reopened.status == 403
        forged = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")
        async with second.get(f"{bot.url}report/sign-in?t={forged}") as fake:
            assert fake.status == 403
            assert "copied in full" in await fake.text()
        late = await report_link(bot, api)
        bot.clock.advance(timedelta(minutes=16))
        async with second.get(late) as expired:
            assert expired.status == 403
            assert "run out" in await expired.text()
        for path in REPORT_ROUTES:
            async with second.get(f"{bot.url}{path.lstrip('/')}") as refused:
                assert refused.status == 401, path
                assert "/coproduce report" in await refused.text()

    # Ann stops facilitating: her unused link and her open session both stop working
    unused = await report_link(bot, api)
    async with browser() as ann:
        assert (await sign_in(ann, await report_link(bot, api)))[0] == 200
        await command(bot, api, "/coproduce", "facilitators remove <@UANN|ann>", channel=GROUP)
        async with ann.get(unused) as refused:
            assert refused.status == 403
            assert "for facilitators" in await refused.text()
        for path in REPORT_ROUTES:
            async with ann.get(f"{bot.url}{path.lstrip('/')}") as refused:
                assert refused.status == 403, path

    # A session cookie from another key, or a day old, is no session
    async with browser() as admin:
        assert (await sign_in(admin, await report_link(bot, api, user="UFAC")))[0] == 200
        async with admin.get(f"{bot.url}report") as page:
            assert page.status == 200
            assert 'name="group"' in await page.text()
        bot.clock.advance(timedelta(hours=8, minutes=1))
        async with admin.get(f"{bot.url}report") as tomorrow:
            assert tomorrow.status == 401


async def test_members_are_refused_and_an_unset_report_says_how_to_turn_it_on(
    running_bot: RunningBot, slack_api: FakeSlackWebApi
) -> None:
    bot, api = running_bot, slack_api
    api.channel_members[GROUP] = ["UFAC", "UANN"]
    await command(bot, api, "/coproduce", "group name Carers", channel=GROUP)
    refused = await command(bot, api, "/coproduce", "report", user="UANN", channel=GROUP)
    assert "Only facilitators can open the impact report" in refused
    off = await command(bot, api, "/coproduce", "report", channel=GROUP)
    assert "COPRODUCE_PUBLIC_URL" in off and "COPRODUCE_SECRET_KEY" in off
    async with bot.http.get(f"{bot.url}report") as missing:
        assert missing.status == 404  # not served at all when it is off


async def test_pages_forbid_script_and_other_origins(
    report_bot: RunningBot,  # noqa: F811
    slack_api: FakeSlackWebApi,
) -> None:
    bot, api = report_bot, slack_api
    await a_quarter_of_work(bot, api)
    async with browser() as ann:
        await sign_in(ann, await report_link(bot, api))
        async with ann.get(f"{bot.url}report") as page:
            policy = page.headers["Content-Security-Policy"]
            html = await page.text()
    assert "default-src 'none'" in policy and "script-src" not in policy
    assert "unsafe-inline" not in policy and "frame-ancestors 'none'" in policy
    assert "<script" not in html
    assert page.headers["Cache-Control"] == "no-store"
    assert page.headers["Referrer-Policy"] == "no-referrer"


async def test_the_cookie_is_secure_when_served_over_https(
    report_bot: RunningBot,  # noqa: F811
    slack_api: FakeSlackWebApi,
) -> None:
    bot, api = report_bot, slack_api
    await a_quarter_of_work(bot, api)
    link = await report_link(bot, api)
    site = ReportSite(
        database=bot.database,
        secret_key=SECRET_KEY,
        public_url="https://coproduce.example.nhs.uk",
        clock=bot.clock,
    )
    from aiohttp import web
    from aiohttp.test_utils import TestServer

    app = web.Application()
    for route in site.routes():
        app.router.add_route(route.method, route.path, route.handler)
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    try:
        token = parse_qs(urlsplit(link).query)["t"][0]
        async with (
            ClientSession() as http,
            http.post(
                server.make_url("/report/sign-in"), data={"t": token}, allow_redirects=False
            ) as signed,
        ):
            assert signed.status == 303
            set_cookie = signed.headers["Set-Cookie"]
    finally:
        await server.close()
    assert "Secure" in set_cookie and "HttpOnly" in set_cookie and "SameSite=Strict" in set_cookie


async def test_loops_close_only_when_everyone_behind_an_idea_has_heard(
    report_bot: RunningBot,  # noqa: F811
    slack_api: FakeSlackWebApi,
) -> None:
    bot, api = report_bot, slack_api
    api.channel_members[GROUP] = ["UFAC", "UANN", "UBEN", "UCAL", "UDEE"]
    await command(bot, api, "/coproduce", "group name Carers", channel=GROUP)
    api.channel_members["CSMALL"] = ["UFAC", "UANN", "UBEN", "UCAL"]
    await command(bot, api, "/coproduce", "group name Small", channel="CSMALL")
    await command(bot, api, "/idea", "Evening clinics", user="UANN", channel=GROUP)
    await command(bot, api, "/update", "1 green-lit Starting in March", channel=GROUP)
    async with browser() as fac:
        await sign_in(fac, await report_link(bot, api, user="UFAC"))
        async with fac.get(f"{bot.url}report") as before:
            assert 'id="loops-closed">0%</dd>' in await before.text()  # Ann not told yet
        await bot.deliver()
        async with fac.get(f"{bot.url}report") as after:
            page = await after.text()
    assert 'id="loops-closed">100%</dd>' in page
    assert 'id="too-small"' not in page  # five people: the figures show
    [small_id] = re.findall(r'<option value="(\d+)"[^>]*>Small<', page)
    async with browser() as fac:
        await sign_in(fac, await report_link(bot, api, user="UFAC"))
        async with fac.get(f"{bot.url}report?group={small_id}") as small:
            text = await small.text()
    assert 'id="too-small"' in text and 'id="took-part"' not in text


async def test_teams_sends_the_link_to_the_facilitators_own_chat_as_a_button(
    report_bot: RunningBot,  # noqa: F811
    teams_connector: FakeConnector,
) -> None:
    from tests.test_groups_teams import ADMIN, CHANNEL, run

    bot, connector = report_bot, teams_connector
    await run(bot, connector, CHANNEL, ADMIN, "coproduce group name Maternity")
    before = len(connector.sent)
    await run(bot, connector, CHANNEL, ADMIN, "coproduce report")
    sent = connector.sent[before:]
    opened = [a for s in sent for a in s.actions if a.get("type") == "Action.OpenUrl"]
    [button] = opened
    assert button["title"] == "Open the impact report"
    assert button["url"].startswith(f"{bot.url}report/sign-in?t=")
    [private] = [s for s in sent if button in s.actions]
    assert not private.conversation_id.startswith(CHANNEL)  # never in the channel
    assert all(button["url"] not in str(s.activity) for s in sent if s is not private)
    async with browser() as fran:
        status, page = await sign_in(fran, button["url"])
    assert status == 200 and "Impact report: Maternity" in page


def test_the_console_prints_the_link() -> None:
    from adapters.console.render import text
    from bot.seam.messages import Link, Message

    printed, _ = text(Message("Link", (Link("Open the impact report", "http://127.0.0.1/r"),)))
    assert printed == "Open the impact report: http://127.0.0.1/r"
