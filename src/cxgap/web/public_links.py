"""Absolute links for e-mails: the configured public address, else the request's own."""

from __future__ import annotations

from fastapi import Request

from cxgap.config import Settings


def public_base(request: Request, settings: Settings) -> str:
    return settings.public_url or str(request.base_url).rstrip("/")
