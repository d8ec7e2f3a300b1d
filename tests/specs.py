"""The public platform schemas in ../shared/specs, read in place (never copied here)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest

SPECS = Path(__file__).resolve().parents[1].parent / "shared" / "specs"


def spec_path(relative: str) -> Path:
    """The path of one spec file, skipping the test when the shared folder is absent."""
    path = SPECS / relative
    if not path.exists():
        pytest.skip(
            f"platform spec {relative} not found in {SPECS} (shared/ is not beside the repo)"
        )
    return path


@cache
def _load(path: str) -> Any:
    return json.loads(Path(path).read_text())


def load_spec(relative: str) -> Any:
    return _load(str(spec_path(relative)))


def adaptive_card_validator() -> Any:
    import jsonschema

    schema = load_spec("teams/adaptive-card.v1.5.schema.json")
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema)


def assert_valid_adaptive_card(card: dict[str, Any]) -> None:
    """Fail with the schema's own words when a card is not valid Adaptive Card 1.5."""
    errors = sorted(adaptive_card_validator().iter_errors(card), key=str)
    assert not errors, f"invalid Adaptive Card: {errors[0].message} at {list(errors[0].path)}"
