"""Guests, end to end: a facilitator invites someone from Slack; they get a real email (through
a real local SMTP server), open their private page, share ideas, hear about decisions and thanks
by email, are marked present at a meeting, answer its prompt on the page, pause, download their
data and delete it. Links are refused when forged, renewed or removed, and change nothing."""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta
from pathlib import Path

from aiohttp import ClientSession

from storage.models import Guest, Idea
from tests import stored
from tests.conftest import RunningBot
from tests.fakes.mailbox import SmtpServer
from tests.fakes.slack_api import FakeSlackWebApi
from tests.guest_site import (
    guest_bot,  # noqa: F401  (a fixture)
    html_of,
    link_in,
    open_page,
    press,
    smtp,  # noqa: F401  (a fixture)
    text_of,
)
from tests.report_site import GROUP, PEOPLE, report_link
from tests.slack_requests import action_request, view_submission_request
from tests.test_report import browser, sign_in
from tests.test_slack_closing_the_loop import command
from tests.test_slack_ideas import post

SAM = "sam@example.org"


async def invited(bot: RunningBot, api: FakeSlackWebApi, mail: SmtpServer, who: str = SAM) -> str:
    """Make the group, invite `who` from Slack, deliver: the link in their invitation."""
    api.channel_members[GROUP] = PEOPLE
    await command(bot, api, "/coproduce", "group name Carers", channel=GROUP)
    answer = await command(bot, api, "/coproduce", f"invite <mailto:{who}|{who}>", channel=GROUP)
    assert f"I've emailed an invitation to: {who}" in answer
    await bot.deliver()
    [invitation] = mail.mailbox.to(who)
    return link_in(invitation)


async def a_meeting_the_guest_came_to(bot: RunningBot, api: FakeSlackWebApi) -> None:
    """`/meeting end`: the guest is in the checklist, unticked; the facilitator ticks everyone.
    The prompt is then due, and delivered."""
    await command(bot, api, "/coproduce", "settings reflection-delay 1h", channel=GROUP)
    await command(bot, api, "/meeting", "start Autumn review", channel=GROUP)
    ended = await command(bot, api, "/meeting", "end", channel=GROUP)
    assert "Who was there?" in ended
    change = next(
        element
        for block in api.private_answers()[-1].params["blocks"]
        if block["type"] == "actions"
        for element in block["elements"]
        if element["text"]["text"] == "Someone wasn't"
    )
    body, headers = action_request(
        change["action_id"],
        change["value"],
        response_url=api.response_url(),
        user="UFAC",
        channel=GROUP,
    )
    await post(bot, body, headers)
    view = api.calls_to("views.open")[-1].params["view"]
    view = json.loads(view) if isinstance(view, str) else view
    [checklist] = [b for b in view["blocks"] if b["type"] == "input"]
    names = {o["text"]["text"]: o["value"] for o in checklist["element"]["options"]}
    assert "sam" in names  # listed by the name they gave, not ticked until the facilitator does
    assert all(o["text"]["text"] != "sam" for o in checklist["element"]["initial_options"])
    body, headers = view_submission_request(
        view, {}, user="UFAC", ticked={"present": list(names.values())}
    )
    await post(bot, body, headers)
    await bot.reflection_due(bot.clock.now + timedelta(hours=2))
    await bot.deliver()


async def ideas(bot: RunningBot) -> list[Idea]:
    return await stored.ideas(bot.database)


