"""The Slack app manifest in the repo is valid and matches what the app handles."""

from __future__ import annotations

import inspect
import json
import re
from pathlib import Path

import jsonschema
from slack_sdk.web.async_client import AsyncWebClient

from bot.seam.commands import COMMANDS
from tests.fakes import scopes
from tests.specs import load_spec

MANIFEST = Path(__file__).resolve().parents[1] / "adapters" / "slack" / "manifest.json"


def test_manifest_validates_against_slacks_schema() -> None:
    schema = load_spec("slack/app-manifest.schema.json")
    manifest = json.loads(MANIFEST.read_text())
    validator = jsonschema.validators.validator_for(schema)(schema)
    errors = [e.message for e in validator.iter_errors(manifest)]
    assert errors == []


def test_manifest_lists_exactly_the_commands_the_bot_answers() -> None:
    manifest = json.loads(MANIFEST.read_text())
    listed = {c["command"].lstrip("/") for c in manifest["features"]["slash_commands"]}
    assert listed == set(COMMANDS)
    urls = {c["url"] for c in manifest["features"]["slash_commands"]}
    assert urls == {manifest["settings"]["event_subscriptions"]["request_url"]}


def _web_api_methods(client_method: str, seen: set[str]) -> set[str]:
    """The Web API methods one AsyncWebClient method calls, following its helpers."""
    if client_method in seen or not hasattr(AsyncWebClient, client_method):
        return set()
    seen.add(client_method)
    source = inspect.getsource(getattr(AsyncWebClient, client_method))
    methods = set(re.findall(r'api_call\(\s*"([\w.]+)"', source))
    for helper in re.findall(r"self\.(\w+)\(", source):
        methods |= _web_api_methods(helper, seen)
    return methods


def web_api_methods_called() -> set[str]:
    """Every Web API method the Slack adapter calls, read from its source and slack_sdk's."""
    adapter = Path(__file__).resolve().parents[1] / "adapters" / "slack"
    source = "\n".join(path.read_text() for path in adapter.glob("*.py"))
    seen: set[str] = set()
    methods: set[str] = set()
    for name in set(re.findall(r"client\.(\w+)\(", source)):
        methods |= _web_api_methods(name, seen)
    return methods


def test_the_manifest_grants_a_scope_for_every_web_api_method_the_code_calls() -> None:
    spec = load_spec("slack/web-api.openapi-v2.json")
    methods = web_api_methods_called()
    # the reading found the calls we know of, so an empty set cannot pass by accident
    assert {"chat.postMessage", "files.completeUploadExternal", "views.open"} <= methods
    missing = {
        method: sorted(needed)
        for method in sorted(methods)
        if (needed := scopes.needed(method, spec)) is not None and not needed & scopes.granted()
    }
    assert missing == {}, f"add a scope to adapters/slack/manifest.json for {missing}"
