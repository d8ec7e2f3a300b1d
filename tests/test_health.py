"""Health and readiness routes."""

from __future__ import annotations

from sqlalchemy import text

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
