"""Start-up settings: a missing or malformed value stops the process with one line naming it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from adapters.settings import SettingsError, load_settings

ROOT = Path(__file__).resolve().parents[1]
COPRODUCE = Path(sys.executable).parent / "coproduce"


def _clean_env(**values: str) -> dict[str, str]:
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "MICROSOFT_"))}
    keep.pop("TEAMS_DEV_MODE", None)
    return {**keep, **values}


@pytest.mark.parametrize(
    ("values", "named"),
    [
        ({"SLACK_BOT_TOKEN": "xoxb-1"}, "SLACK_SIGNING_SECRET"),
        ({"SLACK_SIGNING_SECRET": "s"}, "SLACK_BOT_TOKEN"),
        ({"MICROSOFT_APP_PASSWORD": "secret"}, "MICROSOFT_APP_ID"),
        ({"TEAMS_DEV_MODE": "1", "HOST": "0.0.0.0"}, "HOST"),
        ({"PORT": "not-a-port"}, "PORT"),
        ({"COPRODUCE_TIMEZONE": "Mars/Olympus"}, "COPRODUCE_TIMEZONE"),
        ({"DATABASE_URL": "mysql://x/y"}, "DATABASE_URL"),
        ({"DATABASE_POOL_SIZE": "0"}, "DATABASE_POOL_SIZE"),
        ({"COPRODUCE_ADMINS": "U123"}, "COPRODUCE_ADMINS"),
        ({"COPRODUCE_PUBLIC_URL": "https://coproduce.example.org"}, "COPRODUCE_SECRET_KEY"),
        ({"COPRODUCE_PUBLIC_URL": "http://coproduce.example.org"}, "COPRODUCE_PUBLIC_URL"),
        ({"COPRODUCE_PUBLIC_URL": "coproduce.example.org"}, "COPRODUCE_PUBLIC_URL"),
        ({"COPRODUCE_SECRET_KEY": "short"}, "COPRODUCE_SECRET_KEY"),
        ({"SMTP_URL": "smtp://mail.example.org:587"}, "MAIL_FROM"),
        ({"MAIL_FROM": "coproduce@example.org"}, "SMTP_URL"),
        ({"SMTP_URL": "http://mail.example.org", "MAIL_FROM": "a@b.org"}, "SMTP_URL"),
        ({"SMTP_URL": "smtp://mail.example.org", "MAIL_FROM": "a@b.org"}, "COPRODUCE_PUBLIC_URL"),
        ({"SMTP_URL": "smtp://m.example.org", "MAIL_FROM": "nobody"}, "MAIL_FROM"),
    ],
)
def test_bad_settings_name_the_variable(values: dict[str, str], named: str) -> None:
    with pytest.raises(SettingsError) as caught:
        load_settings(_env_file=None, **values)
    message = str(caught.value)
    assert message.startswith(named + ":")
    assert "\n" not in message


def test_teams_dev_mode_binds_to_loopback_by_default() -> None:
    settings = load_settings(_env_file=None, TEAMS_DEV_MODE=True)
    assert settings.bind_host == "127.0.0.1" and settings.teams_enabled


def test_no_credentials_means_console() -> None:
    settings = load_settings(_env_file=None)
    assert not settings.slack_enabled and not settings.teams_enabled


def test_serve_refuses_teams_without_an_app_id(tmp_path: Path) -> None:
    result = subprocess.run(
        [str(COPRODUCE), "serve"],
        env=_clean_env(MICROSOFT_APP_PASSWORD="secret", DATABASE_URL=f"sqlite:///{tmp_path}/x.db"),
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )
    assert result.returncode == 2
    [line] = result.stderr.strip().splitlines()
    assert "MICROSOFT_APP_ID" in line and "Traceback" not in result.stderr


def test_dev_mode_on_a_public_address_is_refused(tmp_path: Path) -> None:
    result = subprocess.run(
        [str(COPRODUCE), "serve"],
        env=_clean_env(TEAMS_DEV_MODE="1", HOST="0.0.0.0"),
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )
    assert result.returncode == 2
    assert result.stderr.strip().startswith("coproduce: setting HOST:")


def test_the_report_is_on_with_an_address_and_a_key() -> None:
    key = "k" * 40
    on = load_settings(
        _env_file=None,
        COPRODUCE_PUBLIC_URL="https://coproduce.example.org/",
        COPRODUCE_SECRET_KEY=key,
    )
    assert on.report_on and on.engine_config().public_url == "https://coproduce.example.org"
    local = load_settings(
        _env_file=None, COPRODUCE_PUBLIC_URL="http://localhost:3978", COPRODUCE_SECRET_KEY=key
    )
    assert local.report_on
    assert not load_settings(_env_file=None).report_on


def test_guests_are_on_with_email_and_web_links() -> None:
    settings = load_settings(
        _env_file=None,
        SMTP_URL="smtps://user:p%40ss@mail.example.org",
        MAIL_FROM="Coproduce <coproduce@example.org>",
        COPRODUCE_PUBLIC_URL="https://coproduce.example.org",
        COPRODUCE_SECRET_KEY="k" * 40,
    )
    assert settings.guests_enabled and settings.engine_config().guests
    assert not load_settings(_env_file=None).engine_config().guests
    from adapters.guests.messenger import Smtp

    smtp = Smtp.from_url(settings.SMTP_URL)
    assert (smtp.port, smtp.implicit_tls, smtp.password) == (465, True, "p@ss")
