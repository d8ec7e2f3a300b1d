"""Taking a break: no requests for afterthoughts, reminders or check-in notes, until one
resumes or for a while.

Someone unwell or busy should be able to step back without explaining, check that they have,
and come back without having to remember to: `/coproduce pause for 2 weeks` ends by itself.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.i18n import _
from bot.seam.messages import Reply, simple
from bot.sessions.dates import day_and_date
from bot.sessions.durations import parse_days
from bot.turn import Turn
from storage.models import Person, as_utc, is_paused

LONGEST = timedelta(days=183)
HOW = "/coproduce pause, or /coproduce pause for 2 weeks"


def pause(turn: Turn, text: str) -> Reply:
    """`pause` (until resumed) or `pause for <a while>`: 3 days, 2 weeks, 1 month."""
    words = text.strip()
    if words.lower().startswith("for "):
        words = words[4:]
    until: datetime | None = None
    if words:
        length = parse_days(words)
        if length is None or length > LONGEST:
            return Reply(
                simple(
                    _(
                        "Sorry, I didn't understand how long. Try /coproduce pause for 2 weeks "
                        "(anything from 1 day to 6 months), or /coproduce pause to pause until "
                        "you say."
                    )
                )
            )
        until = turn.now + length
    turn.person.paused = True
    turn.person.paused_until = until
    if until is None:
        done = _(
            "Done. I won't ask for afterthoughts or send reminders now. To start again, type "
            "/coproduce resume."
        )
    else:
        done = _(
            "Done. I won't ask for afterthoughts or send reminders until {day}. To start "
            "sooner, type /coproduce resume.",
            day=_day(turn, until),
        )
    more = _("You can still share ideas whenever you like. Thank you for everything so far.")
    return Reply(simple(f"{done} {more}"))


def resume(turn: Turn) -> Reply:
    turn.person.paused = False
    turn.person.paused_until = None
    return Reply(
        simple(_("Welcome back! After meetings I'll ask for afterthoughts again, as before."))
    )


def status_line(turn: Turn, person: Person) -> str | None:
    """For /ideas: whether they are paused, and until when."""
    if not is_paused(person, turn.now):
        return None
    if person.paused_until is None:
        return _("You're taking a break from afterthought requests. /coproduce resume ends it.")
    return _(
        "You're taking a break from afterthought requests until {day}. /coproduce resume ends "
        "it sooner.",
        day=_day(turn, as_utc(person.paused_until)),
    )


def _day(turn: Turn, moment: datetime) -> str:
    return day_and_date(moment, turn.timezone, full=True)
