"""The engine and storage stay platform-neutral: no platform SDK and no web framework."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FORBIDDEN = ("slack_bolt", "slack_sdk", "botbuilder", "botframework", "aiohttp")


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_bot_and_storage_import_no_platform_sdk() -> None:
    offenders = []
    for package in ("bot", "storage"):
        files = sorted((ROOT / package).rglob("*.py"))
        assert files, f"{package}/ has no modules"
        for path in files:
            for name in _imports(path):
                if name.split(".")[0] in FORBIDDEN:
                    offenders.append(f"{path.relative_to(ROOT)} imports {name}")
    assert offenders == []


def test_the_check_catches_a_forbidden_import(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("def f():\n    from slack_sdk import WebClient\n")
    assert "slack_sdk" in _imports(sample)


def _all_imports(path: Path) -> set[str]:
    """Every module a file imports, relative imports included, in dotted form."""
    tree = ast.parse(path.read_text(), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_storage_never_imports_the_engine_or_the_adapters() -> None:
    offenders = [
        f"{path.relative_to(ROOT)} imports {name}"
        for path in sorted((ROOT / "storage").rglob("*.py"))
        for name in _all_imports(path)
        if name.split(".")[0] in ("bot", "adapters")
    ]
    assert offenders == []


def test_the_engine_never_imports_the_adapters() -> None:
    offenders = [
        f"{path.relative_to(ROOT)} imports {name}"
        for path in sorted((ROOT / "bot").rglob("*.py"))
        for name in _all_imports(path)
        if name.split(".")[0] == "adapters"
    ]
    assert offenders == []


def test_platform_adapters_never_import_each_other() -> None:
    """One platform is one folder: changing Teams never touches Slack's code, and a new
    platform needs no other platform's modules."""
    folders = [p for p in (ROOT / "adapters").iterdir() if (p / "__init__.py").exists()]
    assert {"slack", "teams", "console"} <= {folder.name for folder in folders}
    offenders = []
    for folder in folders:
        others = {f"adapters.{other.name}" for other in folders if other != folder}
        for path in sorted(folder.rglob("*.py")):
            for name in _all_imports(path):
                if any(name == other or name.startswith(other + ".") for other in others):
                    offenders.append(f"{path.relative_to(ROOT)} imports {name}")
    assert offenders == []


def test_sql_lives_in_storage() -> None:
    """The engine speaks in domain calls; every query is a storage repository function."""
    sql = re.compile(
        r"\b(select|insert|update|delete)\(|session\.(exec|execute|get|add|delete|flush)\b"
        r"|^from (sqlmodel|sqlalchemy) import (?!.*AsyncSession)",
        re.MULTILINE,
    )
    offenders = [
        f"{path.relative_to(ROOT)}: {match.group(0)}"
        for path in sorted((ROOT / "bot").rglob("*.py"))
        for match in sql.finditer(path.read_text())
    ]
    assert offenders == []
