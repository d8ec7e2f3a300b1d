"""What the engine needs to know about its deployment, independent of how it was configured."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class EngineConfig:
    default_timezone: str = "Europe/London"
    admins: frozenset[str] = frozenset()  # `platform:user-id` pairs
