"""Every word on the report's web pages, from the catalogue, in the reader's language.

The templates in adapters/report/ hold structure only; they read their words from here, so
the words are checked and translated like every other message.
"""

from __future__ import annotations

from bot.i18n import _
from bot.report.access import Refusal


def page() -> dict[str, str]:
    return {
        "title": _("Impact report"),
        "skip": _("Skip to the report"),
        "signed_in_as": _("Signed in as"),
        "sign_out": _("Sign out"),
        "choose": _("Choose a report"),
        "group": _("Group"),
        "period": _("Period"),
        "show": _("Show the report"),
        "downloads": _("Download the tables"),
        "ideas_csv": _("Ideas (CSV file)"),
        "involvement_csv": _("Time and attendance for each person (CSV file)"),
        "ideas_heading": _("Ideas and decisions"),
        "ideas_received": _("Ideas received"),
        "decisions_made": _("Decisions made"),
        "time_to_decision": _("Time from idea to first decision"),
        "days_median": _("{days} days (the median)"),
        "middle_half": _("Half of the decisions took between {low} and {high} days."),
        "not_decided": _("No idea from this period has a decision yet."),
        "loops_closed": _("Loops closed"),
        "loops_closed_share": _(
            "{share}% of the ideas: everyone behind them has heard a decision."
        ),
        "loops_none": _("No ideas came in during this period."),
        "by_month": _("Ideas received each month"),
        "month": _("Month"),
        "ideas": _("Ideas"),
        "by_status": _("Decisions made, by what was decided"),
        "status": _("Decision"),
        "count": _("How many"),
        "meetings_heading": _("Meetings and time given"),
        "meetings": _("Meetings"),
        "meeting_hours": _("Hours in meetings"),
        "other_hours": _("Other time given, in hours"),
        "total_hours": _("Total hours"),
        "thanks_given": _("Thank-yous given"),
        "meeting": _("Meeting"),
        "date": _("Date"),
        "there": _("People there"),
        "invited": _("People in the channel"),
        "hours": _("Hours"),
        "afterthoughts": _("Afterthoughts"),
        "too_few_there": _("Hidden: fewer than 5 there"),
        "attendance_chart": _("People at each meeting"),
        "no_meetings": _("No meetings in this period."),
        "taking_part": _("Taking part"),
        "members": _("People in the group"),
        "took_part": _("Took part with their name"),
        "too_small": _(
            "The group has fewer than 5 people, so figures about taking part are hidden. "
            "They could point at someone."
        ),
        "taking_part_means": _(
            "Taking part means an idea with their name, a meeting, or an answer to a request "
            "for afterthoughts. Anonymous ideas are never counted."
        ),
        "you_said": _("You said, we did"),
        "no_decisions": _("No decisions in this period."),
        "more_decisions": _("And {count} more. The ideas file has them all."),
        "chart_alt": _("A bar chart of {what}. The table next to it has the same figures."),
        "footer": _(
            "Made on {date}. Anonymous ideas never carry a name, and no figure about taking "
            "part is shown for fewer than 5 people."
        ),
    }


def sign_in() -> dict[str, str]:
    return {
        "title": _("Open the impact report"),
        "about_to": _("You are signing in as {name}."),
        "button": _("Open the report"),
        "why": _("The link works once, so we ask you to press the button."),
    }


def notice(kind: Refusal | str) -> tuple[str, str]:
    """The title and one kind line of a page that says no, and what to do instead."""
    again = _("Type /coproduce report in your group's chat for a new link.")
    notices = {
        Refusal.FORGED: (
            _("This link doesn't work"),
            _("It may not have been copied in full.") + " " + again,
        ),
        Refusal.EXPIRED: (
            _("This link has run out"),
            _("Links work for 15 minutes.") + " " + again,
        ),
        Refusal.USED: (
            _("This link has already been used"),
            _("Each link works once.") + " " + again,
        ),
        Refusal.NOT_FACILITATOR: (
            _("The report is for facilitators"),
            _(
                "You can see the report for the groups you run. If you think you should see "
                "one, please ask an admin."
            ),
        ),
        "sign-in": (
            _("Please sign in"),
            _(
                "To see the impact report, type /coproduce report in your group's chat. You "
                "will get a link that works once."
            ),
        ),
        "signed-out": (
            _("You have signed out"),
            _("Thank you. Type /coproduce report in chat when you want to look again."),
        ),
        "not-found": (
            _("There is no page here"),
            _("Please check the address, or go back to the report."),
        ),
        "bad-choice": (
            _("I don't know that group or period"),
            _("Please choose again from the report page."),
        ),
        "fault": (
            _("Sorry, something went wrong"),
            _("Nothing has been changed. Please try again in a minute."),
        ),
    }
    return notices[kind]
