"""The same behaviours on every platform a person can use: Slack, Teams and the guests' page and
email. Each platform's driver does what a person there would do; the assertions are shared.

- an idea is saved at once with a number, and the answer goes to its author alone;
- an anonymous idea is stored without a name;
- a facilitator's decision reaches the author privately, with its reason.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any, Protocol

import pytest
from aiohttp import ClientSession

from tests import stored
from tests.conftest import RunningBot
from tests.fakes.mailbox import SmtpServer
from tests.fakes.slack_api import FakeSlackWebApi
from tests.fakes.teams_connector import FakeConnector
from tests.guest_site import guest_bot, press, smtp, text_of  # noqa: F401  (fixtures)
from tests.report_site import GROUP
from tests.teams_activities import personal_message
from tests.test_guests import SAM, invited
from tests.test_slack_closing_the_loop import command, dms_to
from tests.test_teams_ideas import send


class Driver(Protocol):
    async def share(self, text: str, *, anonymous: bool = False) -> str: ...

    async def decide(self, number: int, note: str) -> None: ...

    def heard(self, note: str) -> bool: ...


class Slack:
    def __init__(self, bot: RunningBot, api: FakeSlackWebApi) -> None:
        self.bot, self.api = bot, api

    async def share(self, text: str, *, anonymous: bool = False) -> str:
        said = f"anonymous {text}" if anonymous else text
        return await command(self.bot, self.api, "/idea", said, user="UANN")

    async def decide(self, number: int, note: str) -> None:
        await command(self.bot, self.api, "/update", f"{number} green-lit {note}")

    def heard(self, note: str) -> bool:
        return bool(dms_to(self.api, "UANN", note))


class Teams:
    def __init__(self, bot: RunningBot, connector: FakeConnector) -> None:
        self.bot, self.connector = bot, connector

    async def _say(self, text: str, user: str, name: str) -> str:
        before = len(self.connector.sent)
        activity = personal_message(
            text, service_url=self.connector.base_url, user_id=user, user_name=name
        )
        assert await send(self.bot, activity) in (200, 201)
        await self.bot.replies_sent()
        sent = self.connector.sent[before:]
        assert all(s.conversation_id == f"a:personal-{user}" for s in sent)  # theirs alone
        return "\n".join(s.card_text for s in sent)

    async def share(self, text: str, *, anonymous: bool = False) -> str:
        said = f"idea anonymous {text}" if anonymous else text
        return await self._say(said, "29:ann", "Ann")

    async def decide(self, number: int, note: str) -> None:
        await self._say(f"update {number} green-lit {note}", "29:user-facilitator", "Fran")

    def heard(self, note: str) -> bool:
        return any(
            note in s.card_text and s.conversation_id == "a:personal-29:ann"
            for s in self.connector.sent
        )


class Guest:
    def __init__(
        self, bot: RunningBot, api: FakeSlackWebApi, mail: SmtpServer, http: ClientSession
    ) -> None:
        self.bot, self.api, self.mail, self.http = bot, api, mail, http
        self.link = ""

    async def share(self, text: str, *, anonymous: bool = False) -> str:
        if not self.link:
            self.link = await invited(self.bot, self.api, self.mail)
        fields = {"idea": text, **({"anonymous": "yes"} if anonymous else {})}
        _, _, page = await press(self.http, self.link, "share|", **fields)
        return page.split('class="news"')[1].split("</section>")[0]

    async def decide(self, number: int, note: str) -> None:
        await command(self.bot, self.api, "/update", f"{number} green-lit {note}", channel=GROUP)

    def heard(self, note: str) -> bool:
        return any(note in text_of(m) for m in self.mail.mailbox.to(SAM))


@pytest.fixture(params=["slack", "teams", "guests"])
async def someone(
    request: pytest.FixtureRequest,
    guest_bot: RunningBot,  # noqa: F811
    slack_api: FakeSlackWebApi,
    teams_connector: FakeConnector,
    smtp: SmtpServer,  # noqa: F811
) -> AsyncIterator[Any]:
    async with ClientSession() as http:
        if request.param == "slack":
            yield Slack(guest_bot, slack_api)
        elif request.param == "teams":
            yield Teams(guest_bot, teams_connector)
        else:
            yield Guest(guest_bot, slack_api, smtp, http)


async def test_an_idea_is_saved_with_a_number_and_answered_privately(
    someone: Driver,
    guest_bot: RunningBot,  # noqa: F811
) -> None:
    answer = await someone.share("Evening clinics")
    assert "saved your idea as #1" in answer.replace("&#39;", "'")
    [idea] = await stored.ideas(guest_bot.database)
    assert (idea.number, idea.text, idea.anonymous) == (1, "Evening clinics", False)


async def test_an_anonymous_idea_carries_no_name(
    someone: Driver,
    guest_bot: RunningBot,  # noqa: F811
) -> None:
    await someone.share("Quieter waiting room", anonymous=True)
    [idea] = await stored.ideas(guest_bot.database)
    assert idea.anonymous


async def test_a_decision_reaches_the_author_privately_with_its_reason(
    someone: Driver,
    guest_bot: RunningBot,  # noqa: F811
) -> None:
    await someone.share("Evening clinics")
    await someone.decide(1, "Tuesdays from March, thank you")
    await guest_bot.deliver()
    assert someone.heard("Tuesdays from March, thank you")
