"""Which OAuth scopes a Slack Web API method needs, and which our manifest asks for.

The 2020 OpenAPI spec in shared/specs lists each method's scopes, in the old names for some
(`chat:write:bot`); any one listed scope is enough. Methods newer than the spec are in a short
table taken from their reference pages on api.slack.com.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

MANIFEST = Path(__file__).resolve().parents[2] / "adapters" / "slack" / "manifest.json"

# Methods newer than the 2020 spec, with the scopes their reference pages name.
NEWER_METHODS: dict[str, frozenset[str]] = {
    "files.getUploadURLExternal": frozenset({"files:write"}),
    "files.completeUploadExternal": frozenset({"files:write"}),
}

# Classic scope names in the spec, and the granular bot scope that replaced each.
_RENAMED = {
    "chat:write:bot": "chat:write",
    "chat:write:user": "chat:write",
    "files:write:user": "files:write",
}


@cache
def granted() -> frozenset[str]:
    """The bot scopes the app manifest asks for."""
    manifest = json.loads(MANIFEST.read_text())
    return frozenset(manifest["oauth_config"]["scopes"]["bot"])


def needed(method: str, spec: dict[str, Any] | None) -> frozenset[str] | None:
    """Scopes of which the method needs any one; None when it needs none (or is unknown)."""
    if method in NEWER_METHODS:
        return NEWER_METHODS[method]
    if spec is None or f"/{method}" not in spec["paths"]:
        return None
    listed: set[str] = set()
    for operation in spec["paths"][f"/{method}"].values():
        for requirement in operation.get("security", []):
            listed.update(requirement.get("slackAuth", []))
    if not listed or "none" in listed:
        return None
    return frozenset(_RENAMED.get(scope, scope) for scope in listed)
