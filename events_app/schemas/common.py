"""Marshmallow schemas of the JSON API (and of the guest web form)."""

from __future__ import annotations

import unicodedata
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from marshmallow import Schema, ValidationError, fields, validate

from domain.gathering_categories import GuestCategory
from domain.registration import RegistrationState

CATEGORIES = [c.value for c in GuestCategory]
STATES = [s.value for s in RegistrationState]
SLUG = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
PHONE = r"^(\+?[0-9 ()\-]{5,40})?$"
MAX_OFFSET = 10_000_000
"""Largest `offset` of a listing (far below the stores' 64-bit integers)."""
MAX_VERSION = 1_000_000_000
"""Largest record version a client may name."""


class Text(fields.String):
    """A trimmed string with a length limit and no control characters."""

    def __init__(
        self,
        *,
        max_length: int,
        min_length: int = 0,
        multiline: bool = False,
        pattern: str | None = None,
        **kwargs: Any,
    ) -> None:
        checks: list[Any] = [validate.Length(min=min_length, max=max_length)]
        if pattern:
            checks.append(validate.Regexp(pattern, error="not in the expected format"))
        super().__init__(validate=checks, **kwargs)
        self.multiline = multiline

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text = super()._deserialize(value, attr, data, **kwargs).strip()
        allowed = {"\n", "\r", "\t"} if self.multiline else set()
        if any(unicodedata.category(ch) in {"Cc", "Cf"} and ch not in allowed for ch in text):
            raise ValidationError("must not contain control characters")
        return text


def required_text(max_length: int, **kwargs: Any) -> Text:
    """Return a required, non-empty text field."""
    return Text(max_length=max_length, min_length=1, required=True, **kwargs)


def optional_text(max_length: int, **kwargs: Any) -> Text:
    """Return an optional text field that defaults to empty."""
    return Text(max_length=max_length, load_default="", **kwargs)


class TrimmedEmail(fields.Email):
    """An e-mail address with surrounding white space removed before it is checked."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        if isinstance(value, str):
            value = value.strip()
        return str(super()._deserialize(value, attr, data, **kwargs))


class SaneDateTime(fields.AwareDateTime):
    """A timezone-aware date and time between the years MIN_YEAR and MAX_YEAR."""

    MIN_YEAR = 2000
    MAX_YEAR = 2100
    OUT_OF_RANGE = f"must be between the years {MIN_YEAR} and {MAX_YEAR}"

    def __init__(self, **kwargs: Any) -> None:
        metadata = dict(kwargs.pop("metadata", {}))
        bound = f"years {self.MIN_YEAR} to {self.MAX_YEAR}"
        said = metadata.get("description")
        metadata["description"] = f"{said} ({bound})" if said else f"ISO 8601 with offset, {bound}"
        super().__init__(metadata=metadata, **kwargs)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        moment = super()._deserialize(value, attr, data, **kwargs)
        if not self.MIN_YEAR <= moment.year <= self.MAX_YEAR:
            raise ValidationError(self.OUT_OF_RANGE)
        return moment


class ErrorDetailSchema(Schema):
    """What went wrong."""

    code = fields.String(required=True, metadata={"description": "stable machine-readable code"})
    message = fields.String(required=True)
    field = fields.String(allow_none=True, metadata={"description": "the field at fault"})
    fields_ = fields.Dict(
        data_key="fields",
        keys=fields.String(),
        values=fields.List(fields.String()),
        metadata={"description": "every field at fault with its messages"},
    )


class ErrorSchema(Schema):
    """The one shape of every API error."""

    error = fields.Nested(ErrorDetailSchema, required=True)


class CategoryPolicySchema(Schema):
    """Admission policy of one guest category."""

    capacity = fields.Integer(
        load_default=None, allow_none=True, validate=validate.Range(min=0, max=100_000)
    )
    approval_required = fields.Boolean(load_default=False)


def check_timezone(name: str) -> None:
    """Raise ValidationError unless `name` is an IANA timezone."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValidationError("not a known IANA timezone, e.g. Asia/Shanghai") from None


