"""Domain errors: each carries a stable machine-readable code and, where it applies, a field."""

from __future__ import annotations


class DomainError(Exception):
    """A rule of the domain refused a command."""

    code = "domain_error"
    status = 409

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotFound(DomainError):
    """The thing asked for does not exist."""

    code = "not_found"
    status = 404


class AlreadyExists(DomainError):
    """Something with that identity already exists."""

    code = "already_exists"
    status = 409


class InvalidTransition(DomainError):
    """The aggregate's current state does not allow the command."""

    code = "invalid_transition"
    status = 409


class RegistrationClosed(DomainError):
    """The registration window is not open."""

    code = "registration_closed"
    status = 409


class EmailAlreadyRegistered(DomainError):
    """An active registration with this e-mail already exists for the gathering."""

    code = "email_already_registered"
    status = 409


class UnknownCategory(DomainError):
    """The guest category is not offered by this gathering."""

    code = "unknown_category"
    status = 422


class OverrideNotAllowed(DomainError):
    """A capacity override was asked for where it is not allowed."""

    code = "override_not_allowed"
    status = 422


class NoSeatAvailable(DomainError):
    """No seat is free for the registration and no override was given."""

    code = "no_seat_available"
    status = 409


class InvalidSchedule(DomainError):
    """Dates or capacities of a gathering do not fit together."""

    code = "invalid_schedule"
    status = 422


class Forbidden(DomainError):
    """The credential may not act on this gathering or do this."""

    code = "forbidden"
    status = 403


class SetupCodeExpired(DomainError):
    """The device set-up code is too old."""

    code = "setup_code_expired"
    status = 409


class SetupCodeUsed(DomainError):
    """The device set-up code has been used already."""

    code = "setup_code_used"
    status = 409


class DeviceRevoked(DomainError):
    """The door device has been revoked."""

    code = "device_revoked"
    status = 401


class InvalidValue(DomainError):
    """A value given to a command is empty, too long or out of range."""

    code = "invalid_value"
    status = 422


class SlotTaken(DomainError):
    """The booth slot already holds another firm."""

    code = "slot_taken"
    status = 409


class FirmAlreadyPlaced(DomainError):
    """The firm already holds a booth slot."""

    code = "firm_already_placed"
    status = 409


class StaffQuotaExceeded(DomainError):
    """The firm's exhibitor-staff badges are all taken."""

    code = "staff_quota_exceeded"
    status = 409


class StaffCodeInvalid(DomainError):
    """A typed staff code is not the firm's current one (wrong, or renewed since)."""

    code = "staff_code_invalid"
    status = 422


class DocumentLocked(DomainError):
    """A signed agreement or a presented award cannot be edited."""

    code = "document_locked"
    status = 409


class AgendaOverlap(DomainError):
    """Two items of the running order would take the same place at the same time."""

    code = "agenda_overlap"
    status = 409


class OutsideGathering(DomainError):
    """A time falls outside the gathering's own start and end."""

    code = "outside_gathering"
    status = 422


class Refusal(DomainError):
    """A refusal that also words itself in Chinese (`message_zh`) for people to read."""

    def __init__(self, message: str, message_zh: str, *, field: str | None = None) -> None:
        super().__init__(message, field=field)
        self.message_zh = message_zh


class CapacityBelowConfirmed(Refusal):
    """A capacity was lowered below the guests already confirmed."""

    code = "capacity_below_confirmed"
    status = 409


class CategoryFull(Refusal):
    """Every seat of the guest's category is taken (while seats may be left overall)."""

    code = "category_full"
    status = 409


class CorrectionRefused(Refusal):
    """A correction of a gathering or a registration breaks a rule."""

    code = "correction_refused"
    status = 409
