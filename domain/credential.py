"""Organiser credentials: bearer tokens, kept only as their SHA-256 digest."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.common import derived_id
from domain.errors import InvalidTransition
from domain.roles import Permission, Role, check_grant, grants_allow


class OrganiserCredential(Aggregate):
    """A named bearer token that lets an organiser use the organiser API."""

    @staticmethod
    def create_id(token_digest: str) -> UUID:
        """Return the id of the credential whose token has this SHA-256 hex digest."""
        return derived_id("organiser-credential", token_digest)

    @event("Issued")
    def __init__(
        self,
        token_digest: str,
        name: str,
        at: datetime,
        actor: str,
        role: str = Role.OWNER,
        gathering: str | None = None,
    ) -> None:
        self.grant = check_grant(Role(role), gathering)
        self.token_digest = token_digest
        self.name = name
        self.issued_at = at
        self.revoked_at: datetime | None = None

    @property
    def is_active(self) -> bool:
        """Tell whether the credential may still be used."""
        return self.revoked_at is None

    def may(self, permission: Permission, gathering: str | None) -> bool:
        """Tell whether the token's role gives `permission` for `gathering`."""
        return self.is_active and grants_allow(frozenset({self.grant}), permission, gathering)

    @property
    def label(self) -> str:
        """Return how the credential is named in the history of what it did."""
        return f"organiser:{self.name}#{str(self.id)[:8]}"

    def revoke(self, at: datetime, actor: str) -> None:
        """Stop the credential from being used."""
        if not self.is_active:
            raise InvalidTransition("credential is already revoked")
        self._revoke(at=at, actor=actor)

    @event("Revoked")
    def _revoke(self, at: datetime, actor: str) -> None:
        self.revoked_at = at
