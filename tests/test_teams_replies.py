"""The turn's reply on Teams carries the bot's token, fetched as botbuilder would, not too often."""

from __future__ import annotations

from botframework.connector.auth import MicrosoftAppCredentials

from adapters.teams.replies import BotToken, reply_json
from bot.seam.messages import simple


class CountingCredentials(MicrosoftAppCredentials):  # type: ignore[misc]
    """botbuilder's credentials with MSAL replaced by a counter (no login service here)."""

    def __init__(self, app_id: str) -> None:
        super().__init__(app_id, "secret")
        self.issued = 0

    def get_access_token(self, force_refresh: bool = False) -> str:
        self.issued += 1
        return f"token-{self.issued}"


async def test_a_registered_bot_sends_its_token_and_asks_for_one_a_minute_at_most() -> None:
    now = [1000.0]
    token = BotToken(clock=lambda: now[0])
    credentials = CountingCredentials("00000000-0000-0000-0000-000000000001")
    assert await token.header(credentials) == {"Authorization": "Bearer token-1"}
    now[0] += 59
    assert await token.header(credentials) == {"Authorization": "Bearer token-1"}
    now[0] += 1
    assert await token.header(credentials) == {"Authorization": "Bearer token-2"}
    assert credentials.issued == 2


async def test_dev_mode_sends_no_token() -> None:
    token = BotToken()
    assert await token.header(CountingCredentials("")) == {}
    assert await token.header(None) == {}


def test_the_reply_goes_back_to_whoever_wrote_in_the_same_conversation() -> None:
    incoming = {
        "type": "message",
        "id": "act-1",
        "from": {"id": "29:ann", "name": "Ann"},
        "recipient": {"id": "28:bot", "name": "Coproduce"},
        "conversation": {"id": "a:chat-ann", "conversationType": "personal"},
        "channelId": "msteams",
        "serviceUrl": "https://smba.example/",
        "locale": "cy-GB",
    }
    reply = reply_json(incoming, simple("Thank you!"))
    assert reply["from"] == incoming["recipient"]
    assert reply["recipient"] == incoming["from"]
    assert reply["conversation"] == incoming["conversation"]
    assert reply["replyToId"] == "act-1"
    assert reply["locale"] == "cy-GB"
    assert reply["attachments"][0]["contentType"] == "application/vnd.microsoft.card.adaptive"
