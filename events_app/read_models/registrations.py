"""How registrations are projected into the guest list, and how a batch is dispatched.

A batch of notifications is applied in log order. Scans, nearly all of a busy day's
events, are gathered into runs and applied a run at a time (one insert per run, one
counter update per device, each guest's arrival rows read and written once); every other
event is applied on its own, after the run before it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any

from eventsourcing.domain import DomainEventProtocol
from eventsourcing.persistence import Mapper, Notification
from eventsourcing.utils import get_topic

from domain.attendance import Attendance
from domain.personal import erased_value
from domain.registration import CORRECTABLE_DETAILS, Registration
from domain.scan import Scan
from events_app.read_models.alerts import ALERT_HANDLERS
from events_app.read_models.answers import ANSWER_HANDLERS
from events_app.read_models.arrivals import ARRIVAL_HANDLERS, scans_entered
from events_app.read_models.checkin import (
    CHECK_IN_HANDLERS,
    ScanFacts,
    conflicts_flagged,
    scan_facts,
    scans_recorded,
)
from events_app.read_models.corrections import CORRECTION_HANDLERS
from events_app.read_models.door_list import DOOR_LIST_HANDLERS, door_presence
from events_app.read_models.gatherings import GATHERING_HANDLERS
from events_app.read_models.printable import unprintable_details
from events_app.read_models.search import details_text, forget_erased_text
from events_app.store.sql import Transaction

Handler = Callable[[Transaction, Any, int], None]
"""Applies one decoded event (with its notification's position) to the tables."""
SCANNED = get_topic(Scan.Recorded)  # type: ignore[attr-defined]
"""The topic of scans, applied in runs (see `batch_applier`)."""
CONFLICT: type = Attendance.ConflictFlagged  # type: ignore[attr-defined]
ERASED: type = Registration.PersonalDataErased  # type: ignore[attr-defined]
"""After a batch with an erasure, the search index is rewritten (`forget_erased_text`)."""
"""Conflicts are applied with the scan run they follow."""
REGISTRATION_COLUMNS = (
    "id, gathering_id, full_name, name_zh, organisation, job_title, email, phone, "
    "category, state, dietary, accessibility, capacity_overridden, submitted_at, "
    "updated_at, waitlist_seq, unprintable"
)


def batch_applier(mapper: Mapper) -> Callable[[Transaction, Sequence[Notification]], None]:
    """Return the function that applies a batch of notifications with `mapper`."""

    def apply(tx: Transaction, notifications: Sequence[Notification]) -> None:
        run: list[tuple[ScanFacts, int]] = []
        conflicts: list[Any] = []
        erased = False
        for notification in notifications:
            topic = notification.topic
            if topic == SCANNED:  # decoded from its JSON, without the event object
                run.append((scan_facts(mapper, notification), notification.id))
                continue
            if topic not in HANDLED_TOPICS:
                continue
            event = mapper.to_domain_event(notification)
            if type(event) is CONFLICT:
                conflicts.append(event)  # changes no table a scan run reads
                continue
            _apply_run(tx, run, conflicts)
            _project(tx, event, notification.id)
            erased = erased or type(event) is ERASED
        _apply_run(tx, run, conflicts)
        if erased:
            forget_erased_text(tx)

    return apply


def _apply_run(tx: Transaction, run: list[tuple[ScanFacts, int]], conflicts: list[Any]) -> None:
    if run:
        scans_recorded(tx, run)
        scans_entered(tx, [scan for scan, _ in run])
        door_presence(tx, run)
    if conflicts:
        conflicts_flagged(tx, conflicts, {scan.id: scan for scan, _ in run})
    run.clear()
    conflicts.clear()


def _iso(value: datetime) -> str:
    return value.isoformat()


def _project(tx: Transaction, event: DomainEventProtocol[Any], seq: int) -> None:
    """Apply one domain event to the read model tables, with each handler of its class."""
    for handle in HANDLERS.get(type(event), ()):
        handle(tx, event, seq)


def _set_state(tx: Transaction, event: Any, seq: int, state: str) -> None:
    tx.execute(
        "UPDATE rm_registrations SET state = ?, updated_at = ?, waitlist_seq = ? WHERE id = ?",
        (state, _iso(event.at), seq if state == "waitlisted" else None, str(event.originator_id)),
    )


def _now(state: str) -> Handler:
    """Return the handler of a registration event after which it is in `state`."""

    def handle(tx: Transaction, event: Any, seq: int) -> None:
        _set_state(tx, event, seq, state)

    return handle


def _approved(tx: Transaction, event: Any, seq: int) -> None:
    _set_state(tx, event, seq, "confirmed")
    tx.execute(
        "UPDATE rm_registrations SET capacity_overridden = ? WHERE id = ?",
        (int(event.capacity_override), str(event.originator_id)),
    )


def _merged(*tables: Mapping[type, Handler]) -> dict[type, tuple[Handler, ...]]:
    """Return, per event class, the handlers of every table that has one, in table order."""
    merged: dict[type, tuple[Handler, ...]] = {}
    for table in tables:
        for kind, handle in table.items():
            merged[kind] = (*merged.get(kind, ()), handle)
    return merged


def _submitted(tx: Transaction, event: Any, seq: int) -> None:
    rid = str(event.originator_id)
    details = event.details
    tx.execute(
        f"INSERT INTO rm_registrations ({REGISTRATION_COLUMNS}, search_text) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            rid,
            str(event.gathering_id),
            details["full_name"],
            details.get("name_zh", ""),
            details["organisation"],
            details["job_title"],
            details["email"],
            details.get("phone", ""),
            event.category,
            event.state,
            details.get("dietary", ""),
            details.get("accessibility", ""),
            0,
            _iso(event.at),
            _iso(event.at),
            seq if event.state == "waitlisted" else None,
            unprintable_details(details),
            details_text(details),
        ),
    )


