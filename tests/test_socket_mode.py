"""Socket Mode without a network: a Socket Mode request goes through Bolt to the engine, which
answers (at the fake Web API) and the envelope is acknowledged."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_sdk.socket_mode.request import SocketModeRequest
from slack_sdk.socket_mode.response import SocketModeResponse

from tests import stored
from tests.conftest import RunningBot
from tests.fakes.slack_api import FakeSlackWebApi
from tests.slack_requests import dm_event


class RecordingSocketClient:
    """Stands in for the WebSocket: records the acknowledgements Bolt sends back."""

    def __init__(self) -> None:
        self.acks: list[SocketModeResponse] = []
        self.logger = logging.getLogger("tests.socket")

    async def send_socket_mode_response(self, response: Any) -> None:
        self.acks.append(response)


async def test_socket_mode_event_reaches_the_engine_and_is_acknowledged(
    running_bot: RunningBot, slack_api: FakeSlackWebApi
) -> None:
    bolt_app = running_bot.platforms.part("slack", "bolt_app")
    assert bolt_app is not None
    handler = AsyncSocketModeHandler(bolt_app, "xapp-1-test")
    socket = RecordingSocketClient()
    request = SocketModeRequest(
        type="events_api", envelope_id="env-1", payload=dm_event("Sent over Socket Mode")
    )
    await handler.handle(socket, request)  # type: ignore[arg-type]
    assert [i.text for i in await stored.ideas(running_bot.database)] == ["Sent over Socket Mode"]
    await running_bot.replies_sent()
    assert "#1" in str(slack_api.calls_to("chat.postMessage")[0].params)
    assert [ack.envelope_id for ack in socket.acks] == ["env-1"]
