"""Organiser credentials: bearer tokens kept only as their digests."""

from __future__ import annotations

import hashlib
import secrets
from uuid import UUID

from domain.credential import OrganiserCredential
from domain.errors import NotFound
from domain.roles import Role, check_grant
from events_app.store.application import EventSourcedApplication


def token_digest(token: str) -> str:
    """Return the SHA-256 hex digest under which a bearer token is kept."""
    return hashlib.sha256(token.encode()).hexdigest()


class CredentialCommands(EventSourcedApplication):
    """Issue, check and revoke organiser credentials."""

    def issue_organiser_token(
        self,
        name: str,
        actor: str = "cli",
        *,
        role: Role = Role.OWNER,
        gathering: str | None = None,
    ) -> tuple[str, UUID]:
        """Create an organiser credential with a role; return the token (shown once), its id."""
        check_grant(role, gathering)
        token = "org_" + secrets.token_urlsafe(32)
        credential = OrganiserCredential(
            token_digest=token_digest(token),
            name=name,
            at=self.clock(),
            actor=actor,
            role=str(role),
            gathering=gathering,
        )
        self.save(credential)
        return token, credential.id

    def authenticate_organiser(self, token: str) -> OrganiserCredential | None:
        """Return the active credential this token belongs to, if any."""
        try:
            credential = self.load(
                OrganiserCredential, OrganiserCredential.create_id(token_digest(token)), "token"
            )
        except NotFound:
            return None
        return credential if credential.is_active else None

    def revoke_organiser_credential(self, credential_id: UUID, actor: str = "cli") -> None:
        """Stop an organiser credential from working."""
        credential = self.load(OrganiserCredential, credential_id, "credential")
        credential.revoke(self.clock(), actor)
        self.save(credential)
