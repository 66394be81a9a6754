"""Unguessable, stable confirmation tokens: the registration id plus an HMAC of it."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from uuid import UUID

MAC_BYTES = 16


def confirmation_token(secret_key: str, registration_id: UUID) -> str:
    """Return the token in the guest's confirmation link."""
    return _encode(registration_id.bytes + _mac(secret_key, registration_id))


def _encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def registration_id_from(secret_key: str, token: str) -> UUID | None:
    """Return the registration a token names, or None if it is not a genuine token."""
    if len(token) > 64:
        return None
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
    except (binascii.Error, ValueError):
        return None
    if len(raw) != 16 + MAC_BYTES or _encode(raw) != token:
        return None  # wrong size, or a non-canonical spelling of the same bytes
    registration_id = UUID(bytes=raw[:16])
    if not hmac.compare_digest(raw[16:], _mac(secret_key, registration_id)):
        return None
    return registration_id


def _mac(secret_key: str, registration_id: UUID) -> bytes:
    digest = hmac.new(
        secret_key.encode(), b"confirmation:" + registration_id.bytes, hashlib.sha256
    ).digest()
    return digest[:MAC_BYTES]
