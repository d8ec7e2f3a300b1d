"""The headers every page of ours carries: a Content-Security-Policy that lets nothing run and
nothing load but our one stylesheet (by its hash), and no framing, sniffing or Referer."""

from __future__ import annotations

import base64
import hashlib


def page_headers(style: str, *, images: bool = False, forms: bool = False) -> dict[str, str]:
    """`images`: `data:` images (the report's charts); `forms`: forms may post to us."""
    digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
    policy = [
        "default-src 'none'",
        f"style-src 'sha256-{digest}'",
        *(["img-src data:"] if images else []),
        "form-action 'self'" if forms else "form-action 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    ]
    return {
        "Content-Security-Policy": "; ".join(policy),
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "X-Frame-Options": "DENY",
    }


def private_page_headers(style: str, *, images: bool = False) -> dict[str, str]:
    """A page about someone (their report, their ideas): never kept by a cache."""
    return {**page_headers(style, images=images, forms=True), "Cache-Control": "no-store"}
