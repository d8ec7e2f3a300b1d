"""The container image builds and answers /healthz, where a Docker engine runs.

This machine kind has the docker client but no engine, so here the test says so and skips; on a
developer's machine with Docker it builds the real image from the Dockerfile.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import time
import urllib.request
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def docker_engine() -> bool:
    if shutil.which("docker") is None:
        return False
    probe = subprocess.run(["docker", "info"], capture_output=True, timeout=30)
    return probe.returncode == 0


@pytest.mark.skipif(not docker_engine(), reason="no Docker engine runs on this machine")
def test_the_image_builds_runs_as_a_non_root_user_and_answers_healthz() -> None:
    tag = f"coproduce-test:{uuid.uuid4().hex[:8]}"
    subprocess.run(["docker", "build", "-t", tag, str(ROOT)], check=True, timeout=1200)
    try:
        user = subprocess.run(
            ["docker", "image", "inspect", tag], capture_output=True, text=True, check=True
        )
        assert json.loads(user.stdout)[0]["Config"]["User"] == "coproduce"
        container = subprocess.run(
            ["docker", "run", "-d", "-p", "127.0.0.1::3978", "-e", "TEAMS_DEV_MODE=0", tag],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        try:
            port = (
                subprocess.run(
                    ["docker", "port", container, "3978"],
                    capture_output=True,
                    text=True,
                    check=True,
                )
                .stdout.split(":")[-1]
                .strip()
            )
            deadline = time.monotonic() + 60
            while True:
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                        assert r.status == 200
                        break
                except OSError:
                    assert time.monotonic() < deadline, "the container never answered /healthz"
                    time.sleep(1)
        finally:
            subprocess.run(["docker", "rm", "-f", container], capture_output=True)
    finally:
        subprocess.run(["docker", "rmi", "-f", tag], capture_output=True)
