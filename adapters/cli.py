"""`coproduce` command line: serve, worker, console, db upgrade."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from importlib import metadata

from sqlalchemy.exc import DBAPIError

from adapters import processes, registry
from adapters.audit_log import print_audit
from adapters.logs import configure_logging
from adapters.settings import Settings, SettingsError, load_settings
from storage.migrate import upgrade

log = logging.getLogger("coproduce")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="coproduce",
        description="Coproduce: a Slack and Teams bot for working with patients and carers.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    serve = commands.add_parser("serve", help="serve HTTP for Slack and Teams")
    serve.add_argument("--no-worker", action="store_true", help="web only; run `worker` apart")
    commands.add_parser("worker", help="scheduled work and outbox delivery")
    db = commands.add_parser("db", help="database tasks")
    db.add_argument(
        "action",
        choices=["upgrade"],
        help="upgrade: apply every migration not yet applied (the release step)",
    )
    audit = commands.add_parser("audit", help="print the audit log (ids only, newest first)")
    audit.add_argument(
        "--limit", type=_positive, default=100, help="how many entries to print (default 100)"
    )
    for platform in registry.platforms():
        if platform.add_commands is not None:
            platform.add_commands(commands)
    return parser


def _version() -> str:
    try:
        return metadata.version("coproduce")
    except metadata.PackageNotFoundError:
        return "unknown (not installed)"


def _positive(value: str) -> int:
    number = int(value) if value.isdigit() else 0
    if number < 1:
        raise argparse.ArgumentTypeError("give a whole number of 1 or more")
    return number


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `coproduce` console script."""
    configure_logging()
    args = _parser().parse_args(argv)
    helper = next((p for p in registry.platforms() if args.command in p.commands), None)
    if helper is not None and helper.run_command is not None:
        return helper.run_command(args)  # needs no settings: it runs before there are any
    try:
        settings = load_settings()
    except SettingsError as error:
        print(f"coproduce: setting {error}", file=sys.stderr)
        return 2
    command = args.command
    if command is None:
        # `make run`: serve when a platform is configured, otherwise chat in the terminal.
        command = "serve" if settings.serves_a_platform() else "console"
        args = _parser().parse_args([command])  # that command with its defaults
    try:
        return _run(command, args, settings)
    except (OSError, DBAPIError) as error:
        # One line an operator can act on; the driver's own message may quote data, so no more.
        print(
            f"coproduce: cannot use the database in DATABASE_URL ({type(error).__name__}). "
            "Is it running, and is the address right?",
            file=sys.stderr,
        )
        return 1


def _run(command: str, args: argparse.Namespace, settings: Settings) -> int:
    if command == "db":
        asyncio.run(upgrade(settings.DATABASE_URL))
        print("Database is up to date.")
        return 0
    if command == "audit":
        asyncio.run(print_audit(settings, limit=args.limit))
        return 0
    if command == "serve":
        asyncio.run(processes.serve(settings, with_worker=not args.no_worker))
        return 0
    if command == "worker":
        asyncio.run(processes.work(settings))
        return 0
    runner = next((p for p in registry.platforms() if command in p.process_commands), None)
    if runner is not None and runner.run_process is not None:
        return runner.run_process(args, settings)
    return 2


if __name__ == "__main__":
    raise SystemExit(main())
