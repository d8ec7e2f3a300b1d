"""Structured JSON logs: one object a line, ids and event types, never contribution text."""

from __future__ import annotations

import json
import logging
import re
import sys
from datetime import UTC, datetime
from typing import Any

# Libraries that log request or response bodies at DEBUG or INFO: patients' words could leak.
QUIET_LIBRARIES = (
    "slack_bolt",
    "slack_sdk",
    "botbuilder",
    "botframework",
    "msrest",
    "urllib3",
    "aiosqlite",
    "asyncpg",
    "sqlalchemy",
    "apscheduler",
    "msal",
    "azure",
    "aiosmtplib",
)
# Secrets that travel in paths: a guest's page link, and a report sign-in link.
SECRET_IN_PATH = re.compile(r"(/g/)[A-Za-z0-9_-]{16,}|([?&]t=)[^\s&\"]+")
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    """The record's message plus every `extra=` field, as one JSON object."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update({k: v for k, v in vars(record).items() if k not in _STANDARD})
        if record.exc_info and record.exc_info[0] is not None:
            # The exception type and where, not its message: messages can quote user text.
            entry["exception"] = record.exc_info[0].__name__
        return json.dumps(entry, default=str, ensure_ascii=False)


class RedactSecrets(logging.Filter):
    """The access log keeps paths and statuses, but never the secret part of a link."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = _redact(record.getMessage())
        record.args = ()
        for name, value in list(vars(record).items()):
            if name not in _STANDARD and isinstance(value, str):
                setattr(record, name, _redact(value))  # aiohttp adds the request line as extra
        return True


def _redact(text: str) -> str:
    return SECRET_IN_PATH.sub(lambda m: (m.group(1) or m.group(2)) + "\u2026", text)


def configure_logging(level: int = logging.INFO) -> None:
    """JSON logs to stderr; chatty libraries held at WARNING."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for name in QUIET_LIBRARIES:
        logging.getLogger(name).setLevel(logging.WARNING)
    # The access log carries paths and statuses only; keep it, without link secrets.
    access = logging.getLogger("aiohttp.access")
    access.setLevel(level)
    if not any(isinstance(f, RedactSecrets) for f in access.filters):
        access.addFilter(RedactSecrets())
