"""`coproduce socket`: Slack over Socket Mode (no public URL needed), with the worker."""

from __future__ import annotations

from typing import Any

from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

from adapters.processes import running


async def socket(settings: Any) -> None:
    """Until SIGTERM: Slack's events arrive over a socket the bot opens, and the worker runs."""
    async with running(settings, with_worker=True) as process:
        bolt_app = process.platforms.part("slack", "bolt_app")
        assert bolt_app is not None, "Socket Mode needs Slack's settings"
        handler = AsyncSocketModeHandler(bolt_app, settings.SLACK_APP_TOKEN)
        await handler.connect_async()  # type: ignore[no-untyped-call]
        print("Coproduce is connected to Slack over Socket Mode.", flush=True)
        try:
            await process.stop.wait()
        finally:
            await handler.close_async()  # type: ignore[no-untyped-call]
