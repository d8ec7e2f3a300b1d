"""`coproduce` command line: serve, worker, console, db upgrade."""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import sys
from pathlib import Path

from adapters.settings import Settings, SettingsError, load_settings
from bot.engine import Engine
from storage.database import Database
from storage.migrate import upgrade

log = logging.getLogger("coproduce")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="coproduce",
        description="Coproduce: a Slack and Teams bot for working with patients and carers.",
    )
    commands = parser.add_subparsers(dest="command")
    serve = commands.add_parser("serve", help="serve HTTP for Slack and Teams")
    serve.add_argument("--no-worker", action="store_true", help="web only; run `worker` apart")
    commands.add_parser("worker", help="scheduled work and outbox delivery")
    console = commands.add_parser("console", help="chat with the bot in this terminal")
    console.add_argument("--as", dest="name", default="you", help="who you are in the chat")
    db = commands.add_parser("db", help="database tasks")
    db.add_argument("action", choices=["upgrade"])
    return parser


async def _open_database(settings: Settings, *, auto_upgrade: bool) -> Database:
    database = Database(settings.DATABASE_URL)
    if auto_upgrade and database.dialect == "sqlite":
        await upgrade(settings.DATABASE_URL)
    return database


async def _serve(settings: Settings, *, with_worker: bool) -> None:
    from aiohttp import web

    from adapters.web import create_app

    database = await _open_database(settings, auto_upgrade=True)
    engine = Engine(database=database, config=settings.engine_config())
    app = await create_app(settings=settings, engine=engine, database=database)
    runner = web.AppRunner(app, shutdown_timeout=20)
    await runner.setup()
    site = web.TCPSite(runner, settings.bind_host, settings.PORT)
    await site.start()
    platforms = [
        name
        for name, on in (("slack", settings.slack_enabled), ("teams", settings.teams_enabled))
        if on
    ]
    log.info(
        "serving",
        extra={"host": settings.bind_host, "port": settings.PORT, "platforms": platforms},
    )
    print(f"Coproduce is listening on http://{settings.bind_host}:{settings.PORT}", flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    try:
        await stop.wait()
    finally:
        await runner.cleanup()
        await database.dispose()


async def _console(settings: Settings, name: str) -> None:
    from adapters.console.chat import ConsoleChat

    database = await _open_database(settings, auto_upgrade=True)
    try:
        engine = Engine(database=database, config=settings.engine_config())
        await ConsoleChat(engine, name=name).run()
    finally:
        await database.dispose()


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `coproduce` console script."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    args = _parser().parse_args(argv)
    try:
        settings = load_settings()
    except SettingsError as error:
        print(f"coproduce: setting {error}", file=sys.stderr)
        return 2
    command = args.command
    if command is None:
        # `make run`: serve when a platform is configured, otherwise chat in the terminal.
        command = "serve" if settings.slack_enabled or settings.teams_enabled else "console"
        args.name = getattr(args, "name", "you")
        args.no_worker = False
    if command == "db":
        asyncio.run(upgrade(settings.DATABASE_URL))
        print("Database is up to date.")
        return 0
    if command == "console":
        logging.getLogger().setLevel(logging.WARNING)
        where = settings.DATABASE_URL
        if where.startswith("sqlite:///"):
            where = str(Path(where.removeprefix("sqlite:///")).resolve())
        print(f"(Saving to {where})", flush=True)
        asyncio.run(_console(settings, args.name))
        return 0
    if command == "serve":
        asyncio.run(_serve(settings, with_worker=not args.no_worker))
        return 0
    if command == "worker":
        print("coproduce: the worker has no scheduled work in this version yet.", file=sys.stderr)
        return 0
    return 2


if __name__ == "__main__":
    raise SystemExit(main())
