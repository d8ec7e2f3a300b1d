"""The report's routes. Every one checks the session on the server: no session is 401, a
session whose person no longer runs a group (or asks for a group they don't run) is 403.

Pages carry a strict Content-Security-Policy: no script at all, our one stylesheet by its hash,
images only as `data:` (the charts), forms only to ourselves. Nothing is cached, and no
address leaks in a Referer (the sign-in link carries its token).
"""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime
from importlib import resources
from typing import Any
from urllib.parse import urlencode, urlsplit
from zoneinfo import ZoneInfo

from aiohttp import web
from jinja2 import Environment, PackageLoader

from adapters.registry import Route
from adapters.report.charts import bar_chart
from adapters.security import private_page_headers
from bot.i18n import current, speaking
from bot.report import figures, periods, words
from bot.report.access import (
    SESSION_LIFETIME,
    Refusal,
    Signer,
    Viewer,
    check_link,
    use_link,
    viewer,
)
from bot.report.figures import Bar
from bot.sessions.dates import short_date
from storage.database import Database
from storage.models import Group, id_of

log = logging.getLogger("coproduce.report")

COOKIE = "coproduce_report"
STYLE = resources.files("adapters.report").joinpath("report.css").read_text(encoding="utf-8")
HEADERS = private_page_headers(STYLE, images=True)
# A spreadsheet runs a cell that starts like a formula; these make it text instead.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def _templates() -> Environment:
    return Environment(
        loader=PackageLoader("adapters.report", "templates"),
        autoescape=True,
        trim_blocks=False,
        keep_trailing_newline=True,
    )


def spreadsheet_safe(value: str) -> str:
    return "'" + value if value.startswith(FORMULA_START) else value