async def test_a_guest_takes_part_by_email_and_their_page(
    guest_bot: RunningBot,  # noqa: F811
    slack_api: FakeSlackWebApi,
    smtp: SmtpServer,  # noqa: F811
) -> None:
    bot, api, mail = guest_bot, slack_api, smtp
    link = await invited(bot, api, mail)
    [invitation] = mail.mailbox.to(SAM)
    assert "invited you to share your ideas" in text_of(invitation)
    assert str(invitation["List-Unsubscribe"]).strip() == f"<{link}/stop>"
    assert invitation["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert f'href="{link}"' in html_of(invitation)
    # Dated by the bot's clock (this test's 24 November 2026), as every email must be
    assert invitation["Date"].datetime.date() == bot.clock.now.date()

    async with ClientSession() as sam:
        status, page = await open_page(sam, link)
        assert status == 200 and "Hello, sam" in page and "taking part in Carers" in page
        assert "116 123" in page  # where to get urgent help, on the page itself
        status, _, page = await press(sam, link, "share|", idea="Evening sessions for carers")
        assert status == 200 and "#1" in page
        await bot.deliver()
        acknowledged = text_of(mail.mailbox.to(SAM)[-1]).replace("\n", " ")
        assert "saved your idea as #1" in acknowledged  # by email too, as a DM would be
        await press(sam, link, "share|", idea="A quieter waiting room", anonymous="yes")
        [named, anonymous] = await ideas(bot)
        assert (named.text, named.anonymous) == ("Evening sessions for carers", False)
        assert (anonymous.text, anonymous.anonymous) == ("A quieter waiting room", True)
        group_members = {p.display_name for p in await stored.people(bot.database)}
        assert "sam" in group_members

        # Decisions and thanks reach the guest by email
        await command(bot, api, "/update", "1 green-lit Tuesday evenings from March", channel=GROUP)
        await command(bot, api, "/credit", f"{SAM} for the evening idea", channel=GROUP)
        await bot.deliver()
        said = "\n".join(text_of(m) for m in mail.mailbox.to(SAM))
        assert "Tuesday evenings from March" in said
        assert "thanked you for: the evening idea" in said
        status, page = await open_page(sam, link)
        assert "Going ahead" in page  # what became of the idea, on the page

        # A meeting: the facilitator ticks the guest as there; the prompt comes by email
        await a_meeting_the_guest_came_to(bot, api)
        prompt = text_of(mail.mailbox.to(SAM)[-1])
        assert "Autumn review" in prompt and "please use your page" in prompt
        status, _, page = await press(sam, link, "share|", idea="Parking was hard to find")
        assert "afterthought" in page.lower()
        # For paying people for their time: the guest is in the involvement file by address
        async with browser() as fac:
            await sign_in(fac, await report_link(bot, api, user="UFAC"))
            async with fac.get(f"{bot.url}report/involvement.csv") as response:
                rows = list(
                    csv.DictReader(io.StringIO((await response.read()).decode("utf-8-sig")))
                )
        [row] = [r for r in rows if r["Name"] == "sam"]
        assert (row["Id"], row["Meetings attended"]) == (SAM, "1")

        # Pause, download, delete
        _, _, page = await press(sam, link, "pause|")
        assert "Start messages again" in page
        status, kind, data = await press(sam, link, "my-data|")
        assert kind.startswith("application/json")
        exported = json.loads(data)
        assert SAM in json.dumps(exported)  # their address is their data too
        _, _, page = await press(sam, link, "forget-me|")
        assert "Delete my ideas too" in page
        status, _, farewell = await press(sam, link, "forget.delete|1")
        assert status == 200 and "deleted" in farewell
        status, gone = await open_page(sam, link)
        assert status == 404 and "doesn't work" in gone.replace("&#39;", "'")
    assert all(i.text != "Evening sessions for carers" for i in await ideas(bot))
    assert await stored.rows(bot.database, Guest) == []


async def test_links_that_were_forged_renewed_or_removed_change_nothing(
    guest_bot: RunningBot,  # noqa: F811
    slack_api: FakeSlackWebApi,
    smtp: SmtpServer,  # noqa: F811
) -> None:
    bot, api, mail = guest_bot, slack_api, smtp
    link = await invited(bot, api, mail)
    async with ClientSession() as sam:
        forged = link[:-4] + "AAAA"
        status, page = await open_page(sam, forged)
        assert status == 404 and "latest email" in page
        async with sam.post(link, data={"press": "share|", "idea": "No token"}) as missing:
            assert missing.status == 403
        assert await ideas(bot) == []

        # The guest asks for a new link: the old one stops, the new one comes by email
        status, _, page = await press(sam, link, "new-link|")
        assert status == 200 and "emailed you a new link" in page.replace("&#39;", "'")
        await bot.deliver()
        renewed = link_in(mail.mailbox.to(SAM)[-1])
        assert renewed != link
        assert (await open_page(sam, link))[0] == 404
        assert (await open_page(sam, renewed))[0] == 200

        # One click in a mail client stops every email; the page still works
        async with sam.get(f"{renewed}/stop") as asked:
            assert asked.status == 200 and "<form" in await asked.text()
        async with sam.post(f"{renewed}/stop", data={"List-Unsubscribe": "One-Click"}) as stopped:
            assert stopped.status == 200
        before = len(mail.mailbox.to(SAM))
        await press(sam, renewed, "share|", idea="Signs in bigger letters")
        await command(bot, api, "/update", "1 considering Looking at it", channel=GROUP)
        await bot.deliver()
        assert len(mail.mailbox.to(SAM)) == before

        # Removed by a facilitator: the link stops at once; what they shared stays
        listed = await command(bot, api, "/coproduce", "guests", channel=GROUP)
        assert SAM in listed and "emails stopped" in listed
        removed = await command(bot, api, "/coproduce", f"guests remove {SAM}", channel=GROUP)
        assert "stopped working" in removed
        assert (await open_page(sam, renewed))[0] == 404
    assert [i.text for i in await ideas(bot)] == ["Signs in bigger letters"]


async def test_members_cannot_invite_and_bad_addresses_are_named(
    guest_bot: RunningBot,  # noqa: F811
    slack_api: FakeSlackWebApi,
    smtp: SmtpServer,  # noqa: F811
) -> None:
    bot, api, mail = guest_bot, slack_api, smtp
    api.channel_members[GROUP] = PEOPLE
    await command(bot, api, "/coproduce", "group name Carers", channel=GROUP)
    refused = await command(bot, api, "/coproduce", f"invite {SAM}", user="UANN", channel=GROUP)
    assert "Only" in refused and "facilitators" in refused
    answer = await command(
        bot, api, "/coproduce", "invite not-an-address bounce@example.org", channel=GROUP
    )
    assert "not-an-address" in answer and "bounce@example.org" in answer
    mail.mailbox.refuse.add("bounce@example.org")
    await bot.deliver()
    assert mail.mailbox.received == []  # refused for good: not tried again and again
    async with bot.database.reading() as session:
        from storage import outbox

        assert await outbox.depth(session=session) == 0


async def what_a_facilitator_sees(author: str, admins: frozenset[str], tmp_path: Path) -> list[str]:
    """One world: a guest is invited, and `author` (the guest, or a Slack member) shares an
    anonymous idea; everything the facilitator can look at afterwards."""
    from storage.database import Database
    from storage.migrate import upgrade
    from tests.clock import FakeClock
    from tests.guest_site import MAIL_FROM
    from tests.report_site import report_link, serving_report
    from tests.test_report import browser, sign_in

    url = f"sqlite:///{tmp_path / author}.db"
    await upgrade(url)
    database, api, mail = Database(url), FakeSlackWebApi(), SmtpServer()
    await api.start()
    mail.start()
    seen: list[str] = []
    try:
        async with serving_report(
            url, database, api, admins, FakeClock(), SMTP_URL=mail.url, MAIL_FROM=MAIL_FROM
        ) as bot:
            link = await invited(bot, api, mail)
            if author == "guest":
                async with ClientSession() as guest:
                    await press(guest, link, "share|", idea="Kinder desk", anonymous="yes")
            else:
                # The guest never opens their page here: nothing the facilitator sees may show it
                await command(bot, api, "/idea", "anonymous Kinder desk", user=author)
            await command(bot, api, "/update", "1 green-lit We will train the team", channel=GROUP)
            await bot.deliver()
            seen.append(await command(bot, api, "/ideas", ""))
            seen.append(await command(bot, api, "/digest", "preview", channel=GROUP))
            seen.append(await command(bot, api, "/coproduce", "guests", channel=GROUP))
            async with browser() as fac:
                await sign_in(fac, await report_link(bot, api, user="UFAC"))
                for path in ("report", "report/ideas.csv", "report/involvement.csv"):
                    async with fac.get(f"{bot.url}{path}") as response:
                        seen.append(await response.text())
    finally:
        mail.stop()
        await api.stop()
        await database.dispose()
    return seen


async def test_a_guest_sharing_anonymously_is_as_hidden_as_anyone(
    admins: frozenset[str], tmp_path: Path
) -> None:
    """Non-interference: the same anonymous idea from the guest or from a Slack member leaves
    the facilitator's views (home, digest, guest list, report, both CSVs) the same."""
    by_guest = await what_a_facilitator_sees("guest", admins, tmp_path)
    by_member = await what_a_facilitator_sees("UDEE", admins, tmp_path)
    assert "Kinder desk" in by_guest[1] and "Kinder desk" in by_guest[4]
    assert by_guest == by_member


async def test_posting_is_rate_limited_per_guest(
    guest_bot: RunningBot,  # noqa: F811
    slack_api: FakeSlackWebApi,
    smtp: SmtpServer,  # noqa: F811
) -> None:
    from tests.guest_site import CSRF

    link = await invited(guest_bot, slack_api, smtp)
    async with ClientSession() as sam:
        _, page = await open_page(sam, link)
        token = CSRF.findall(page)[0].rpartition(".")[0]
        statuses = []
        for n in range(32):
            form = {"csrf": f"{token}.n{n}", "press": "pause|"}
            async with sam.post(link, data=form) as response:
                statuses.append(response.status)
                if response.status == 429:
                    assert "wait a moment" in await response.text()
        assert statuses[:30] == [200] * 30 and statuses[-1] == 429


async def test_the_groups_weekly_post_reaches_its_guests_by_email(
    guest_bot: RunningBot,  # noqa: F811
    slack_api: FakeSlackWebApi,
    smtp: SmtpServer,  # noqa: F811
) -> None:
    bot, api, mail = guest_bot, slack_api, smtp
    await invited(bot, api, mail)
    await command(bot, api, "/idea", "Later appointments", user="UANN", channel=GROUP)
    await command(bot, api, "/digest", "", channel=GROUP)
    await bot.deliver()
    [posted] = [c for c in api.calls_to("chat.postMessage") if c.params["channel"] == GROUP]
    [emailed] = [m for m in mail.mailbox.to(SAM) if "You said, we did" in str(m["Subject"])]
    assert "Later appointments" in text_of(emailed)
    assert "UANN" not in text_of(emailed) and "uann" not in text_of(emailed)  # no names
    assert posted  # the channel still has its post


def test_an_email_subject_is_one_line_whatever_the_message_says() -> None:
    from datetime import UTC, datetime

    from adapters.guests.render import email
    from bot.seam.messages import Message, Paragraph

    mail = email(
        Message("Your idea\nBcc: someone@example.org", (Paragraph("Thank you"),)),
        sender="Coproduce <coproduce@example.org>",
        to=SAM,
        page_url="https://coproduce.example.org/g/token",
        stop_url="https://coproduce.example.org/g/token/stop",
        language="en",
        sent_at=datetime(2028, 2, 29, 12, 0, tzinfo=UTC),
    )
    assert mail["Subject"] == "Your idea Bcc: someone@example.org"
    assert mail["Bcc"] is None
    assert mail["Date"] == "Tue, 29 Feb 2028 12:00:00 +0000"
