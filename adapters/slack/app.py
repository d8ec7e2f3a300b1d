"""Wiring Bolt to the engine: each listener translates, asks the engine, and replies.

`process_before_response=True` makes Bolt run the listener before answering Slack, so an idea
is committed before Slack hears 200.
"""

from __future__ import annotations

import logging
import re
from dataclasses import replace
from typing import Any

from slack_bolt.async_app import AsyncApp, AsyncBoltContext, AsyncRespond
from slack_bolt.oauth.async_oauth_flow import AsyncOAuthFlow
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack import render, translate
from adapters.slack.replies import SlackReplies
from adapters.slack.roster import SlackRoster
from bot.engine import Engine
from bot.seam.commands import COMMANDS
from bot.seam.events import CommandInvoked

log = logging.getLogger("coproduce.slack")
RETRY_LATER = "coproduce_retry_later"


def build_slack_app(
    *,
    engine: Engine,
    signing_secret: str,
    client: AsyncWebClient,
    oauth_flow: AsyncOAuthFlow | None = None,
) -> AsyncApp:
    """A Bolt app whose listeners all go through the engine.

    With `oauth_flow`, each workspace installs the app and Bolt answers its events with that
    workspace's own token; without it, the one bot token in `client` serves one workspace.
    """
    bolt_logger = logging.getLogger("slack_bolt")
    # Bolt logs request bodies on signature failures; those bodies can hold patients' words.
    bolt_logger.setLevel(logging.WARNING)
    app = AsyncApp(
        signing_secret=signing_secret,
        client=client,
        process_before_response=True,
        logger=bolt_logger,
        oauth_flow=oauth_flow,
    )

    @app.event("message")
    async def on_message(
        body: dict[str, Any], client: AsyncWebClient, context: AsyncBoltContext
    ) -> None:
        event = translate.message_event(body)
        if event is None:
            return
        replies = SlackReplies(client, user=event.actor.user_id, channel=event.conversation.id)
        # An event can only be answered through the Web API: the reply waits in the outbox, so
        # Slack gets its 200 the moment the idea is committed, however slow that API is.
        for reply in await engine.handle(event, queue_replies=True):
            await replies.send(reply)
            if reply.retry_later:
                context[RETRY_LATER] = True

    @app.event("app_home_opened")
    async def on_home(body: dict[str, Any], client: AsyncWebClient) -> None:
        event = translate.home_opened(body)
        if event is None:
            return
        for reply in await engine.handle(event):
            try:
                await client.views_publish(
                    user_id=event.actor.user_id, view=render.home_view(reply.message)
                )
            except Exception as error:
                log.warning("home not published", extra={"error": type(error).__name__})

    @app.event(re.compile(".*"))
    async def on_other_event(body: dict[str, Any]) -> None:
        # Acknowledge everything else with 200: a 404 makes Slack retry and count failures.
        log.debug("event ignored", extra={"event_type": body.get("event", {}).get("type")})

    @app.command(re.compile(r"^/(" + "|".join(map(re.escape, COMMANDS)) + r")$"))
    async def on_command(
        ack: Any,
        body: dict[str, Any],
        respond: AsyncRespond,
        client: AsyncWebClient,
        context: AsyncBoltContext,
        request: AsyncBoltRequest,
    ) -> None:
        event = await _with_names(client, translate.slash_command(body))
        event = replace(event, delivery_id=_replay_key(request))
        roster = SlackRoster(
            client, team_id=event.actor.workspace_id, bot_user_id=context.bot_user_id
        )
        replies = SlackReplies(client, user=event.actor.user_id, channel=event.conversation.id)
        answers = await engine.handle(event, roster=roster)
        # The first plain answer travels in the acknowledgement itself (Slack shows it to the
        # person alone), so a slash command costs no Web API call and cannot miss its 3 s.
        first = next((r for r in answers if SlackReplies.fits_acknowledgement(r)), None)
        await ack(**(render.ephemeral_response(first.message) if first else {}))
        for reply in answers:
            if reply is not first:
                await replies.send(reply, respond=respond)

    @app.action(re.compile(".*"))
    async def on_action(
        ack: Any,
        body: dict[str, Any],
        respond: AsyncRespond,
        client: AsyncWebClient,
        request: AsyncBoltRequest,
    ) -> None:
        await ack()
        event = translate.block_action(body)
        if event is None:
            return
        event = replace(event, delivery_id=_replay_key(request))
        replies = SlackReplies(client, user=event.actor.user_id, channel=event.conversation.id)
        for reply in await engine.handle(event):
            await replies.send(reply, respond=respond, trigger_id=body.get("trigger_id"))

    @app.view(render.FORM_CALLBACK)
    async def on_form(
        ack: Any, body: dict[str, Any], client: AsyncWebClient, request: AsyncBoltRequest
    ) -> None:
        await ack()
        event = translate.view_submission(body)
        if event is None:
            return
        event = replace(event, delivery_id=_replay_key(request))
        replies = SlackReplies(client, user=event.actor.user_id, channel=event.conversation.id)
        for reply in await engine.handle(event):
            await replies.send(reply)

    return app


