"""Invitation links: the invitation's id plus an HMAC of it; the store keeps only a digest.

The token names the invitation, not an e-mail address: whoever holds the link answers it.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from uuid import UUID

MAC_BYTES = 16


def invitation_token(secret_key: str, invitation_id: UUID) -> str:
    """Return the token of an invitation's personal link."""
    return _encode(invitation_id.bytes + _mac(secret_key, invitation_id))


def token_digest(token: str) -> str:
    """Return the digest of a token, as the invitation stores it."""
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_id_from(secret_key: str, token: str) -> UUID | None:
    """Return the invitation a token names, or None if it is not a genuine token."""
    if len(token) > 64:
        return None
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
    except (binascii.Error, ValueError):
        return None
    if len(raw) != 16 + MAC_BYTES or _encode(raw) != token:
        return None
    invitation_id = UUID(bytes=raw[:16])
    if not hmac.compare_digest(raw[16:], _mac(secret_key, invitation_id)):
        return None
    return invitation_id


def _encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _mac(secret_key: str, invitation_id: UUID) -> bytes:
    digest = hmac.new(
        secret_key.encode(), b"invitation:" + invitation_id.bytes, hashlib.sha256
    ).digest()
    return digest[:MAC_BYTES]
