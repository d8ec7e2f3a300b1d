"""The install is reproducible: the lock files pin what pyproject.toml asks for, for every
supported Python, and hosts find what they look for (.python-version, requirements.txt)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

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