PERSONAL_COLUMNS = tuple(name for name in CORRECTABLE_DETAILS if name != "notes")
"""The columns of rm_registrations that hold personal data (placeholders once erased)."""


def _erased(tx: Transaction, event: Any, seq: int) -> None:
    """Blank an erased guest's personal columns; the search finds nothing of them."""
    sets = ", ".join(f"{column} = ?" for column in PERSONAL_COLUMNS)
    tx.execute(
        f"UPDATE rm_registrations SET {sets}, search_text = '', unprintable = '', updated_at = ? "
        "WHERE id = ?",
        (
            *(erased_value(column) for column in PERSONAL_COLUMNS),
            _iso(event.at),
            str(event.originator_id),
        ),
    )


REGISTRATION_HANDLERS: dict[type, Handler] = {
    Registration.Submitted: _submitted,
    Registration.Approved: _approved,  # type: ignore[attr-defined]
    Registration.Promoted: _now("confirmed"),  # type: ignore[attr-defined]
    Registration.Waitlisted: _now("waitlisted"),  # type: ignore[attr-defined]
    Registration.Rejected: _now("rejected"),  # type: ignore[attr-defined]
    Registration.Cancelled: _now("cancelled"),  # type: ignore[attr-defined]
    Registration.PersonalDataErased: _erased,  # type: ignore[attr-defined]
}
HANDLERS = _merged(
    ARRIVAL_HANDLERS,
    ALERT_HANDLERS,
    CORRECTION_HANDLERS,
    CHECK_IN_HANDLERS,
    REGISTRATION_HANDLERS,
    ANSWER_HANDLERS,
    GATHERING_HANDLERS,
    DOOR_LIST_HANDLERS,
)
"""The events the guest list is made of, each with its handlers (arrivals first)."""
HANDLED_TOPICS = frozenset({SCANNED, get_topic(CONFLICT), *map(get_topic, HANDLERS)})
TOPICS = tuple(sorted(HANDLED_TOPICS))
"""The topics of those events: the store sends the projection no other notification."""
