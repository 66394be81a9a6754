"""A guest's registration for a gathering and the states it moves through."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.common import check_text
from domain.errors import AlreadyErased, InvalidTransition, InvalidValue, Term
from domain.personal import Kind, PersonalData, personal, personal_text


class RegistrationState(StrEnum):
    """Where a registration stands."""

    PENDING = "pending"
    CONFIRMED = "confirmed"
    WAITLISTED = "waitlisted"
    REJECTED = "rejected"
    CANCELLED = "cancelled"


ACTIVE_STATES = frozenset(
    {RegistrationState.PENDING, RegistrationState.CONFIRMED, RegistrationState.WAITLISTED}
)
"""States in which a registration holds the guest's e-mail address for its gathering."""

CORRECTABLE_DETAILS = (
    "full_name",
    "name_zh",
    "organisation",
    "job_title",
    "email",
    "phone",
    "dietary",
    "accessibility",
    "notes",
)
"""The details an organiser may correct (besides the category)."""
REQUIRED_DETAILS = frozenset({"full_name", "organisation"})


@dataclass(frozen=True)
class GuestDetails:
    """What a guest tells about themself when registering."""

    full_name: str
    email: str
    organisation: str
    job_title: str
    consent: bool
    name_zh: str = ""
    phone: str = ""
    dietary: str = ""
    accessibility: str = ""
    notes: str = ""
    language: str | None = None
    """The language the guest registered in, for their e-mails (None: not known)."""

    def as_dict(self) -> dict[str, Any]:
        """Return the details as plain data for a domain event (no language when not known)."""
        data = asdict(self)
        if data["language"] is None:
            del data["language"]
        return data

    def of(self, registration_id: UUID) -> PersonalData:
        """Return the details as the personal data of the registration `registration_id`."""
        return personal(registration_id, self.as_dict(), Kind.DETAILS)


