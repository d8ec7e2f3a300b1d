"""`coproduce slack manifest` and `coproduce teams package` produce what the platforms accept."""

from __future__ import annotations

import io
import json
import struct
import subprocess
import sys
import uuid
import zipfile
from pathlib import Path

import jsonschema

from tests.specs import load_spec

COPRODUCE = Path(sys.executable).parent / "coproduce"


def validate(schema_path: str, document: dict) -> list[str]:
    schema = load_spec(schema_path)
    validator = jsonschema.validators.validator_for(schema)(schema)
    return [f"{list(e.path)}: {e.message}" for e in validator.iter_errors(document)]


def test_slack_manifest_with_the_real_url_is_valid(tmp_path: Path) -> None:
    result = subprocess.run(
        [str(COPRODUCE), "slack", "manifest", "--url", "https://bot.nhs.example/"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    manifest = json.loads(result.stdout)
    assert validate("slack/app-manifest.schema.json", manifest) == []
    urls = {c["url"] for c in manifest["features"]["slash_commands"]}
    urls |= {
        manifest["settings"]["event_subscriptions"]["request_url"],
        manifest["settings"]["interactivity"]["request_url"],
    }
    assert urls == {"https://bot.nhs.example/slack/events"}
    bad = subprocess.run(
        [str(COPRODUCE), "slack", "manifest", "--url", "http://x"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert bad.returncode == 2 and "https" in bad.stderr and "Traceback" not in bad.stderr


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_teams_package_holds_exactly_a_valid_manifest_and_two_icons(tmp_path: Path) -> None:
    app_id = str(uuid.uuid4())
    out = tmp_path / "app.zip"
    result = subprocess.run(
        [
            str(COPRODUCE),
            "teams",
            "package",
            "--app-id",
            app_id,
            "--endpoint",
            "https://bot.nhs.example",
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    with zipfile.ZipFile(io.BytesIO(out.read_bytes())) as archive:
        assert sorted(archive.namelist()) == ["color.png", "manifest.json", "outline.png"]
        manifest = json.loads(archive.read("manifest.json"))
        assert png_size(archive.read("color.png")) == (192, 192)
        assert png_size(archive.read("outline.png")) == (32, 32)
    assert validate("teams/MicrosoftTeams.v1.23.schema.json", manifest) == []
    [bot] = manifest["bots"]
    assert bot["botId"] == app_id and bot["supportsFiles"] is True
    titles = {c["title"] for lst in bot["commandLists"] for c in lst["commands"]}
    assert {"idea", "ideas", "meeting end", "update", "credit"} <= titles


def teams_package(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(COPRODUCE), "teams", "package", "--out", str(tmp_path / "app.zip"), *args],
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_teams_package_declares_what_meeting_events_files_and_channels_need(
    tmp_path: Path,
) -> None:
    app_id = str(uuid.uuid4())
    result = teams_package(
        tmp_path, "--app-id", app_id, "--endpoint", "https://bot.nhs.example", "--version", "1.4.2"
    )
    assert result.returncode == 0, result.stderr
    with zipfile.ZipFile(tmp_path / "app.zip") as archive:
        manifest = json.loads(archive.read("manifest.json"))
    assert validate("teams/MicrosoftTeams.v1.23.schema.json", manifest) == []
    assert manifest["version"] == "1.4.2"
    # meetingEnd reaches only an app with webApplicationInfo and these RSC permissions
    assert manifest["webApplicationInfo"]["id"] == app_id
    granted = {p["name"] for p in manifest["authorization"]["permissions"]["resourceSpecific"]}
    assert {"OnlineMeeting.ReadBasic.Chat", "ChannelMeeting.ReadBasic.Group"} <= granted
    [bot] = manifest["bots"]
    assert bot["supportsFiles"] is True  # my-data goes through the file-consent card
    assert {"team", "groupChat", "personal"} <= set(bot["scopes"])


def test_teams_package_refuses_a_bad_app_id_an_http_endpoint_and_a_bad_version(
    tmp_path: Path,
) -> None:
    good_id, good_url = str(uuid.uuid4()), "https://bot.nhs.example"
    for args, words in (
        (["--app-id", "not-a-guid", "--endpoint", good_url], "GUID"),
        (["--app-id", good_id, "--endpoint", "http://bot.nhs.example"], "https"),
        (["--app-id", good_id, "--endpoint", good_url, "--version", "2"], "1.0.0"),
    ):
        result = teams_package(tmp_path, *args)
        assert result.returncode == 2 and words in result.stderr, result.stderr
        assert "Traceback" not in result.stderr
        assert not (tmp_path / "app.zip").exists()
