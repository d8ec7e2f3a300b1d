"""`/coproduce time <duration> <what>`: time given outside meetings (preparing, reading,
travelling) goes on the person's record of involvement, which trusts use to pay people for it."""

from __future__ import annotations

import re

from bot.i18n import N_, _, n_
from bot.seam.messages import Reply, simple
from bot.turn import Turn
from storage import involvement

MAX_MINUTES = 24 * 60  # one entry covers at most a day
MAX_WHAT = 200
_PART = re.compile(
    r"(\d{1,3}(?:[.,]\d{1,2})?)\s*(hours?|hrs?|h|awr|oriau|minutes?|mins?|m|munud)(?![a-z])",
    re.IGNORECASE,
)
_LEADING = re.compile(rf"^\s*(?:{_PART.pattern}\s*)+", re.IGNORECASE)
USAGE = N_(
    "Say how long it took and what it was. For example: /coproduce time 2h reading, or "
    "/coproduce time 45m travel."
)


def parse_time(text: str) -> tuple[int, str] | None:
    """`1h30m reading`, `1.5 hours travel`, `45 minutes` → (minutes, what); None if unreadable."""
    leading = _LEADING.match(text)
    if leading is None:
        return None
    minutes = 0.0
    for amount, unit in _PART.findall(leading.group(0)):
        value = float(amount.replace(",", "."))
        hours = unit.lower().startswith(("h", "awr", "oriau"))
        minutes += value * 60 if hours else value
    return round(minutes), text[leading.end() :].strip()


def amount(minutes: int) -> str:
    """Time in words: `45 minutes`, `2 hours`, `1.5 hours`."""
    if minutes < 60:
        return n_("{count} minute", "{count} minutes", minutes)
    if minutes % 60 == 0:
        return n_("{count} hour", "{count} hours", minutes // 60)
    return _("{hours} hours", hours=f"{minutes / 60:.1f}")


async def add(turn: Turn, text: str) -> Reply:
    """Add time to the person's own record, and say what their record now holds."""
    parsed = parse_time(text)
    if parsed is None:
        return Reply(simple(_(USAGE)))
    minutes, what = parsed
    if not 1 <= minutes <= MAX_MINUTES:
        return Reply(
            simple(
                _(
                    "One entry can be from 1 minute to 24 hours. For more, add each day on "
                    "its own. Nothing has been saved."
                )
            )
        )
    if not what:
        return Reply(simple(_("What was the time for?") + " " + _(USAGE)))
    if len(what) > MAX_WHAT:
        return Reply(
            simple(
                _(
                    "Please say what it was for in up to {limit} characters. Nothing has been "
                    "saved.",
                    limit=MAX_WHAT,
                )
            )
        )
    group = await turn.working_group()
    await involvement.add_time(
        session=turn.session,
        workspace_id=turn.workspace_id,
        person_id=turn.person_id,
        group_id=group.id if group else None,
        minutes=minutes,
        what=what,
        now=turn.now,
    )
    entries = await involvement.time_of(session=turn.session, person_id=turn.person_id)
    total = sum(entry.minutes for entry in entries)
    return Reply(
        simple(
            _(
                "Thank you for giving your time. {amount} for \u201c{what}\u201d is on your "
                "record. That's {total} added so far. /coproduce record shows it all.",
                amount=amount(minutes),
                what=what,
                total=amount(total),
            )
        )
    )
