"""Every word of a guest's emails and private page that is not a message from the engine,
from the catalogue, in the guest's language. adapters/guests/ holds the structure only."""

from __future__ import annotations

from bot.i18n import _


def email() -> dict[str, str]:
    return {
        "open_page": _("Open your page"),
        "page_line": _("Your private page, to share ideas and see what happened to them:"),
        "answer_there": _("To answer, please use your page."),
        "stop": _("Stop these emails"),
        "why": _(
            "You get these emails because a facilitator invited you to take part. The link is "
            "yours alone: please don't forward this email."
        ),
    }


def page() -> dict[str, str]:
    return {
        "title": _("Your page"),
        "skip": _("Skip to your page"),
        "hello": _("Hello, {name}"),
        "group": _("You are taking part in {group}."),
        "news": _("Just now"),
        "share_heading": _("Share an idea"),
        "share_help": _(
            "Anything that could make things better, big or small. It is saved at once."
        ),
        "idea": _("Your idea"),
        "anonymous": _("Share it without my name"),
        "anonymous_help": _(
            "Nobody will see that it was you. That includes the people who run the group."
        ),
        "send": _("Share my idea"),
        "yours_heading": _("Your ideas and what happened"),
        "settings_heading": _("Your choices"),
        "name": _("Your name, as the group sees it"),
        "save_name": _("Save my name"),
        "language": _("Language"),
        "save_language": _("Save my language"),
        "pause": _("Pause messages for 2 weeks"),
        "resume": _("Start messages again"),
        "emails_on": _("Send me emails again"),
        "emails_off": _("Stop all emails"),
        "data_heading": _("Your data"),
        "download": _("Download my data"),
        "forget": _("Delete my data"),
        "new_link": _("Email me a new link"),
        "new_link_help": _("Your new link replaces this one. Use it if this one was shared."),
    }


def notice(kind: str) -> tuple[str, str]:
    """A page that says no, or that something was done, and what to do next."""
    notices = {
        "unknown": (
            _("This link doesn't work"),
            _(
                "It may not have been copied in full, or a newer link may have replaced it. "
                "Please use the link in your latest email from us. If you'd like to take part "
                "again, please ask the person who invited you."
            ),
        ),
        "too-fast": (
            _("Please wait a moment"),
            _("That was a lot in a short time. Please try again in a few minutes."),
        ),
        "expired-form": (
            _("Please try that again"),
            _("The page was open for a long time. Nothing was saved. Please go back and reload."),
        ),
        "stopped": (
            _("You won't get any more emails"),
            _("Thank you for letting us know. Your page still works if you want to look."),
        ),
        "new-link": (
            _("We've emailed you a new link"),
            _("This link has stopped working. Please use the new one in your email."),
        ),
        "fault": (
            _("Sorry, something went wrong"),
            _("Nothing has been changed. Please try again in a minute."),
        ),
    }
    return notices[kind]
