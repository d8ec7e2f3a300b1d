"""Kept for imports that name it: the platforms now come from the registry."""

from __future__ import annotations

from adapters.registry import Platforms, build_platforms

__all__ = ["Platforms", "build_platforms"]
