"""Where events of earlier versions hold personal data in plain, and how to read them there.

The tables name, per event type, what the migration (`resealing`) seals: mappings at a
path of the stored state (`PERSONAL_PATHS`), free texts stored as plain strings
(`TEXT_PATHS`), companions named [registration id, name, role] (`COMPANION_TOPICS`) and
e-mail addresses guest lists key by (`EMAIL_TOPICS`). The functions read and change the
stored JSON state of one row.
"""

from __future__ import annotations

import json
import re
from typing import Any
from uuid import UUID

from eventsourcing.utils import get_topic

from domain.guest_list import GuestList
from domain.guest_mail import GuestMail
from domain.invitation import Invitation
from domain.personal import Kind
from domain.registration import Registration
from domain.scan import Scan
from events_app.store.migration_rows import StoredRow

SEALED = "personal_sealed"
HASHED = re.compile(r"[0-9a-f]{64}")
PERSONAL_PATHS: dict[str, tuple[tuple[tuple[str, ...], Kind], ...]] = {
    get_topic(Registration.Submitted): (  # type: ignore[attr-defined]
        (("details",), Kind.DETAILS),
        (("answers",), Kind.ANSWERS),
    ),
    get_topic(Registration.Corrected): ((("changes",), Kind.CHANGES),),  # type: ignore[attr-defined]
    get_topic(Registration.AnswersChanged): (  # type: ignore[attr-defined]
        (("answers",), Kind.ANSWERS),
        (("changes",), Kind.ANSWER_CHANGES),
    ),
    get_topic(Invitation.Invited): ((("details",), Kind.DETAILS),),  # type: ignore[attr-defined]
    get_topic(Scan.Recorded): ((("answer", "guest"), Kind.DETAILS),),  # type: ignore[attr-defined]
}
"""Where each event type holds personal data (the subject: the aggregate; a scan's guest)."""
TEXT_PATHS: dict[str, tuple[str, str, Kind]] = {
    get_topic(Registration.Rejected): ("reason", "text", Kind.TEXT),  # type: ignore[attr-defined]
    get_topic(Registration.Cancelled): ("reason", "text", Kind.TEXT),  # type: ignore[attr-defined]
    get_topic(Invitation.Declined): ("reason", "text", Kind.TEXT),  # type: ignore[attr-defined]
    get_topic(GuestMail.Queued): ("recipient", "email", Kind.DETAILS),  # type: ignore[attr-defined]
    get_topic(GuestMail.DeliveryFailed): ("error", "error", Kind.DETAILS),  # type: ignore[attr-defined]
}
"""Free texts older events stored as plain strings: (attribute, field, kind) of each type.

The subject is the aggregate, but a mail's: the registration (or invitation) it is for."""
COMPANION_TOPICS = {
    get_topic(Invitation.Accepted): "companions",  # type: ignore[attr-defined]
    get_topic(Invitation.CompanionNamed): "companion",  # type: ignore[attr-defined]
}
"""Where invitations name companions, [registration id, name, role] in older events."""
MAIL_FAILED = get_topic(GuestMail.DeliveryFailed)  # type: ignore[attr-defined]
EMAIL_TOPICS = frozenset(
    get_topic(cls)
    for cls in (GuestList.Joined, GuestList.JoinedInHeldSeat, GuestList.EmailChanged)  # type: ignore[attr-defined]
)
TOPICS = (*PERSONAL_PATHS, *TEXT_PATHS, *COMPANION_TOPICS, *sorted(EMAIL_TOPICS))
ERASED = get_topic(Registration.PersonalDataErased)  # type: ignore[attr-defined]


def is_plain(value: Any) -> bool:
    """Tell whether a stored value is a plain mapping (not a transcoded object)."""
    return isinstance(value, dict) and "_type_" not in value


def is_plain_text(value: Any) -> bool:
    """Tell whether a stored free text is plain (an empty one needs no seal)."""
    return isinstance(value, str) and value != ""


def companions_of(row: StoredRow, state: dict[str, Any]) -> list[list[Any]]:
    """Return the companions an invitation event names ([] for other events)."""
    name = COMPANION_TOPICS.get(row.topic)
    if name is None or not state.get(name):
        return []
    return list(state[name]) if name == "companions" else [state[name]]


def value_at(state: dict[str, Any], path: tuple[str, ...]) -> Any:
    """Return the value at `path` of a stored state (None when absent)."""
    value: Any = state
    for name in path:
        value = value.get(name) if isinstance(value, dict) else None
    return value


def put_at(state: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    """Set the value at `path` of a stored state."""
    for name in path[:-1]:
        state = state[name]
    state[path[-1]] = value


def subject_at(row: StoredRow, state: dict[str, Any], path: tuple[str, ...]) -> UUID:
    """Return whose data are at `path`: a scan's guest's registration, else the aggregate."""
    if path == ("answer", "guest"):
        return UUID(str(value_at(state, path)["registration_id"]))
    return as_uuid(row.originator_id)


def as_uuid(value: Any) -> UUID:
    """Return a stored id as a UUID."""
    return value if isinstance(value, UUID) else UUID(str(value))


def with_state(row: StoredRow, state: dict[str, Any]) -> StoredRow:
    """Return the row with `state` as its stored state (compact JSON, as the app writes)."""
    text = json.dumps(state, ensure_ascii=False, separators=(",", ":")).encode()
    return StoredRow(row.position, row.originator_id, row.version, row.topic, text)
