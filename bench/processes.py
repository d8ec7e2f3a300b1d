"""Starting, watching and stopping the processes a benchmark run needs."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

VENV_BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _memory_mb(pid: int, field: str) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


@dataclass
class Process:
    name: str
    popen: subprocess.Popen[bytes]
    url: str

    @property
    def resident_mb(self) -> float:
        return _memory_mb(self.popen.pid, "VmRSS")

    @property
    def peak_mb(self) -> float:
        return _memory_mb(self.popen.pid, "VmHWM")

    @property
    def cpu_seconds(self) -> float:
        """User plus system CPU time the server process has used so far (from /proc)."""
        fields = Path(f"/proc/{self.popen.pid}/stat").read_text().rsplit(")", 1)[1].split()
        ticks = int(fields[11]) + int(fields[12])  # utime and stime, fields 14 and 15
        return ticks / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        if self.popen.poll() is None:
            self.popen.send_signal(signal.SIGTERM)
            try:
                self.popen.wait(30)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait()


def start(name: str, command: list[str], port: int, env: dict[str, str] | None = None) -> Process:
    """Start a server and wait until it answers `/healthz` (or any HTTP at all)."""
    popen = subprocess.Popen(
        command,
        env={**os.environ, **(env or {})},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if popen.poll() is not None:
            raise RuntimeError(f"{name} exited with {popen.returncode} before it was ready")
        try:
            urllib.request.urlopen(f"{url}/healthz", timeout=1).read()
            return Process(name, popen, url)
        except urllib.error.HTTPError:  # it answers HTTP, so it is listening
            return Process(name, popen, url)
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.1)
    popen.kill()
    raise RuntimeError(f"{name} did not become ready within 60 s")


def python_module(module: str, *args: str) -> list[str]:
    return [sys.executable, "-m", module, *args]


def coproduce(*args: str) -> list[str]:
    return [str(VENV_BIN / "coproduce"), *args]


def load(platform: str, url: str, fake: str, **options: float) -> dict[str, float]:
    """Drive `url` from a separate process; its JSON report."""
    command = python_module("bench.load", "--platform", platform, "--url", url, "--fake", fake)
    for key, value in options.items():
        command += [f"--{key}", str(value)]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return json.loads(output.strip().splitlines()[-1])  # type: ignore[no-any-return]
