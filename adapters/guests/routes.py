"""A guest's private page, `/g/<token>`: it works without JavaScript, every form carries a CSRF
token bound to the guest, and posting is rate-limited per guest.

The translator here turns a form into a neutral event for the engine (sharing an idea, a button
on a message, a setting); the engine's answer is shown at the top of the page, above the home
view (their ideas and what became of them, thanks, an open reflection prompt). Each form holds a
one-time value, so sending it again (reload, back button) changes nothing twice.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
import time
from collections import deque
from collections.abc import Callable
from datetime import datetime
from importlib import resources
from typing import Any

from aiohttp import web
from cachetools import TTLCache
from markupsafe import Markup

from adapters.guests import render, translate
from adapters.registry import Route
from adapters.security import private_page_headers
from bot.engine import Engine
from bot.guests import links, words
from bot.i18n import LANGUAGES, speaking
from bot.seam.events import (
    HomeOpened,
)
from bot.seam.messages import Message, Reply
from storage import guests as guest_store
from storage.database import Database
from storage.models import Group, Guest, Person, Workspace, id_of, is_paused

log = logging.getLogger("coproduce.guests")

STYLE = resources.files("adapters.guests").joinpath("page.css").read_text(encoding="utf-8")
HEADERS = private_page_headers(STYLE)
FORM_LIFETIME = 24 * 3600  # seconds a page may stay open before its forms need a reload
POSTS_PER_WINDOW = 30
WINDOW_SECONDS = 600
IDEA_LIMIT = 2000


class GuestPages:
    def __init__(
        self,
        *,
        database: Database,
        engine: Engine,
        secret_key: str,
        clock: Callable[[], datetime],
    ) -> None:
        self.database = database
        self.engine = engine
        self.secret_key = secret_key
        self.clock = clock
        # Recent posts per guest: enough to refuse a flood, bounded however many guests post.
        self._posts: TTLCache[int, deque[float]] = TTLCache(maxsize=10_000, ttl=WINDOW_SECONDS)

    def routes(self) -> list[Route]:
        return [
            Route("GET", "/g/{token}", self._safely(self.page)),
            Route("POST", "/g/{token}", self._safely(self.post)),
            Route("GET", "/g/{token}/stop", self._safely(self.stop_page)),
            Route("POST", "/g/{token}/stop", self._safely(self.stop)),
        ]

    # Who is asking ---------------------------------------------------------------------------

    async def _guest(self, request: web.Request) -> tuple[Guest, Person, Group, Workspace] | None:
        token = request.match_info["token"]
        if len(token) > 100:
            return None
        async with self.database.reading() as session:
            return await guest_store.by_link(session=session, link_hash=links.token_hash(token))

    def csrf(self, guest_id: int) -> str:
        stamp = str(int(self.clock().timestamp()))
        return f"{stamp}.{self._sign(guest_id, stamp)}"

    def _sign(self, guest_id: int, stamp: str) -> str:
        message = f"guest-form:{guest_id}:{stamp}".encode()
        return hmac.new(self.secret_key.encode(), message, hashlib.sha256).hexdigest()[:32]

    def _csrf_ok(self, guest_id: int, token: str) -> bool:
        stamp, _, signature = token.partition(".")
        if not stamp.isdigit() or not hmac.compare_digest(signature, self._sign(guest_id, stamp)):
            return False
        return 0 <= self.clock().timestamp() - int(stamp) < FORM_LIFETIME

    def _flooding(self, guest_id: int) -> bool:
        now = time.monotonic()
        recent = self._posts.get(guest_id) or deque()
        while recent and now - recent[0] > WINDOW_SECONDS:
            recent.popleft()
        recent.append(now)
        self._posts[guest_id] = recent
        return len(recent) > POSTS_PER_WINDOW

    # Pages -----------------------------------------------------------------------------------

    def notice(self, kind: str, status: int, language: str = "en") -> web.Response:
        with speaking(language):
            title, text = words.notice(kind)
            skip = words.page()["skip"]
        html = render.TEMPLATES.get_template("notice.html").render(
            style=STYLE, lang=language, title=title, text=text, skip=skip, urgent=None
        )
        return web.Response(text=html, status=status, content_type="text/html", headers=HEADERS)

    def _safely(self, handler: Any) -> Any:
        async def safe(request: web.Request) -> web.StreamResponse:
            try:
                response: web.StreamResponse = await handler(request)
                return response
            except web.HTTPException:
                raise
            except Exception as error:
                log.exception("guest page failed", extra={"error": type(error).__name__})
                return self.notice("fault", 500)

        return safe

    async def page(self, request: web.Request) -> web.StreamResponse:
        found = await self._guest(request)
        if found is None:
            return self.notice("unknown", 404)
        return await self._render(request, found, news=[])

    async def _render(
        self,
        request: web.Request,
        found: tuple[Guest, Person, Group, Workspace],
        news: list[Reply],
    ) -> web.Response:
        guest, person, group, workspace = found
        actor, conversation = translate.actor_of(guest, person, workspace)
        answers = await self.engine.handle(HomeOpened(actor, conversation))
        home = answers[0] if answers else None
        # The engine may have changed them (a new name, a language, a pause): read them again.
        async with self.database.reading() as session:
            fresh = await guest_store.by_link(
                session=session, link_hash=links.token_hash(request.match_info["token"])
            )
        if fresh is None:
            return self.notice("unknown", 404)
        guest, person, group, workspace = fresh
        csrf = self.csrf(id_of(guest))
        action = f"/g/{request.match_info['token']}"

        def one_time() -> str:
            """Each form its own one-time value: two different forms are two deliveries."""
            return self._form(csrf)

        with speaking(person.language):
            page_words = words.page()
            html = render.TEMPLATES.get_template("page.html").render(
                style=STYLE,
                lang=person.language,
                title=page_words["title"],
                skip=page_words["skip"],
                w=page_words,
                name=person.display_name or "",
                group=group.name,
                urgent=self.engine.config.urgent_help,
                news=[render.html_section(reply.message, one_time, action) for reply in news],
                home=render.html_section(home.message, one_time, action) if home else Markup(""),
                csrf=one_time,
                action_url=action,
                max_length=IDEA_LIMIT,
                anonymous_default=person.anonymous_default,
                languages=list(LANGUAGES.items()),
                paused=is_paused(person, self.clock()),
                emails_off=guest.emails_off,
            )
        return web.Response(text=html, content_type="text/html", headers=HEADERS)

    @staticmethod
    def _form(csrf: str) -> str:
        """The CSRF token with a one-time value: the same form sent twice is one delivery."""
        return f"{csrf}.{secrets.token_urlsafe(9)}"

    # Forms -----------------------------------------------------------------------------------

    async def post(self, request: web.Request) -> web.StreamResponse:
        found = await self._guest(request)
        if found is None:
            return self.notice("unknown", 404)
        guest, person, _group, workspace = found
        form = await request.post()
        token = str(form.get("csrf", ""))
        csrf, _, once = token.rpartition(".")
        if not once or not self._csrf_ok(id_of(guest), csrf):
            return self.notice("expired-form", 403, person.language)
        if self._flooding(id_of(guest)):
            return self.notice("too-fast", 429, person.language)
        press = str(form.get("press", ""))
        action, _, value = press.partition("|")
        if action in ("emails-off", "emails-on"):
            async with self.database.transaction() as session:
                await guest_store.emails(
                    session=session, guest_id=id_of(guest), off=action == "emails-off"
                )
            return await self._render(request, found, news=[])
        actor, conversation = translate.actor_of(guest, person, workspace)
        delivery = f"guest:{guest.id}:{once}"
        event = translate.event_of(actor, conversation, action, value, form, delivery)
        if event is None:
            return await self._render(request, found, news=[])
        # What a member reads in their chat, a guest reads here and in their email as well.
        replies = await self.engine.handle(event, copy_replies=not isinstance(event, HomeOpened))
        attachment = next((r.message.attachment for r in replies if r.message.attachment), None)
        if attachment is not None:
            return web.Response(
                body=attachment.content.encode("utf-8"),
                content_type=attachment.mime_type,
                headers={
                    **HEADERS,
                    "Content-Disposition": f'attachment; filename="{attachment.filename}"',
                },
            )
        async with self.database.reading() as session:
            still = await guest_store.by_link(
                session=session, link_hash=links.token_hash(request.match_info["token"])
            )
        if still is None:
            # They deleted their data, or asked for a new link: the page says so and stops.
            return self._farewell(replies, person.language)
        return await self._render(request, still, news=[r for r in replies if r.message.blocks])

    def _farewell(self, replies: list[Reply], language: str) -> web.Response:
        message = replies[0].message if replies else Message("", ())
        with speaking(language):
            skip = words.page()["skip"]
        html = render.TEMPLATES.get_template("notice.html").render(
            style=STYLE,
            lang=language,
            title=message.title,
            text=" ".join(
                str(part[1]) for part in render.section(message).parts if part[0] == "paragraph"
            ),
            skip=skip,
            urgent=None,
        )
        return web.Response(text=html, content_type="text/html", headers=HEADERS)

    # One-click stop (RFC 8058) ---------------------------------------------------------------

    async def stop_page(self, request: web.Request) -> web.StreamResponse:
        """A person who follows the link from an email's footer: one button, to be sure a
        link checker never stops someone's emails."""
        found = await self._guest(request)
        if found is None:
            return self.notice("unknown", 404)
        person = found[1]
        with speaking(person.language):
            page_words = words.page()
        html = render.TEMPLATES.get_template("stop.html").render(
            style=STYLE,
            lang=person.language,
            title=page_words["emails_off"],
            skip=page_words["skip"],
            button=page_words["emails_off"],
            action_url=f"/g/{request.match_info['token']}/stop",
        )
        return web.Response(text=html, content_type="text/html", headers=HEADERS)

    async def stop(self, request: web.Request) -> web.StreamResponse:
        """Mail clients post `List-Unsubscribe=One-Click` here with no cookie and no token but
        the link itself, which is the guest's secret."""
        found = await self._guest(request)
        if found is None:
            return self.notice("unknown", 404)
        guest, person, _group, _workspace = found
        async with self.database.transaction() as session:
            await guest_store.emails(session=session, guest_id=id_of(guest), off=True)
        log.info("guest stopped emails", extra={"guest": guest.id})
        return self.notice("stopped", 200, person.language)