class Registration(Aggregate):
    """One guest's place (or request for one) at a gathering."""

    invitation_id = None
    """The invitation this registration accepted (None: not invited; so are older ones)."""
    companion_of = None
    """The invited guest's registration this one accompanies (aide, photographer), if any."""
    erased = False
    """Whether the guest's personal data were erased (they read as placeholders since)."""

    @event("Submitted")
    def __init__(
        self,
        id: UUID,
        gathering_id: UUID,
        details: Mapping[str, Any],
        category: str,
        state: str,
        at: datetime,
        actor: str,
        answers: Mapping[str, Any] | None = None,
        invitation_id: UUID | None = None,
        companion_of: UUID | None = None,
    ) -> None:
        self.gathering_id = gathering_id
        self.invitation_id = invitation_id
        self.companion_of = companion_of
        # Events stored before personal data were sealed hold plain dicts.
        self.details = personal(id, details, Kind.DETAILS)
        self.answers = personal(id, answers, Kind.ANSWERS)
        """Answers to the gathering's own questions (none in events stored before them)."""
        self.category = category
        self.state = RegistrationState(state)
        self.submitted_at = at
        self.updated_at = at
        self.capacity_overridden = False
        self.badge_serial = 1

    @property
    def email(self) -> str:
        """Return the guest's e-mail address as given."""
        return str(self.details["email"])

    @property
    def language(self) -> str | None:
        """Return the language the guest registered in; None if not recorded.

        Registrations made before languages were recorded, and those an organiser made
        (walk-ins), have none: their guests' e-mails stay bilingual.
        """
        language = self.details.get("language")
        return str(language) if language else None

    @property
    def is_active(self) -> bool:
        """Tell whether the registration still holds its e-mail and a place or a request."""
        return self.state in ACTIVE_STATES

    def check_state(self, *allowed: RegistrationState, action: str) -> None:
        """Raise InvalidTransition unless the registration is in one of `allowed`."""
        if self.state not in allowed:
            raise InvalidTransition(
                "cannot %(action)s a registration that is %(state)s",
                field="state",
                action=action,
                state=Term(self.state.value),
            )

    def check_can_be_accompanied(self) -> None:
        """Refuse a new accompanying person for a guest who no longer holds a place."""
        self.check_state(*sorted(ACTIVE_STATES), action=Term("add a companion to"))

    def approve(self, at: datetime, actor: str, *, override: bool = False) -> None:
        """Confirm a pending (or, with a seat or an override, waitlisted) registration."""
        self.check_state(
            RegistrationState.PENDING, RegistrationState.WAITLISTED, action=Term("approve")
        )
        self._approve(at=at, actor=actor, capacity_override=override)

    @event("Approved")
    def _approve(self, at: datetime, actor: str, capacity_override: bool) -> None:
        self.state = RegistrationState.CONFIRMED
        self.capacity_overridden = capacity_override
        self.updated_at = at

    def waitlist(self, at: datetime, actor: str) -> None:
        """Put an approved registration on the waitlist because no seat is free."""
        self.check_state(RegistrationState.PENDING, action=Term("waitlist"))
        self._waitlist(at=at, actor=actor)

    @event("Waitlisted")
    def _waitlist(self, at: datetime, actor: str) -> None:
        self.state = RegistrationState.WAITLISTED
        self.updated_at = at

    def reject(self, at: datetime, actor: str, reason: str = "") -> None:
        """Turn down a pending registration (the reason is the guest's personal data)."""
        self.check_state(RegistrationState.PENDING, action=Term("reject"))
        self._reject(at=at, actor=actor, reason=personal_text(self.id, reason))

    @event("Rejected")
    def _reject(self, at: datetime, actor: str, reason: Mapping[str, str] | str) -> None:
        self.state = RegistrationState.REJECTED
        self.updated_at = at

    def cancel(self, at: datetime, actor: str, reason: str = "") -> None:
        """Give up the place (or the request for one)."""
        self.check_state(*ACTIVE_STATES, action=Term("cancel"))
        self._cancel(at=at, actor=actor, reason=personal_text(self.id, reason))

    @event("Cancelled")
    def _cancel(self, at: datetime, actor: str, reason: Mapping[str, str] | str) -> None:
        self.state = RegistrationState.CANCELLED
        self.updated_at = at

    def promote(self, at: datetime, actor: str) -> None:
        """Confirm a waitlisted registration now that a seat is free."""
        self.check_state(RegistrationState.WAITLISTED, action=Term("promote"))
        self._promote(at=at, actor=actor)

    @event("Promoted")
    def _promote(self, at: datetime, actor: str) -> None:
        self.state = RegistrationState.CONFIRMED
        self.updated_at = at

    def reissue_badge(self, at: datetime, actor: str) -> None:
        """Issue a new badge (e.g. a lost one): the old badge's token stops working."""
        self.check_state(RegistrationState.CONFIRMED, action=Term("reissue the badge of"))
        self._reissue_badge(at=at, actor=actor, serial=self.badge_serial + 1)

    @event("BadgeReissued")
    def _reissue_badge(self, at: datetime, actor: str, serial: int) -> None:
        self.badge_serial = serial
        self.updated_at = at

    def correct(
        self, changes: dict[str, str], at: datetime, actor: str
    ) -> dict[str, tuple[str, str]]:
        """Correct details and the category; return each change as (before, after).

        The badge stays valid (its serial is unchanged); nothing is recorded when nothing
        differs. The guest list's rules (e-mail, seats) are checked by the caller first.
        """
        self.check_not_erased()
        unknown = sorted(set(changes) - {*CORRECTABLE_DETAILS, "category"})
        if unknown:
            raise InvalidValue("%(name)s cannot be corrected", field=unknown[0], name=unknown[0])
        for name in REQUIRED_DETAILS & set(changes):
            if not str(changes[name]).strip():
                raise InvalidValue(
                    "%(name)s must not be empty", field=name, name=name.replace("_", " ")
                )
        current = {**{k: str(self.details.get(k, "")) for k in CORRECTABLE_DETAILS}}
        current["category"] = self.category
        differ = {k: [current[k], str(v)] for k, v in changes.items() if current[k] != str(v)}
        if differ:
            self._correct(changes=personal(self.id, differ, Kind.CHANGES), at=at, actor=actor)
        return {k: (before, after) for k, (before, after) in differ.items()}

    @event("Corrected")
    def _correct(self, changes: Mapping[str, list[str]], at: datetime, actor: str) -> None:
        details = dict(self.details)
        for name, (_before, after) in changes.items():
            if name == "category":
                self.category = after
            else:
                details[name] = after
        self.details = personal(self.id, details, Kind.DETAILS)
        self.updated_at = at

    def change_answers(
        self, answers: dict[str, Any], at: datetime, actor: str
    ) -> dict[str, list[Any]]:
        """Replace the answers (already checked); return each change as [before, after].

        Nothing is recorded when nothing differs; a key absent from `answers` is unanswered.
        """
        self.check_not_erased()
        keys = sorted(set(self.answers) | set(answers))
        changes = {
            k: [self.answers.get(k), answers.get(k)]
            for k in keys
            if self.answers.get(k) != answers.get(k)
        }
        if changes:
            self._change_answers(
                answers=personal(self.id, answers, Kind.ANSWERS),
                changes=personal(self.id, changes, Kind.ANSWER_CHANGES),
                at=at,
                actor=actor,
            )
        return changes

    @event("AnswersChanged")
    def _change_answers(
        self,
        answers: Mapping[str, Any],
        changes: Mapping[str, list[Any]],
        at: datetime,
        actor: str,
    ) -> None:
        self.answers = personal(self.id, answers, Kind.ANSWERS)
        self.updated_at = at

    def reinstate(self, state: str, at: datetime, actor: str) -> None:
        """Bring a cancelled registration back, confirmed or on the waitlist."""
        self.check_state(RegistrationState.CANCELLED, action=Term("reinstate"))
        if state not in (RegistrationState.CONFIRMED, RegistrationState.WAITLISTED):
            raise InvalidValue("a reinstated registration is confirmed or waitlisted")
        self._reinstate(state=state, at=at, actor=actor)

    @event("Reinstated")
    def _reinstate(self, state: str, at: datetime, actor: str) -> None:
        self.state = RegistrationState(state)
        self.updated_at = at

    def check_not_erased(self) -> None:
        """Refuse to change (or erase again) personal data that were erased."""
        if self.erased:
            raise AlreadyErased(
                "the personal data of this registration have been erased", field="registration"
            )

    def erase_personal_data(self, at: datetime, actor: str, reason: str) -> None:
        """Record that the guest's personal data are erased (the store destroys their key)."""
        self.check_not_erased()
        reason = check_text(reason, "reason", limit=500)
        self._erase_personal_data(at=at, actor=actor, reason=reason)

    @event("PersonalDataErased")
    def _erase_personal_data(self, at: datetime, actor: str, reason: str) -> None:
        self.erased = True
        self.details = personal(self.id, self.details, Kind.DETAILS).erased_copy()
        self.answers = personal(self.id, self.answers, Kind.ANSWERS).erased_copy()
        self.updated_at = at
