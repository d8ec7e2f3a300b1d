"""The baseline: a bare slack_bolt AsyncApp that acknowledges and replies once.

Everything is Bolt's default (acknowledge first, listener afterwards, a new HTTP session per
Web API call), as a team starting from Bolt's documentation would write it.
"""

from __future__ import annotations

import argparse

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient


def build(api_url: str, signing_secret: str) -> AsyncApp:
    app = AsyncApp(
        signing_secret=signing_secret,
        client=AsyncWebClient(token="xoxb-bench", base_url=api_url),
    )

    @app.event("message")
    async def on_message(event, client) -> None:  # type: ignore[no-untyped-def]
        await client.chat_postMessage(channel=event["channel"], text="Thanks, noted.")

    @app.command("/idea")
    async def on_idea(ack, command, client) -> None:  # type: ignore[no-untyped-def]
        await ack()
        await client.chat_postMessage(channel=command["user_id"], text="Thanks, noted.")

    return app


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--api-url", required=True)
    parser.add_argument("--signing-secret", required=True)
    args = parser.parse_args()
    bolt = build(args.api_url, args.signing_secret)

    async def events(request: web.Request) -> web.Response:
        return await to_aiohttp_response(await bolt.async_dispatch(await to_bolt_request(request)))

    app = web.Application()
    app.router.add_post("/slack/events", events)
    app.router.add_get("/healthz", lambda _: web.json_response({"status": "ok"}))
    print("listening", flush=True)
    web.run_app(app, host="127.0.0.1", port=args.port, print=None, access_log=None)


if __name__ == "__main__":
    main()