class ReportSite:
    """The report's routes, bound to the database, the secret key and the clock."""

    def __init__(
        self,
        *,
        database: Database,
        secret_key: str,
        public_url: str,
        clock: Callable[[], datetime],
    ) -> None:
        self.database = database
        self.signer = Signer(secret_key)
        self.secure = urlsplit(public_url).scheme == "https"
        self.clock = clock
        self.templates = _templates()

    def routes(self) -> list[Route]:
        return [
            Route("GET", "/report", self._guarded(self.report)),
            Route("GET", "/report/ideas.csv", self._guarded(self.ideas_csv)),
            Route("GET", "/report/involvement.csv", self._guarded(self.involvement_csv)),
            Route("GET", "/report/sign-in", self._safely(self.sign_in_page)),
            Route("POST", "/report/sign-in", self._safely(self.sign_in)),
            Route("POST", "/report/sign-out", self._safely(self.sign_out)),
            Route("GET", "/report/{anything:.*}", self._guarded(self.not_found)),
        ]

    # Pages --------------------------------------------------------------------------------

    def page(self, template: str, *, status: int = 200, **values: Any) -> web.Response:
        html = self.templates.get_template(template).render(
            style=STYLE, lang=current(), skip=words.page()["skip"], **values
        )
        return web.Response(text=html, status=status, content_type="text/html", headers=HEADERS)

    def notice(self, kind: Refusal | str, status: int) -> web.Response:
        title, text = words.notice(kind)
        return self.page("notice.html", status=status, title=title, text=text)

    def _safely(self, handler: Handler) -> Handler:
        """A fault on our side is a plain page that says nothing changed; never a trace."""

        async def safe(request: web.Request) -> web.StreamResponse:
            try:
                return await handler(request)
            except web.HTTPException:
                raise
            except Exception as error:
                log.exception("report page failed", extra={"error": type(error).__name__})
                return self.notice("fault", 500)

        return safe

    def _guarded(
        self, handler: Callable[[web.Request, Viewer], Awaitable[web.StreamResponse]]
    ) -> Handler:
        async def guarded(request: web.Request) -> web.StreamResponse:
            person_id = self.signer.session_of(request.cookies.get(COOKIE, ""), self.clock())
            if person_id is None:
                return self.notice("sign-in", 401)
            found = await viewer(self.database, person_id)
            if found is None:
                return self.notice(Refusal.NOT_FACILITATOR, 403)
            with speaking(found.person.language):
                return await handler(request, found)

        return self._safely(guarded)

    def _chosen(
        self, request: web.Request, found: Viewer
    ) -> tuple[Group, periods.Period] | web.Response:
        """The group and period asked for: 403 for a group they do not run, 400 for a name
        we do not know."""
        raw_group = request.query.get("group", "")
        if raw_group and not raw_group.isdigit():
            return self.notice("bad-choice", 400)
        group = found.group(int(raw_group) if raw_group else None)
        if group is None:
            return self.notice(Refusal.NOT_FACILITATOR, 403)
        zone = ZoneInfo(found.workspace.timezone)
        period = periods.chosen(request.query.get("period"), self.clock(), zone)
        if period is None:
            return self.notice("bad-choice", 400)
        return group, period

    async def report(self, request: web.Request, found: Viewer) -> web.StreamResponse:
        chosen = self._chosen(request, found)
        if isinstance(chosen, web.Response):
            return chosen
        group, period = chosen
        async with self.database.reading() as session:
            built = await figures.build(session, found.workspace, group, period)
        zone = ZoneInfo(found.workspace.timezone)
        attendance = [Bar(m.date, m.present) for m in built.meetings]
        return self.page(
            "report.html",
            title=words.page()["title"],
            w=words.page(),
            r=built,
            viewer_name=found.person.display_name or "",
            groups=found.groups,
            group_id=id_of(group),
            periods=periods.choices(self.clock(), zone),
            query=urlencode({"group": id_of(group), "period": period.key}),
            charts={
                "by_month": bar_chart(built.ideas_by_month),
                "by_status": bar_chart(built.decisions),
                "attendance": bar_chart(attendance),
            },
            made_on=short_date(self.clock(), zone),
        )

    async def ideas_csv(self, request: web.Request, found: Viewer) -> web.StreamResponse:
        return await self._csv(request, found, "ideas", figures.ideas_rows)

    async def involvement_csv(self, request: web.Request, found: Viewer) -> web.StreamResponse:
        return await self._csv(request, found, "involvement", figures.involvement_rows)

    async def _csv(
        self, request: web.Request, found: Viewer, name: str, rows_of: Any
    ) -> web.StreamResponse:
        chosen = self._chosen(request, found)
        if isinstance(chosen, web.Response):
            return chosen
        group, period = chosen
        async with self.database.reading() as session:
            rows = await rows_of(session, found.workspace, group, period)
        out = io.StringIO()
        writer = csv.writer(out)
        for row in rows:
            writer.writerow([spreadsheet_safe(cell) for cell in row])
        filename = f"{name}-group-{id_of(group)}-{period.key}.csv"
        return web.Response(
            # A byte-order mark, so that Excel reads the names as UTF-8.
            body=("\ufeff" + out.getvalue()).encode("utf-8"),
            content_type="text/csv",
            charset="utf-8",
            headers={
                **HEADERS,
                "Content-Disposition": f'attachment; filename="{filename}"',
            },
        )

    async def not_found(self, _request: web.Request, _found: Viewer) -> web.StreamResponse:
        return self.notice("not-found", 404)

    # Signing in and out ---------------------------------------------------------------------

    async def sign_in_page(self, request: web.Request) -> web.StreamResponse:
        token = request.query.get("t", "")
        if not token:
            return self.notice("sign-in", 401)
        checked = await check_link(self.database, self.signer, token, self.clock())
        if isinstance(checked, Refusal):
            return self.notice(checked, 403)
        with speaking(checked.person.language):
            text = words.sign_in()
            return self.page(
                "sign_in.html",
                token=token,
                title=text["title"],
                about_to=text["about_to"].format(name=checked.person.display_name or ""),
                button=text["button"],
                why=text["why"],
            )

    async def sign_in(self, request: web.Request) -> web.StreamResponse:
        form = await request.post()
        token = form.get("t")
        if not isinstance(token, str) or not token:
            return self.notice("sign-in", 401)
        now = self.clock()
        used = await use_link(self.database, self.signer, token, now)
        if isinstance(used, Refusal):
            return self.notice(used, 403)
        log.info("report sign-in", extra={"person": used.person.id})
        response = web.HTTPSeeOther("/report", headers=HEADERS)
        response.set_cookie(
            COOKIE,
            self.signer.session_cookie(id_of(used.person), now),
            max_age=int(SESSION_LIFETIME.total_seconds()),
            path="/report",
            secure=self.secure,
            httponly=True,
            samesite="Strict",
        )
        raise response

    async def sign_out(self, _request: web.Request) -> web.StreamResponse:
        response = self.notice("signed-out", 200)
        response.del_cookie(COOKIE, path="/report")
        return response
