"""The Slack app manifest in the repo is valid and matches what the app handles."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema

from bot.commands import COMMANDS
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
