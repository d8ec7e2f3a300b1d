"""Reading untrusted JSON safely: a field of the wrong type reads as empty, never raises."""

from __future__ import annotations

from typing import Any


def obj(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def first(value: Any) -> dict[str, Any]:
    return obj(value[0]) if isinstance(value, list) and value else {}
