"""Health and readiness routes."""

from __future__ import annotations

from pathlib import Path

import pytest
from aiohttp import ClientSession
from aiohttp.test_utils import TestServer
from sqlalchemy import text

from adapters.platforms import Platforms
from adapters.settings import SettingsError, load_settings
from adapters.web import create_app
from storage.database import Database
from storage.migrate import upgrade
from tests.conftest import RunningBot


async def test_healthz_and_readyz(running_bot: RunningBot) -> None:
    async with running_bot.http.get(f"{running_bot.url}healthz") as response:
        assert response.status == 200
    async with running_bot.http.get(f"{running_bot.url}readyz") as response:
        assert response.status == 200
        assert (await response.json())["status"] == "ready"


async def test_readyz_reports_pending_migrations(running_bot: RunningBot) -> None:
    async with running_bot.database.engine.begin() as connection:
        await connection.execute(text("UPDATE alembic_version SET version_num = 'old'"))
    async with running_bot.http.get(f"{running_bot.url}readyz") as response:
        assert response.status == 503
        assert (await response.json())["status"] == "migrations pending"


async def test_privacy_and_terms_pages_answer_with_plain_safe_html(running_bot: RunningBot) -> None:
    for path, words in (("privacy", "/coproduce forget-me"), ("terms", "Samaritans")):
        async with running_bot.http.get(f"{running_bot.url}{path}") as response:
            assert response.status == 200
            assert response.content_type == "text/html"
            page = await response.text()
            policy = response.headers["Content-Security-Policy"]
        assert words in page and '<html lang="en">' in page and "<h1>" in page
        assert "default-src 'none'" in policy and "script" not in page


async def test_an_operators_own_privacy_notice_replaces_ours(tmp_path: Path) -> None:
    notice = tmp_path / "notice.md"
    notice.write_text("# Our notice\n\nAsk the Trust's data protection officer. <script>x</script>")
    settings = load_settings(COPRODUCE_PRIVACY_FILE=str(notice))
    app = create_app(
        platforms=Platforms(),
        database=Database("sqlite:///" + str(tmp_path / "x.db")),
        privacy_file=settings.COPRODUCE_PRIVACY_FILE,
    )
    async with (
        TestServer(app, host="127.0.0.1") as server,
        ClientSession() as http,
        http.get(server.make_url("/privacy")) as response,
    ):
        page = await response.text()
    assert "data protection officer" in page and "<script>" not in page
    with pytest.raises(SettingsError, match="COPRODUCE_TERMS_FILE"):
        load_settings(COPRODUCE_TERMS_FILE=str(tmp_path / "missing.md"))


async def test_readyz_is_not_ready_while_the_database_cannot_be_written(
    running_bot: RunningBot,
) -> None:
    """Another connection holds the write lock (SQLite's one writer, PostgreSQL's row lock) and
    keeps it: every write would fail, so the process must not say it is ready."""
    async with running_bot.database.engine.connect() as holder:
        await holder.exec_driver_sql("UPDATE alembic_version SET version_num = version_num")
        try:
            async with running_bot.http.get(f"{running_bot.url}readyz") as response:
                assert response.status == 503
                assert (await response.json())["status"] == "database not writable"
        finally:
            await holder.rollback()
    async with running_bot.http.get(f"{running_bot.url}readyz") as response:
        assert response.status == 200


async def test_readyz_is_not_ready_on_a_read_only_database(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'ro.db'}"
    await upgrade(url)
    read_only = Database(f"sqlite:///file:{tmp_path / 'ro.db'}?mode=ro&uri=true")
    app = create_app(platforms=Platforms(), database=read_only)
    async with (
        TestServer(app, host="127.0.0.1") as server,
        ClientSession() as http,
        http.get(server.make_url("/readyz")) as response,
    ):
        assert response.status == 503
    await read_only.dispose()
