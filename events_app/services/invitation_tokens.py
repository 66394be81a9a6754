"""Invitation links: the invitation's id plus an HMAC of it; the store keeps only a digest.

The token names the invitation, not an e-mail address: whoever holds the link answers it.
"""

from __future__ import annotations

import hashlib
from uuid import UUID

from events_app.services.signed_ids import id_of_signed, signed_id

PURPOSE = "invitation"


def invitation_token(secret_key: str, invitation_id: UUID) -> str:
    """Return the token of an invitation's personal link."""
    return signed_id(secret_key, PURPOSE, invitation_id)


def token_digest(token: str) -> str:
    """Return the digest of a token, as the invitation stores it."""
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_id_from(secret_key: str, token: str) -> UUID | None:
    """Return the invitation a token names, or None if it is not a genuine token."""
    return id_of_signed(secret_key, PURPOSE, token)
