"""Unguessable, stable confirmation tokens: the registration id plus an HMAC of it."""

from __future__ import annotations

from uuid import UUID

from events_app.services.signed_ids import id_of_signed, signed_id

PURPOSE = "confirmation"


def confirmation_token(secret_key: str, registration_id: UUID) -> str:
    """Return the token in the guest's confirmation link."""
    return signed_id(secret_key, PURPOSE, registration_id)


def registration_id_from(secret_key: str, token: str) -> UUID | None:
    """Return the registration a token names, or None if it is not a genuine token."""
    return id_of_signed(secret_key, PURPOSE, token)
