"""`make profile`: where one `coproduce serve` process spends its time under load.

Runs serve under pyinstrument (a statistical profiler, so the numbers stay honest), drives
it with `bench.load` for a few seconds, and prints pyinstrument's call tree.

    make profile                       # Slack events and /idea on SQLite
    make profile PROFILE_PLATFORM=teams PROFILE_DATABASE=postgresql://postgres@127.0.0.1/coproduce_bench
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from bench.processes import free_port, load, python_module, start
from bench.run import SECRET, fresh_postgres, migrated


def main() -> None:
    platform_name = os.environ.get("PROFILE_PLATFORM", "slack")
    with tempfile.TemporaryDirectory() as scratch:
        database = os.environ.get("PROFILE_DATABASE") or f"sqlite:///{Path(scratch) / 'p.db'}"
        if database.startswith("postgresql") and fresh_postgres() is None:
            sys.exit("PostgreSQL is not reachable")
        migrated(database)
        fake_port, port = free_port(), free_port()
        fake = start(
            "fake", python_module("bench.fake_platform", "--port", str(fake_port)), fake_port
        )
        report = Path(scratch) / "profile.txt"
        env = {
            "DATABASE_URL": database,
            "SLACK_BOT_TOKEN": "xoxb-bench",
            "SLACK_SIGNING_SECRET": SECRET,
            "SLACK_API_URL": f"{fake.url}/api/",
            "TEAMS_DEV_MODE": "true",
            "HOST": "127.0.0.1",
            "PORT": str(port),
        }
        command = python_module(
            "pyinstrument", "-r", "text", "-o", str(report), "-m", "adapters.cli", "serve"
        )
        server = start("coproduce under pyinstrument", command, port, env)
        try:
            result = load(platform_name, server.url, fake.url, concurrency=10, duration=8)
        finally:
            server.stop()
            fake.stop()
        print(f"{platform_name} on {database.split(':')[0]}: {result}")
        print(report.read_text())


if __name__ == "__main__":
    main()