class GatheringCreateSchema(Schema):
    """A new gathering."""

    slug = fields.String(
        required=True, validate=[validate.Length(min=3, max=80), validate.Regexp(SLUG)]
    )
    title_en = required_text(300)
    title_zh = required_text(300)
    venue = required_text(300)
    timezone = fields.String(required=True, validate=check_timezone)
    starts_at = SaneDateTime(required=True)
    ends_at = SaneDateTime(required=True)
    capacity = fields.Integer(required=True, validate=validate.Range(min=1, max=100_000))
    registration_opens_at = SaneDateTime(required=True)
    registration_closes_at = SaneDateTime(required=True)
    categories = fields.Dict(
        keys=fields.String(validate=validate.OneOf(CATEGORIES)),
        values=fields.Nested(CategoryPolicySchema),
        required=True,
        validate=validate.Length(min=1),
    )


class GatheringSchema(Schema):
    """A gathering with its seats."""

    id = fields.UUID()
    slug = fields.String()
    title_en = fields.String()
    title_zh = fields.String()
    venue = fields.String()
    timezone = fields.String()
    starts_at = fields.DateTime()
    ends_at = fields.DateTime()
    capacity = fields.Integer()
    registration_opens_at = fields.DateTime()
    registration_closes_at = fields.DateTime()
    registration_open = fields.Boolean()
    categories = fields.Dict(keys=fields.String(), values=fields.Nested(CategoryPolicySchema))
    confirmed = fields.Integer(metadata={"description": "guests holding a seat"})
    seats_left = fields.Integer()
    waitlisted = fields.Integer()


class RegistrationCreateSchema(Schema):
    """What a guest submits to register."""

    full_name = required_text(200)
    name_zh = optional_text(100)
    organisation = required_text(200)
    job_title = required_text(200)
    email = TrimmedEmail(required=True, validate=validate.Length(max=254))
    phone = Text(max_length=40, load_default="", pattern=PHONE)
    category = fields.String(load_default="guest", validate=validate.OneOf(CATEGORIES))
    dietary = optional_text(500, multiline=True)
    accessibility = optional_text(500, multiline=True)
    consent = fields.Boolean(
        required=True,
        validate=validate.Equal(True, error="consent to the use of your data is required"),
    )
    firm_id = fields.UUID(
        load_default=None,
        allow_none=True,
        metadata={
            "description": "exhibitor staff only, and required for them: the exhibiting firm "
            "whose staff badge they take (409 staff_quota_exceeded when none is left)"
        },
    )
    staff_code = fields.String(
        load_default="",
        validate=validate.Length(max=40),
        metadata={
            "description": "exhibitor staff only: their firm's staff code. With it they take "
            "a staff badge at once; without it the registration waits for an organiser's "
            "approval (pending) and takes no badge until approved; a wrong or renewed code "
            "answers 422 staff_code_invalid"
        },
    )


class RegistrationSchema(Schema):
    """A registration as organisers see it."""

    id = fields.UUID()
    gathering_id = fields.UUID()
    full_name = fields.String()
    name_zh = fields.String()
    organisation = fields.String()
    job_title = fields.String()
    email = fields.String()
    phone = fields.String()
    category = fields.String()
    state = fields.String(validate=validate.OneOf(STATES))
    dietary = fields.String()
    accessibility = fields.String()
    capacity_overridden = fields.Boolean()
    waitlist_position = fields.Integer(allow_none=True)
    submitted_at = fields.DateTime()
    updated_at = fields.DateTime()


class GuestRegistrationSchema(RegistrationSchema):
    """A registration as its guest sees it, with the link to the confirmation page."""

    firm_id = fields.UUID(allow_none=True, metadata={"description": "exhibitor staff's firm"})

    confirmation_token = fields.String()
    confirmation_url = fields.Url()


class RegistrationQuerySchema(Schema):
    """Filters of the guest list."""

    state = fields.List(fields.String(validate=validate.OneOf(STATES)), load_default=list)
    category = fields.List(fields.String(validate=validate.OneOf(CATEGORIES)), load_default=list)
    q = Text(max_length=200, load_default="")
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=500))
    offset = fields.Integer(load_default=0, validate=validate.Range(min=0, max=MAX_OFFSET))


