"""Neutral messages as a guest sees them: an email (plain text and HTML) and a section of their
page. Buttons become forms on the page (each with its CSRF token); an email cannot press a
button, so it says to answer on the page instead. Templates autoescape: every word a person
wrote is text, never markup."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from jinja2 import Environment, PackageLoader
from markupsafe import Markup

from bot.guests import words
from bot.seam.messages import (
    Buttons,
    Choice,
    Context,
    Facts,
    FileAttachment,
    Heading,
    Link,
    Message,
    Paragraph,
    TextInput,
)

TEMPLATES = Environment(
    loader=PackageLoader("adapters.guests", "templates"),
    autoescape=True,
    keep_trailing_newline=True,
)


@dataclass(frozen=True)
class PageButton:
    label: str
    action: str
    value: str
    primary: bool


@dataclass(frozen=True)
class Section:
    """A message laid out for the page: headings, paragraphs, facts and its buttons."""

    parts: list[tuple[str, object]] = field(default_factory=list)
    buttons: list[PageButton] = field(default_factory=list)
    fields: list[TextInput | Choice] = field(default_factory=list)


def section(message: Message) -> Section:
    out = Section()
    for block in message.blocks:
        if isinstance(block, Heading):
            out.parts.append(("heading", block.text))
        elif isinstance(block, Paragraph):
            out.parts.append(("paragraph", block.text))
        elif isinstance(block, Context):
            out.parts.append(("context", block.text))
        elif isinstance(block, Facts):
            out.parts.append(("facts", list(block.items)))
        elif isinstance(block, Link):
            out.parts.append(("link", (block.label, block.url)))
        elif isinstance(block, TextInput | Choice):
            out.fields.append(block)
        elif isinstance(block, Buttons):
            row = [
                PageButton(b.label, b.action_id, b.value, b.style == "primary")
                for b in block.buttons
            ]
            out.buttons.extend(row)
            out.parts.append(("buttons", row))  # where they stand, beside what they act on
        elif isinstance(block, FileAttachment):
            continue  # offered as a download by the route instead
    return out


def _plain(message: Message) -> str:
    lines: list[str] = []
    for block in message.blocks:
        if isinstance(block, Heading):
            lines += [block.text, "=" * min(len(block.text), 60), ""]
        elif isinstance(block, Paragraph | Context):
            for paragraph in block.text.split("\n"):
                lines += textwrap.wrap(paragraph, 72) or [""]
            lines.append("")
        elif isinstance(block, Facts):
            lines += [f"{label}: {value}" for label, value in block.items] + [""]
        elif isinstance(block, Link):
            lines += [f"{block.label}: {block.url}", ""]
    return "\n".join(lines).rstrip() + "\n"


def email(
    message: Message,
    *,
    sender: str,
    to: str,
    page_url: str,
    stop_url: str,
    language: str,
    sent_at: datetime,
) -> EmailMessage:
    """One email: plain text first, HTML as the alternative, and RFC 8058's one-click stop."""
    said = words.email()
    has_buttons = any(isinstance(b, Buttons) for b in message.blocks)
    text = _plain(message)
    if has_buttons:
        text += "\n" + said["answer_there"] + "\n"
    text += f"\n{said['page_line']}\n{page_url}\n\n{said['why']}\n{said['stop']}: {stop_url}\n"
    html = TEMPLATES.get_template("email.html").render(
        lang=language,
        title=message.title,
        body=section(message),
        answer_there=said["answer_there"] if has_buttons else None,
        page_url=page_url,
        stop_url=stop_url,
        w=said,
    )
    mail = EmailMessage()
    # One line: a line break in a header would be refused (or, unchecked, start a new header).
    mail["Subject"] = " ".join(message.summary.split())[:150]
    mail["From"] = sender
    mail["To"] = to
    mail["Date"] = format_datetime(sent_at)  # the engine's clock, like every other timestamp
    mail["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2].rstrip(">") or None)
    mail["Auto-Submitted"] = "auto-generated"
    mail["List-Unsubscribe"] = f"<{stop_url}>"
    mail["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    mail.set_content(text)
    mail.add_alternative(html, subtype="html")
    return mail


def html_section(message: Message, csrf: Callable[[], str], action_url: str) -> Markup:
    """A message for the page, with its buttons as forms."""
    return Markup(
        TEMPLATES.get_template("section.html").render(
            body=section(message), csrf=csrf, action_url=action_url
        )
    )
