"""Numbers people type or buttons carry (idea #12, agenda item A3, a meeting id).

Only ASCII digits count: Python's `int()` also reads "²" and "٣" (Arabic-Indic three), which
nobody means as an idea number. And nothing past what the database stores: a 23-digit number
is "no such idea", not an overflow.
"""

from __future__ import annotations

import re

MAX_NUMBER = 2_147_483_647  # PostgreSQL's integer
_DIGITS = re.compile(r"[0-9]{1,10}")


def parse_number(text: str) -> int | None:
    """The number in `text` (a leading `#` allowed), or None when it is not a plain one."""
    token = text.strip().removeprefix("#")
    if not _DIGITS.fullmatch(token):
        return None
    number = int(token)
    return number if 0 < number <= MAX_NUMBER else None