class CountsSchema(Schema):
    """How many registrations there are, by state and by category and state."""

    by_state = fields.Dict(keys=fields.String(), values=fields.Integer())
    by_category = fields.Dict(
        keys=fields.String(), values=fields.Dict(keys=fields.String(), values=fields.Integer())
    )


class RegistrationPageSchema(Schema):
    """A page of the guest list."""

    items = fields.List(fields.Nested(RegistrationSchema))
    total = fields.Integer()
    limit = fields.Integer()
    offset = fields.Integer()
    counts = fields.Nested(CountsSchema)


class ApproveSchema(Schema):
    """Approval of a registration."""

    override_capacity = fields.Boolean(
        load_default=False,
        metadata={"description": "confirm a VIP even when no seat is free (recorded)"},
    )


class ReasonSchema(Schema):
    """A rejection or cancellation, with an optional reason."""

    reason = optional_text(500, multiline=True)


class HistoryEntrySchema(Schema):
    """One domain event of a registration."""

    version = fields.Integer()
    type = fields.String()
    at = fields.DateTime(metadata={"description": "when it happened (the app's clock)"})
    recorded_at = fields.DateTime(metadata={"description": "when the store recorded it"})
    actor = fields.String(metadata={"description": "guest, organiser:<name>, or system"})
    data = fields.Dict()


class HistorySchema(Schema):
    """The history of a registration, oldest first."""

    registration_id = fields.UUID()
    events = fields.List(fields.Nested(HistoryEntrySchema))


class CheckpointSchema(Schema):
    """A checkpoint: where badges are scanned, for which categories, and when."""

    code = fields.String(
        required=True, validate=[validate.Length(min=2, max=40), validate.Regexp(SLUG)]
    )
    name_en = required_text(120)
    name_zh = required_text(120)
    categories = fields.List(
        fields.String(validate=validate.OneOf(CATEGORIES)),
        required=True,
        validate=validate.Length(min=1),
    )
    opens_at = SaneDateTime(
        load_default=None,
        allow_none=True,
        metadata={"description": "when it opens; omitted or null: when the gathering starts"},
    )
    closes_at = SaneDateTime(
        load_default=None,
        allow_none=True,
        metadata={"description": "when it closes; omitted or null: when the gathering ends"},
    )
    category_notes = fields.Dict(
        keys=fields.String(validate=validate.OneOf(CATEGORIES)),
        values=Text(max_length=200),
        load_default=dict,
        metadata={
            "description": 'what door staff should know, e.g. {"vip": "escort to front row"}'
        },
    )


class CheckpointOutSchema(CheckpointSchema):
    """A checkpoint as defined, with the hours it really keeps and whether it is closed."""

    opens_at = SaneDateTime(
        metadata={"description": "when it opens (the gathering's start unless its own)"}
    )
    closes_at = SaneDateTime(
        metadata={"description": "when it closes (the gathering's end unless its own)"}
    )
    opens_with_gathering = fields.Boolean(
        metadata={"description": "true: it has no opening time of its own"}
    )
    closes_with_gathering = fields.Boolean(
        metadata={"description": "true: it has no closing time of its own"}
    )
    closed = fields.Boolean(
        metadata={"description": "closed by an organiser: admits no one until defined again"}
    )


class CheckpointListSchema(Schema):
    """The checkpoints of a gathering."""

    items = fields.List(fields.Nested(CheckpointOutSchema))


class DeviceCreateSchema(Schema):
    """A door device to enrol."""

    name = required_text(80)
    valid_minutes = fields.Integer(
        load_default=60,
        validate=validate.Range(min=1, max=7 * 24 * 60),
        metadata={"description": "how long the one-time set-up code stays valid"},
    )


class DeviceSchema(Schema):
    """A door device."""

    id = fields.UUID()
    name = fields.String()
    state = fields.String(metadata={"description": "registered, enrolled or revoked"})
    registered_at = fields.String()
    setup_expires_at = fields.String()
    enrolled_at = fields.String(allow_none=True)
    revoked_at = fields.String(allow_none=True)
    last_scan_at = fields.String(allow_none=True)
    scans = fields.Integer()


