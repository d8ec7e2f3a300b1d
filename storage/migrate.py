"""Alembic migrations, run programmatically so `coproduce db upgrade` needs no alembic.ini."""

from __future__ import annotations

import asyncio
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.ext.asyncio import create_async_engine

from storage.database import normalise_url

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", normalise_url(url).replace("%", "%%"))
    return config


def head_revision() -> str:
    return ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head() or ""


async def upgrade(url: str) -> None:
    """Bring the database to the newest schema (idempotent)."""
    # Alembic's env.py runs its own event loop work through run_sync; keep it off ours.
    await asyncio.to_thread(command.upgrade, alembic_config(url), "head")


async def current_revision(url: str) -> str | None:
    """The revision the database is at, or None before the first migration."""
    engine = create_async_engine(normalise_url(url))
    try:
        async with engine.connect() as connection:
            return await connection.run_sync(
                lambda sync: MigrationContext.configure(sync).get_current_revision()
            )
    finally:
        await engine.dispose()


async def schema_is_current(database_url: str, engine: object | None = None) -> bool:
    """True when the database answers and sits at the newest migration."""
    from sqlalchemy.ext.asyncio import AsyncEngine

    if isinstance(engine, AsyncEngine):
        async with engine.connect() as connection:
            revision = await connection.run_sync(
                lambda sync: MigrationContext.configure(sync).get_current_revision()
            )
    else:
        revision = await current_revision(database_url)
    return revision == head_revision()
