"""A clock the tests own: the engine, worker and scheduler read the time only through it, so no
test depends on the day it runs.

`MOMENTS` are awkward moments that date- and zone-sensitive tests also run at.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

# An ordinary Tuesday morning: the default for every test that takes the `clock` fixture.
ORDINARY = datetime(2026, 11, 24, 11, 0, tzinfo=UTC)

MOMENTS = {
    "ordinary": ORDINARY,
    # 01:30 on the Sunday British Summer Time ends happens twice in London; this is the first.
    "bst-ends": datetime(2026, 10, 25, 0, 30, tzinfo=UTC),
    "leap-day": datetime(2028, 2, 29, 12, 0, tzinfo=UTC),
    "new-years-eve": datetime(2026, 12, 31, 23, 30, tzinfo=UTC),
}


class FakeClock:
    """Callable like `storage.models.utcnow`. It starts at a moment the test chooses and then
    runs at the real rate, so pacing and Retry-After waits still end; `set` and `advance` jump."""

    def __init__(self, start: datetime = ORDINARY) -> None:
        self.set(start)

    def __call__(self) -> datetime:
        return self._origin + timedelta(seconds=time.monotonic() - self._started)

    @property
    def now(self) -> datetime:
        return self()

    def set(self, moment: datetime) -> None:
        self._origin = moment
        self._started = time.monotonic()

    def advance(self, delta: timedelta) -> datetime:
        self.set(self() + delta)
        return self._origin
