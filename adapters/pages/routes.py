"""`GET /privacy` and `GET /terms`: the pages the Teams and Slack app listings link to.

The words are Markdown: ours by default, or the operator's own file (`COPRODUCE_PRIVACY_FILE`,
`COPRODUCE_TERMS_FILE`). markdown-it renders them with raw HTML turned off, so a file can
never put script on the page.
"""

from __future__ import annotations

from html import escape
from importlib import resources
from pathlib import Path

from aiohttp import web
from markdown_it import MarkdownIt

from adapters.security import page_headers

_STYLE = (
    "body{font-family:system-ui,sans-serif;font-size:1.125rem;line-height:1.6;color:#1b1b1b;"
    "max-width:40rem;margin:2rem auto;padding:0 1rem}h1,h2{line-height:1.25}"
    "code{font-size:1rem;background:#eef2f5;padding:0 .2em}"
)
# Nothing but our one stylesheet may load or run: no script, no frames, no forms.
HEADERS = page_headers(_STYLE)


def page_html(markdown: str) -> str:
    """A whole, accessible HTML page from Markdown; the first heading is its title."""
    title = next(
        (line.lstrip("# ").strip() for line in markdown.splitlines() if line.startswith("# ")),
        "Coproduce",
    )
    body = MarkdownIt("commonmark", {"html": False}).render(markdown)
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)} \u00b7 Coproduce</title><style>{_STYLE}</style></head>"
        f"<body><main>{body}</main></body></html>"
    )


def read_page(name: str, override: Path | None) -> str:
    """The operator's file if they named one, otherwise the default shipped with the app."""
    if override is not None:
        return override.read_text(encoding="utf-8")
    return resources.files("adapters.pages").joinpath(f"{name}.md").read_text(encoding="utf-8")


def page_route(markdown: str):  # type: ignore[no-untyped-def]
    """A handler serving one page, rendered once at start-up."""
    html = page_html(markdown)

    async def handler(_: web.Request) -> web.Response:
        return web.Response(text=html, content_type="text/html", headers=HEADERS)

    return handler
