"""The install is reproducible: the lock files pin what pyproject.toml asks for, for every
supported Python, and hosts find what they look for (.python-version, requirements.txt)."""

from __future__ import annotations

import glob
import re
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet

ROOT = Path(__file__).resolve().parents[1]
PIN = re.compile(r"^([A-Za-z0-9_.\-\[\]]+)==([^\s;]+)")


def pins(path: Path) -> dict[str, str]:
    found = {}
    for line in path.read_text().splitlines():
        match = PIN.match(line)
        if match:
            name = re.sub(r"\[.*\]", "", match.group(1))
            found[re.sub(r"[-_.]+", "-", name).lower()] = match.group(2)
    return found


def wanted(extra: str | None = None) -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    names = project["dependencies"] + (project["optional-dependencies"][extra] if extra else [])
    return [Requirement(text) for text in names]


def check(lock: Path, requirements: list[Requirement]) -> list[str]:
    pinned = pins(lock)
    problems = []
    for requirement in requirements:
        key = re.sub(r"[-_.]+", "-", requirement.name).lower()
        version = pinned.get(key)
        if version is None:
            problems.append(f"{requirement.name} is not pinned in {lock.name}")
        elif not requirement.specifier.contains(version, prereleases=True):
            problems.append(f"{requirement.name}=={version} is outside {requirement.specifier}")
    return problems


def test_the_locks_pin_everything_pyproject_asks_for_within_its_ranges() -> None:
    assert check(ROOT / "requirements.txt", wanted()) == [], "run `make lock`"
    assert check(ROOT / "requirements-dev.txt", wanted("dev")) == [], "run `make lock`"


def test_hosts_install_the_app_itself_on_a_supported_python() -> None:
    lines = (ROOT / "requirements.txt").read_text().split()
    assert lines[-1] == ".", "requirements.txt must end by installing the app (Heroku uses it)"
    supported = SpecifierSet(
        tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["requires-python"]
    )
    pinned_python = (ROOT / ".python-version").read_text().strip()
    assert supported.contains(pinned_python + ".0")
    assert supported.contains("3.12.0") and not supported.contains("3.13.0")


def test_make_says_what_to_install_when_the_python_is_unsupported(tmp_path: Path) -> None:
    """Ubuntu 26.04's or a developer's newer Python must get a clear message, not a broken
    .venv that every later make reuses."""
    make = shutil.which("make")
    unsupported = next(
        (
            path
            for path in (
                shutil.which("python3.13"),
                *glob.glob("/root/.pyenv/versions/3.13*/bin/python3.13"),
            )
            if path and subprocess.run([path, "-V"], capture_output=True).returncode == 0
        ),
        None,
    )
    if make is None or unsupported is None:
        pytest.skip("needs make and a Python 3.13 on this machine")
    result = subprocess.run(
        [make, "-C", str(ROOT), "install", f"PYTHON={unsupported}", f"VENV={tmp_path / 'venv'}"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "needs Python 3.11 or 3.12, and found 3.13" in result.stdout
    assert "sudo apt install python3.12" in result.stdout
    assert not (tmp_path / "venv").exists()  # nothing half-made to trip over later
