"""A guest's private link. The token is derived from a random salt kept on their row and the
secret key (HMAC-SHA256), so every email can carry the link again, while the database holds
only its SHA-256: a copy of the database alone opens nobody's page. A new salt (the guest asks
for a new link) or none (a facilitator removes them) ends the old link at once."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

PATH = "/g/"


def new_salt() -> str:
    return secrets.token_hex(32)


def token(secret_key: str, salt: str) -> str:
    digest = hmac.new(secret_key.encode(), b"guest-link:" + salt.encode(), hashlib.sha256)
    return base64.urlsafe_b64encode(digest.digest()).decode().rstrip("=")


def token_hash(token_text: str) -> str:
    return hashlib.sha256(token_text.encode()).hexdigest()


def page_url(public_url: str, secret_key: str, salt: str) -> str:
    return f"{public_url.rstrip('/')}{PATH}{token(secret_key, salt)}"
