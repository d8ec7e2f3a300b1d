"""The Slack app manifest in the repo, with the request URLs pointed at a real server."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any
from urllib.parse import urlparse

PLACEHOLDER = "https://coproduce.example.org"


def manifest(base_url: str) -> dict[str, Any]:
    """The manifest with every request URL under `base_url` (an https origin)."""
    parsed = urlparse(base_url)
    if parsed.scheme != "https" or not parsed.netloc:
        raise ValueError("the URL must be https://your.host (Slack only calls https)")
    origin = f"https://{parsed.netloc}{parsed.path.rstrip('/')}"
    text = resources.files("adapters.slack").joinpath("manifest.json").read_text()
    return json.loads(text.replace(PLACEHOLDER, origin))