def _replay_key(request: AsyncBoltRequest) -> str | None:
    """A slash command or button press has no event id, but each one Slack sends is signed
    over its own timestamp and body (with a fresh trigger_id): a second request with the same
    signature is a replay within Bolt's five-minute window, and must change nothing."""
    signature = (request.headers.get("x-slack-signature") or [""])[0]
    return f"slack:sig:{signature}" if signature else None


async def _with_names(client: AsyncWebClient, event: CommandInvoked) -> CommandInvoked:
    """Fill in display names Slack left out of `<@U…>` mentions (users.info), best effort."""
    if all(person.display_name for person in event.mentions):
        return event
    named = []
    for person in event.mentions:
        if not person.display_name:
            try:
                user = (await client.users_info(user=person.user_id))["user"]
                profile = user.get("profile") or {}
                name = profile.get("display_name") or user.get("real_name") or user.get("name")
                person = replace(person, display_name=name or None)
            except Exception as error:  # a name is nice to have; the credit still works
                log.info("name lookup failed", extra={"error": type(error).__name__})
        named.append(person)
    return replace(event, mentions=tuple(named))


def events_route(app: AsyncApp):  # type: ignore[no-untyped-def]
    """The aiohttp handler for `POST /slack/events`, through Bolt's own request translator."""
    from aiohttp import web
    from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request

    async def handle(request: web.Request) -> web.Response:
        try:
            bolt_request = await to_bolt_request(request)
            bolt_response = await app.async_dispatch(bolt_request)
        except Exception as error:  # Bolt trips over payloads that are not Slack's shape
            log.warning("unreadable slack payload", extra={"error": type(error).__name__})
            return web.json_response({"error": "unreadable payload"}, status=400)
        if bolt_request.context.get(RETRY_LATER):
            # Nothing was stored (the person has been told kindly): a 5xx makes Slack deliver
            # the event again, and the retry is then stored exactly once.
            return web.json_response({"error": "try again"}, status=503)
        if bolt_response.status >= 500:
            # Our listeners catch their own failures, so a 500 from Bolt means it could not
            # read the (correctly signed) payload at all: that is a bad request, not our fault.
            log.warning("unreadable slack payload", extra={"status": bolt_response.status})
            return web.json_response({"error": "unreadable payload"}, status=400)
        return await to_aiohttp_response(bolt_response)

    return handle


def oauth_routes(app: AsyncApp):  # type: ignore[no-untyped-def]
    """`GET /slack/install` and `GET /slack/oauth_redirect`, through Bolt's OAuth flow."""
    from aiohttp import web
    from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request

    flow = app.oauth_flow
    assert flow is not None

    async def install(request: web.Request) -> web.Response:
        return await to_aiohttp_response(
            await flow.handle_installation(await to_bolt_request(request))
        )

    async def redirect(request: web.Request) -> web.Response:
        return await to_aiohttp_response(await flow.handle_callback(await to_bolt_request(request)))

    return install, redirect
