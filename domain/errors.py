"""Domain errors: each carries a stable machine-readable code and, where it applies, a field.

What a code means over HTTP is for `events_app.errors` to say, not the domain.
"""

from __future__ import annotations

from typing import Any


class Term(str):
    """A word of the domain given to a refusal (a state, a category): the catalogues translate it.

    Written as `Term("cancelled")` with a literal, it is extracted for the catalogues.
    """

    __slots__ = ()


class Named(str):
    """A name people gave in English and in Chinese: a refusal shows the one of its reader."""

    zh: str

    def __new__(cls, en: str, zh: str = "") -> Named:
        """Return the English name (the Chinese one if there is no English), keeping both."""
        named = super().__new__(cls, en or zh)
        named.zh = zh or en
        return named


WORDS = (
    *(Term("pending"), Term("confirmed"), Term("waitlisted"), Term("rejected")),
    *(Term("cancelled"), Term("planned"), Term("ready"), Term("signed"), Term("awarded")),
    *(Term("withdrawn"), Term("applied"), Term("allocated"), Term("queued"), Term("failed")),
    *(Term("sent"), Term("signing"), Term("pledge"), Term("award")),
    *(Term("account"), Term("attendance"), Term("ceremony"), Term("credential"), Term("desk")),
    *(Term("device"), Term("exhibition"), Term("gathering"), Term("guest list"), Term("mail")),
    *(Term("organiser account"), Term("prints"), Term("registration"), Term("scan")),
    *(Term("invited"), Term("accepted"), Term("declined"), Term("expired"), Term("revoked")),
    *(Term("invitation"), Term("invitation list")),
)
"""The states, kinds and records a refusal may name, as they are written in the catalogues."""


class DomainError(Exception):
    """A rule of the domain refused a command.

    `message` is English, with named `%(name)s` parameters given as keywords: the pages and
    the API say it again in the reader's language from the catalogues (events_app.errors).
    A parameter that is a `Term` is translated too, a `Named` one shown in the reader's language.
    """

    code = "domain_error"

    def __init__(self, message: str, *, field: str | None = None, **params: Any) -> None:
        self.template = message
        self.params = params
        self.message = message % params if params else message
        super().__init__(self.message)
        self.field = field


class NotFound(DomainError):
    """The thing asked for does not exist."""

    code = "not_found"


class AlreadyExists(DomainError):
    """Something with that identity already exists."""

    code = "already_exists"


class InvalidTransition(DomainError):
    """The aggregate's current state does not allow the command."""

    code = "invalid_transition"


class RegistrationClosed(DomainError):
    """The registration window is not open."""

    code = "registration_closed"


class EmailAlreadyRegistered(DomainError):
    """An active registration with this e-mail already exists for the gathering."""

    code = "email_already_registered"


class UnknownCategory(DomainError):
    """The guest category is not offered by this gathering."""

    code = "unknown_category"


class OverrideNotAllowed(DomainError):
    """A capacity override was asked for where it is not allowed."""

    code = "override_not_allowed"


class NoSeatAvailable(DomainError):
    """No seat is free for the registration and no override was given."""

    code = "no_seat_available"


class InvalidSchedule(DomainError):
    """Dates or capacities of a gathering do not fit together."""

    code = "invalid_schedule"


class Forbidden(DomainError):
    """The credential may not act on this gathering or do this."""

    code = "forbidden"


class RoleForbidden(DomainError):
    """The role of the account or token does not give the permission this needs."""

    code = "role_forbidden"


class SetupCodeExpired(DomainError):
    """The device set-up code is too old."""

    code = "setup_code_expired"


class SetupCodeUsed(DomainError):
    """The device set-up code has been used already."""

    code = "setup_code_used"


class DeviceRevoked(DomainError):
    """The door device has been revoked."""

    code = "device_revoked"


class InvalidValue(DomainError):
    """A value given to a command is empty, too long or out of range."""

    code = "invalid_value"


class SlotTaken(DomainError):
    """The booth slot already holds another firm."""

    code = "slot_taken"


class FirmAlreadyPlaced(DomainError):
    """The firm already holds a booth slot."""

    code = "firm_already_placed"


class StaffQuotaExceeded(DomainError):
    """The firm's exhibitor-staff badges are all taken."""

    code = "staff_quota_exceeded"


class StaffCodeInvalid(DomainError):
    """A typed staff code is not the firm's current one (wrong, or renewed since)."""

    code = "staff_code_invalid"


class DocumentLocked(DomainError):
    """A signed agreement or a presented award cannot be edited."""

    code = "document_locked"


class AgendaOverlap(DomainError):
    """Two items of the running order would take the same place at the same time."""

    code = "agenda_overlap"


class OutsideGathering(DomainError):
    """A time falls outside the gathering's own start and end."""

    code = "outside_gathering"


class Refusal(DomainError):
    """A refusal worded for the organisers at the console (the correction pages show it whole)."""


class CapacityBelowConfirmed(Refusal):
    """A capacity was lowered below the guests already confirmed."""

    code = "capacity_below_confirmed"


class CategoryFull(Refusal):
    """Every seat of the guest's category is taken (while seats may be left overall)."""

    code = "category_full"


class CorrectionRefused(Refusal):
    """A correction of a gathering or a registration breaks a rule."""

    code = "correction_refused"


class InvitationExpired(DomainError):
    """The invitation's deadline has passed: it can no longer be answered."""

    code = "invitation_expired"


class InvitationUsed(DomainError):
    """The invitation has been accepted already: its link cannot be used again."""

    code = "invitation_used"


class InvitationDeclined(DomainError):
    """The invitation was declined: it cannot be accepted later."""

    code = "invitation_declined"


class InvitationRevoked(DomainError):
    """The organisers withdrew the invitation."""

    code = "invitation_revoked"


class ByInvitationOnly(DomainError):
    """The guest category admits invited guests only."""

    code = "by_invitation_only"


class AlreadyErased(DomainError):
    """The personal data asked for (or to be erased) were erased already."""

    code = "already_erased"
