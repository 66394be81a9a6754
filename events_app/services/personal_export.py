"""What is held about one guest, gathered for them (or for an owner answering their request).

Their details and answers as held now, since when, what happened to their registration
(each event: when, what, who), the scans of their badge, the mails sent to them, and
their invitation and companions. A guest whose data were erased has nothing left to
export: AlreadyErased.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from domain.invitation import Invitation
from domain.registration import Registration
from events_app.mail import Outbox
from events_app.read_models.checkin_view import CheckInView
from events_app.services.box_office import BoxOffice
from events_app.services.invitations import Invitations
from events_app.store.application import HistoryEntry

DETAILS = (
    "full_name",
    "name_zh",
    "email",
    "phone",
    "organisation",
    "job_title",
    "dietary",
    "accessibility",
    "notes",
    "consent",
    "language",
)
"""The details a guest gives, in the order the export lists them."""


@dataclass(frozen=True)
class PersonalRecord:
    """Everything held about one guest, as plain data."""

    registration: Registration
    gathering: dict[str, Any]
    details: dict[str, Any]
    answers: dict[str, Any]
    history: list[HistoryEntry]
    checkins: list[dict[str, Any]]
    mails: list[dict[str, Any]]
    invitation: dict[str, Any] | None
    companions: list[dict[str, Any]]
    accompanies: dict[str, Any] | None
    exported_at: datetime

    def as_data(self) -> dict[str, Any]:
        """Return the record as the JSON export shows it."""
        registration = self.registration
        return {
            "registration_id": registration.id,
            "gathering": self.gathering,
            "registered_at": registration.submitted_at,
            "updated_at": registration.updated_at,
            "state": registration.state.value,
            "category": registration.category,
            "details": self.details,
            "answers": self.answers,
            "history": [
                {"at": entry.at, "what": entry.type, "who": entry.actor} for entry in self.history
            ],
            "checkins": self.checkins,
            "mails": self.mails,
            "invitation": self.invitation,
            "companions": self.companions,
            "accompanies": self.accompanies,
            "exported_at": self.exported_at,
        }


class PersonalExport:
    """Gather what is held about a guest."""

    def __init__(
        self, app: BoxOffice, checkin_view: CheckInView, outbox: Outbox, invitations: Invitations
    ) -> None:
        self._app = app
        self._checkin_view = checkin_view
        self._outbox = outbox
        self._invitations = invitations

    def gather(self, registration_id: UUID) -> PersonalRecord:
        """Return what is held about the guest; NotFound, or AlreadyErased once erased."""
        app = self._app
        registration = app.registration(registration_id)
        registration.check_not_erased()  # AlreadyErased: nothing of theirs is left
        gathering = app.gathering_by_id(registration.gathering_id)
        details = {name: registration.details.get(name) for name in DETAILS}
        invitation = self._own_invitation(registration)
        return PersonalRecord(
            registration=registration,
            gathering={
                "id": gathering.id,
                "slug": gathering.slug,
                "title_en": gathering.title_en,
                "title_zh": gathering.title_zh,
                "starts_at": gathering.starts_at,
                "ends_at": gathering.ends_at,
                "timezone": gathering.timezone,
            },
            details={k: v for k, v in details.items() if v is not None},
            answers=dict(registration.answers),
            history=app.history(registration.id),
            checkins=self._checkin_view.scans_of(str(registration.id)),
            mails=self._mails(registration.id, invitation),
            invitation=None if invitation is None else invitation_data(invitation),
            companions=[] if invitation is None else companions(invitation),
            accompanies=self._accompanies(registration),
            exported_at=app.clock(),
        )

    def _mails(self, registration_id: UUID, invitation: Invitation | None) -> list[dict[str, Any]]:
        """Return the mails queued for the guest (and their invitation): kind, state, times."""
        rows = self._outbox.of_registration(str(registration_id))
        if invitation is not None:
            rows = self._outbox.of_registration(str(invitation.id)) + rows
        return [
            {
                "id": row.id,
                "kind": row.kind,
                "recipient": row.recipient,
                "state": row.state,
                "attempts": row.attempts,
                "queued_at": row.queued_at,
                "sent_at": row.sent_at,
            }
            for row in rows
        ]

    def _own_invitation(self, registration: Registration) -> Invitation | None:
        """Return the invitation the guest accepted (not their host's, for a companion)."""
        if registration.invitation_id is None or registration.companion_of is not None:
            return None
        return self._invitations.invitation(registration.invitation_id)

    def _accompanies(self, registration: Registration) -> dict[str, Any] | None:
        """Return whom a companion accompanies (their registration and name), if anyone."""
        if registration.companion_of is None:
            return None
        host = self._app.registration(registration.companion_of)
        return {"registration_id": host.id, "full_name": host.details.get("full_name", "")}


def invitation_data(invitation: Invitation) -> dict[str, Any]:
    """Return the invitation as the export shows it (its details are the guest's own)."""
    return {
        "id": invitation.id,
        "state": invitation.state.value,
        "invited_at": invitation.invited_at,
        "deadline": invitation.deadline,
        "companions_allowed": invitation.companions_allowed,
    }


def companions(invitation: Invitation) -> list[dict[str, Any]]:
    """Return the companions the guest named: their registration, name and role."""
    return [
        {"registration_id": UUID(str(rid)), "full_name": name, "role": role}
        for rid, name, role in invitation.companions
    ]
