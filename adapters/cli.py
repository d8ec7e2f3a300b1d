"""`coproduce` command line: serve, worker, console, db upgrade."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from datetime import timedelta
from importlib import metadata
from pathlib import Path

from sqlalchemy.exc import DBAPIError

from adapters import processes, registry
from adapters.audit_log import print_audit
from adapters.logs import configure_logging
from adapters.settings import Settings, SettingsError, load_settings
from bot.sessions.durations import describe, parse_duration
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
    console = commands.add_parser("console", help="chat with the bot in this terminal")
    console.add_argument(
        "--as",
        dest="name",
        default=None,
        help="who you are in the chat (default: your login name, or Sam)",
    )
    console.add_argument(
        "--group",
        default="",
        help="comma-separated names of the others in the group's channel, e.g. ann,bob",
    )
    console.add_argument(
        "--reflection-delay",
        default=None,
        help="for a demo: prompt this soon after a meeting ends (e.g. 10s), quiet hours off",
    )
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
        args.name, args.group, args.reflection_delay = None, "", None
        args.no_worker = False
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
    if command == "console":
        from adapters.console.chat import default_name

        args.name = args.name or default_name()
        logging.getLogger().setLevel(logging.WARNING)
        where = settings.DATABASE_URL
        if where.startswith("sqlite:///"):
            where = str(Path(where.removeprefix("sqlite:///")).resolve())
        print(f"(Saving to {where})", flush=True)
        group = [n.strip() for n in args.group.split(",") if n.strip()]
        if args.reflection_delay is not None:
            delay = parse_duration(args.reflection_delay)
            if delay is None or delay > timedelta(days=1):
                print(
                    "coproduce: --reflection-delay takes a duration up to a day, such as 10s, "
                    "5m or 2h",
                    file=sys.stderr,
                )
                return 2
            # It changes the saved settings, so say so, and how to undo it.
            print(
                f"(This changes the saved settings: prompts now come {describe(delay)} after a "
                "meeting ends, at any hour. To undo it: /coproduce settings reflection-delay "
                "next-morning, then /coproduce settings quiet-hours 20:00-09:00)",
                flush=True,
            )
        asyncio.run(
            processes.console(
                settings, args.name, group=group, reflection_delay=args.reflection_delay
            )
        )
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