class NewDeviceSchema(Schema):
    """A registered device with its one-time set-up code (shown once)."""

    id = fields.UUID()
    name = fields.String()
    setup_code = fields.String(metadata={"description": "type it into the door page"})
    setup_url = fields.String(metadata={"description": "what the set-up QR code holds"})
    setup_qr_svg = fields.String(metadata={"description": "the set-up QR code as SVG"})
    setup_expires_at = fields.DateTime()


class DeviceListSchema(Schema):
    """The door devices of a gathering."""

    items = fields.List(fields.Nested(DeviceSchema))


class EnrolSchema(Schema):
    """A door device taking its one-time set-up code."""

    setup_code = fields.String(required=True, validate=validate.Length(min=4, max=40))


class EnrolledSchema(Schema):
    """The enrolled device's bearer token (shown once) and where it scans."""

    device_id = fields.UUID()
    device_token = fields.String()
    name = fields.String()
    gathering_id = fields.UUID()
    gathering_slug = fields.String()
    gathering_title_en = fields.String()
    gathering_title_zh = fields.String()
    timezone = fields.String(metadata={"description": "the venue's time zone, for door times"})
    checkpoints = fields.List(fields.Nested(CheckpointOutSchema))


class ScanFieldsSchema(Schema):
    """What every scan names besides the guest: where, when, which way, and its nonce."""

    checkpoint = fields.String(required=True, validate=validate.Length(min=1, max=40))
    client_scan_id = fields.String(
        required=True,
        validate=[validate.Length(min=8, max=64), validate.Regexp(r"^[A-Za-z0-9_.:-]+$")],
        metadata={
            "description": "a nonce the device picks; re-sending it returns the first answer"
        },
    )
    scanned_at = SaneDateTime(required=True)
    device_id = fields.UUID(load_default=None, metadata={"description": "must match the token"})
    direction = fields.String(load_default="in", validate=validate.OneOf(["in", "out"]))
    offline = fields.Boolean(load_default=False)
    local_status = fields.String(
        load_default="",
        validate=validate.OneOf(["", "ok", "refused", "unchecked"]),
        metadata={"description": "what an offline device showed (ok = it let the guest in)"},
    )


class ScanInSchema(ScanFieldsSchema):
    """One scan as a door device sends it."""

    token = fields.String(
        required=True,
        validate=validate.Length(min=1, max=4096),
        metadata={"description": "what the scanner read from the badge"},
    )


class DoorCheckInSchema(ScanFieldsSchema):
    """A guest without a badge, found by a search at the door, checked in (or out) by hand."""

    registration_id = fields.UUID(
        required=True,
        metadata={"description": "the registration_id a door search (GET /door/guests) found"},
    )


class ScanBatchSchema(Schema):
    """Scans a device made while offline, uploaded together."""

    scans = fields.List(
        fields.Nested(ScanInSchema), required=True, validate=validate.Length(min=1, max=500)
    )


class DoorGuestSchema(Schema):
    """A guest as the door sees them."""

    registration_id = fields.String()
    full_name = fields.String()
    name_zh = fields.String()
    organisation = fields.String()
    job_title = fields.String(load_default="")
    category = fields.String()
    notes = fields.List(fields.String())


class FirstCheckInSchema(Schema):
    """When and where the badge was first used at this checkpoint."""

    at = fields.String()
    checkpoint = fields.String()
    device = fields.String()


class ScanAnswerSchema(Schema):
    """The one answer to a scan."""

    status = fields.String(
        metadata={
            "description": "ok, already_checked_in, invalid, unknown, revoked, cancelled, "
            "not_confirmed, wrong_event, not_admitted_here, closed, not_inside"
        }
    )
    reason = fields.String()
    scan_id = fields.String()
    checkpoint = fields.String()
    direction = fields.String()
    scanned_at = fields.String()
    received_at = fields.String()
    offline = fields.Boolean()
    conflict = fields.Boolean(metadata={"description": "admitted twice; flagged for organisers"})
    manual = fields.Boolean(
        metadata={"description": "checked in by a name search at the door, not a badge scan"}
    )
    guest = fields.Nested(DoorGuestSchema, allow_none=True)
    first_check_in = fields.Nested(FirstCheckInSchema, allow_none=True)
    recorded = fields.Boolean(
        metadata={
            "description": "false when this is a replayed scan id (invalid badges beyond a "
            "device's first few in a window are counted, not kept one by one)"
        }
    )


