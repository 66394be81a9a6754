"""Tokens that name an aggregate: its id plus an HMAC of it for one purpose, URL-safe."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from uuid import UUID

MAC_BYTES = 16


def signed_id(secret_key: str, purpose: str, aggregate_id: UUID) -> str:
    """Return the token naming `aggregate_id` for `purpose` (e.g. "confirmation")."""
    return _encode(aggregate_id.bytes + _mac(secret_key, purpose, aggregate_id))


def id_of_signed(secret_key: str, purpose: str, token: str) -> UUID | None:
    """Return the id a token names for `purpose`, or None if it is not a genuine token."""
    if len(token) > 64:
        return None
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
    except (binascii.Error, ValueError):
        return None
    if len(raw) != 16 + MAC_BYTES or _encode(raw) != token:
        return None  # wrong size, or a non-canonical spelling of the same bytes
    aggregate_id = UUID(bytes=raw[:16])
    if not hmac.compare_digest(raw[16:], _mac(secret_key, purpose, aggregate_id)):
        return None
    return aggregate_id


def _encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _mac(secret_key: str, purpose: str, aggregate_id: UUID) -> bytes:
    message = purpose.encode() + b":" + aggregate_id.bytes
    return hmac.new(secret_key.encode(), message, hashlib.sha256).digest()[:MAC_BYTES]
