"""Building real, signed Slack requests the way Slack sends them."""

from __future__ import annotations

import itertools
import json
import time
from typing import Any
from urllib.parse import urlencode

from slack_sdk.signature import SignatureVerifier

from tests.conftest import SIGNING_SECRET

_ids = itertools.count(1)


def signed_headers(
    body: str, content_type: str, *, timestamp: int | None = None, secret: str = SIGNING_SECRET
) -> dict[str, str]:
    ts = str(int(time.time()) if timestamp is None else timestamp)
    signature = SignatureVerifier(secret).generate_signature(timestamp=ts, body=body)
    return {
        "Content-Type": content_type,
        "X-Slack-Request-Timestamp": ts,
        "X-Slack-Signature": signature,
    }


def dm_event(
    text: str, *, user: str = "U100", team: str = "T0001", event_id: str | None = None
) -> dict[str, Any]:
    """An Events API envelope for a direct message to the bot (message.im)."""
    number = next(_ids)
    return {
        "token": "legacy",
        "team_id": team,
        "api_app_id": "A0001",
        "type": "event_callback",
        "event_id": event_id or f"Ev{number:08d}",
        "event_time": int(time.time()),
        "authorizations": [
            {"team_id": team, "user_id": "UBOT", "is_bot": True, "enterprise_id": None}
        ],
        "event": {
            "type": "message",
            "channel_type": "im",
            "channel": f"D{user}",
            "user": user,
            "text": text,
            "ts": f"{time.time():.6f}",
            "event_ts": f"{time.time():.6f}",
        },
    }


def event_request(payload: dict[str, Any], **kwargs: Any) -> tuple[str, dict[str, str]]:
    body = json.dumps(payload)
    return body, signed_headers(body, "application/json", **kwargs)


def command_request(
    command: str,
    text: str,
    *,
    response_url: str,
    user: str = "U100",
    team: str = "T0001",
    channel: str = "C0001",
) -> tuple[str, dict[str, str]]:
    """A slash command as Slack posts it: form-encoded."""
    form = {
        "token": "legacy",
        "team_id": team,
        "team_domain": "example",
        "channel_id": channel,
        "channel_name": "directmessage" if channel.startswith("D") else "advisory-group",
        "user_id": user,
        "user_name": user.lower(),
        "command": command,
        "text": text,
        "api_app_id": "A0001",
        "response_url": response_url,
        "trigger_id": f"trigger.{next(_ids)}",
    }
    body = urlencode(form)
    return body, signed_headers(body, "application/x-www-form-urlencoded")


def action_request(
    action_id: str,
    value: str,
    *,
    response_url: str,
    user: str = "U100",
    team: str = "T0001",
    channel: str = "DU100",
) -> tuple[str, dict[str, str]]:
    """A block_actions interaction, form-encoded with a `payload` field as Slack sends it."""
    payload = {
        "type": "block_actions",
        "team": {"id": team, "domain": "example"},
        "user": {"id": user, "username": user.lower(), "team_id": team},
        "api_app_id": "A0001",
        "token": "legacy",
        "container": {"type": "message", "channel_id": channel, "message_ts": "1.000"},
        "trigger_id": f"trigger.{next(_ids)}",
        "channel": {"id": channel, "name": "directmessage"},
        "response_url": response_url,
        "actions": [
            {
                "type": "button",
                "action_id": action_id,
                "block_id": "b1",
                "value": value,
                "action_ts": f"{time.time():.6f}",
            }
        ],
    }
    body = urlencode({"payload": json.dumps(payload)})
    return body, signed_headers(body, "application/x-www-form-urlencoded")


def view_submission_request(
    view: dict[str, Any],
    values: dict[str, str],
    *,
    user: str = "U100",
    team: str = "T0001",
    ticked: dict[str, list[str]] | None = None,
) -> tuple[str, dict[str, str]]:
    """Submitting a modal we opened, with the typed values keyed by block id, and for a
    multi-select the values ticked in it."""
    state: dict[str, Any] = {
        block_id: {"value": {"type": "plain_text_input", "value": value}}
        for block_id, value in values.items()
    }
    for block_id, chosen in (ticked or {}).items():
        state[block_id] = {
            "value": {
                "type": "multi_static_select",
                "selected_options": [{"value": value} for value in chosen],
            }
        }
    payload = {
        "type": "view_submission",
        "team": {"id": team, "domain": "example"},
        "user": {"id": user, "username": user.lower(), "team_id": team},
        "api_app_id": "A0001",
        "token": "legacy",
        "trigger_id": f"trigger.{next(_ids)}",
        "view": {
            "id": "V1",
            "type": "modal",
            "callback_id": view["callback_id"],
            "private_metadata": view["private_metadata"],
            "state": {"values": state},
        },
    }
    body = urlencode({"payload": json.dumps(payload)})
    return body, signed_headers(body, "application/x-www-form-urlencoded")