class ScanBatchAnswerSchema(Schema):
    """The answers to a batch, in the order the scans were sent."""

    results = fields.List(fields.Nested(ScanAnswerSchema))


class GuestSearchSchema(Schema):
    """A manual search for a guest without a badge."""

    q = Text(min_length=1, max_length=100, required=True)


class DoorGuestListSchema(Schema):
    """Guests found by a manual search."""

    items = fields.List(fields.Dict())


class ConflictSchema(Schema):
    """A badge let in twice, for organisers to review."""

    scan_id = fields.String()
    registration_id = fields.String()
    full_name = fields.String(allow_none=True)
    name_zh = fields.String(allow_none=True)
    checkpoint = fields.String()
    device = fields.String()
    scanned_at = fields.String()
    reason = fields.String()


class ConflictListSchema(Schema):
    """Scan conflicts of a gathering."""

    items = fields.List(fields.Nested(ConflictSchema))


class BadgeSheetQuerySchema(Schema):
    """Which badges to print, in which order."""

    order = fields.String(
        load_default="name", validate=validate.OneOf(["name", "category", "organisation"])
    )
    category = fields.List(fields.String(validate=validate.OneOf(CATEGORIES)), load_default=list)


class CategoryArrivalsSchema(Schema):
    """Arrivals of one guest category."""

    category = fields.String()
    expected = fields.Integer(metadata={"description": "confirmed registrations"})
    checked_in = fields.Integer(metadata={"description": "confirmed guests let in at least once"})
    inside = fields.Integer(metadata={"description": "of them, inside a checkpoint now"})


class CheckpointArrivalsSchema(Schema):
    """Arrivals at one checkpoint."""

    code = fields.String()
    name_en = fields.String()
    name_zh = fields.String()
    expected = fields.Integer(metadata={"description": "confirmed guests it admits"})
    checked_in = fields.Integer(metadata={"description": "confirmed guests let in here"})
    inside = fields.Integer(metadata={"description": "entered here and not left since"})


class ArrivalSlotSchema(Schema):
    """First arrivals in one 5-minute slot."""

    start = fields.DateTime(metadata={"description": "in the gathering's timezone"})
    label = fields.String(metadata={"description": "HH:MM in the gathering's timezone"})
    count = fields.Integer()


class ArrivalsSchema(Schema):
    """Live arrival figures of a gathering: only confirmed registrations count."""

    slug = fields.String()
    title_en = fields.String()
    title_zh = fields.String()
    timezone = fields.String()
    as_of = fields.DateTime(metadata={"description": "when the figures were taken"})
    expected = fields.Integer(metadata={"description": "confirmed registrations"})
    checked_in = fields.Integer(
        metadata={"description": "confirmed guests with an accepted entry at any checkpoint"}
    )
    inside = fields.Integer(metadata={"description": "checked-in guests not scanned out"})
    not_arrived = fields.Integer()
    cancelled_after_check_in = fields.Integer(
        metadata={"description": "let in, then cancelled: counted in neither figure"}
    )
    by_category = fields.List(fields.Nested(CategoryArrivalsSchema))
    by_checkpoint = fields.List(fields.Nested(CheckpointArrivalsSchema))
    slot_minutes = fields.Integer()
    slots = fields.List(
        fields.Nested(ArrivalSlotSchema),
        metadata={
            "description": "first arrivals by when the scan was made, from the first "
            "arrival's slot to the latest's (or the current one, within the hour after it)"
        },
    )
    earlier = fields.Integer(metadata={"description": "arrivals before the first slot listed"})
    latest_arrival_at = fields.DateTime(allow_none=True)
