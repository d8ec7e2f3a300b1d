"""`coproduce console`: the whole bot in a terminal, on the same database as `serve`."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

from adapters.console.buttons import ButtonBoard
from adapters.console.chat import (
    ConsoleChat,
    ConsoleRoster,
    default_name,
    demo_timing,
    first_group,
)
from adapters.console.messenger import ConsoleMessenger
from adapters.processes import open_database, scheduler_for, worker_for
from bot.engine import Engine
from bot.sessions.durations import describe, parse_duration


def add_arguments(console: argparse.ArgumentParser) -> None:
    console.add_argument(
        "--as",
        dest="name",
        default=None,
        help="who you are in the chat (default: your login name, or Sam)",
    )
    console.add_argument(
        "--group",
        default=None,
        help="the group whose channel you talk in (made if new), e.g. Carers; "
        "switch in the chat with :group NAME",
    )
    console.add_argument(
        "--people",
        default="",
        help="comma-separated names of the others in the group's channel, e.g. ann,bob",
    )
    console.add_argument(
        "--reflection-delay",
        default=None,
        help="for a demo: prompt this soon after a meeting ends (e.g. 10s), quiet hours off",
    )


def run(args: argparse.Namespace, settings: Any) -> int:
    """Check the options, say where the ideas are saved, and chat until end of input."""
    name = args.name or default_name()
    logging.getLogger().setLevel(logging.WARNING)
    where = settings.DATABASE_URL
    if where.startswith("sqlite:///"):
        where = str(Path(where.removeprefix("sqlite:///")).resolve())
    print(f"(Saving to {where})", flush=True)
    people = [n.strip() for n in args.people.split(",") if n.strip()]
    if args.reflection_delay is not None:
        delay = parse_duration(args.reflection_delay)
        if delay is None or delay > timedelta(days=1):
            print(
                "coproduce: --reflection-delay takes a duration up to a day, such as 10s, 5m or 2h",
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
        chat(
            settings,
            name,
            people=people,
            group=args.group,
            reflection_delay=args.reflection_delay,
        )
    )
    return 0


async def chat(
    settings: Any,
    name: str,
    *,
    people: list[str],
    group: str | None,
    reflection_delay: str | None,
) -> None:
    """The console chat, with the outbox and the scheduler delivering to the same terminal.

    The person at the terminal is an admin of the local workspace: it is their own machine.
    """
    config = settings.engine_config()
    config = replace(config, admins=config.admins | {f"console:{name}"})
    database = await open_database(settings, admins=config.admins)
    engine = Engine(database=database, config=config)
    board = ButtonBoard()  # delivered messages' buttons are pressed in the same chat
    messenger = ConsoleMessenger(sys.stdout, board=board, me=name)
    worker = worker_for(settings, database, {"console": messenger})
    scheduler = await scheduler_for(database, engine, worker, reconcile_every=5)
    stop = asyncio.Event()
    delivering = asyncio.create_task(worker.run(stop, poll=0.5))
    try:
        files_dir = (
            Path(database.url.split("///", 1)[-1]).parent
            if database.dialect == "sqlite"
            else Path()
        )
        console = ConsoleChat(
            engine, name=name, roster=ConsoleRoster(people), files_dir=files_dir, board=board
        )
        await first_group(database)
        if group:
            await console.switch(group)
        if reflection_delay:
            await demo_timing(database, reflection_delay)
        await console.run()
        await worker.deliver_due()  # what the last line queued, before saying goodbye
    finally:
        stop.set()
        await delivering
        await scheduler.shutdown()
        await database.dispose()
