"""Reading what a write statement did, typed."""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import CursorResult, Result


def rows_changed(result: Result[Any]) -> int:
    """How many rows an UPDATE or DELETE touched (DML results are cursor results)."""
    return int(cast(CursorResult[Any], result).rowcount or 0)
