"""How registrations are projected into the guest list, and how a batch is dispatched.

A batch of notifications is applied in log order. Scans, nearly all of a busy day's
events, are gathered into runs and applied a run at a time (one insert per run, one
counter update per device, each guest's arrival rows read and written once); every other
event is applied on its own, after the run before it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from eventsourcing.domain import DomainEventProtocol
from eventsourcing.persistence import Mapper, Notification
from eventsourcing.utils import get_topic

from domain.attendance import Attendance
from domain.door_device import DoorDevice
from domain.registration import Registration
from domain.scan import Scan
from events_app.read_models.alerts import ALERT_HANDLERS
from events_app.read_models.arrivals import ARRIVAL_HANDLERS, scans_entered
from events_app.read_models.checkin import (
    CHECK_IN_HANDLERS,
    ScanFacts,
    conflicts_flagged,
    scan_facts,
    scans_recorded,
)
from events_app.read_models.corrections import CORRECTION_HANDLERS
from events_app.store.sql import Transaction

SCANNED = "Scan.Recorded"
CONFLICT = "Attendance.ConflictFlagged"
REGISTRATION_COLUMNS = (
    "id, gathering_id, full_name, name_zh, organisation, job_title, email, phone, "
    "category, state, dietary, accessibility, capacity_overridden, submitted_at, "
    "updated_at, waitlist_seq"
)


def batch_applier(mapper: Mapper) -> Callable[[Transaction, Sequence[Notification]], None]:
    """Return the function that applies a batch of notifications with `mapper`."""

    def apply(tx: Transaction, notifications: Sequence[Notification]) -> None:
        run: list[tuple[ScanFacts, int]] = []
        conflicts: list[Any] = []
        for notification in notifications:
            name = notification.topic.rpartition(":")[2]
            if name not in HANDLED:
                continue
            if name == SCANNED:
                run.append((scan_facts(mapper, notification), notification.id))
                continue
            event = mapper.to_domain_event(notification)
            if name == CONFLICT:
                conflicts.append(event)  # changes no table a scan run reads
                continue
            _apply_run(tx, run, conflicts)
            _project(tx, event, notification.id)
        _apply_run(tx, run, conflicts)

    return apply


def _apply_run(tx: Transaction, run: list[tuple[ScanFacts, int]], conflicts: list[Any]) -> None:
    if run:
        scans_recorded(tx, run)
        scans_entered(tx, [scan for scan, _ in run])
    if conflicts:
        conflicts_flagged(tx, conflicts, {scan.id: scan for scan, _ in run})
    run.clear()
    conflicts.clear()


def _iso(value: datetime) -> str:
    return value.isoformat()


def _project(tx: Transaction, event: DomainEventProtocol[Any], seq: int) -> None:
    """Apply one domain event to the read model tables."""
    name = type(event).__qualname__
    rid = str(event.originator_id)
    if name in ARRIVAL_HANDLERS:
        ARRIVAL_HANDLERS[name](tx, event, seq)
    if name in ALERT_HANDLERS:
        ALERT_HANDLERS[name](tx, event, seq)
    if name in CORRECTION_HANDLERS:
        CORRECTION_HANDLERS[name](tx, event, seq)
    if name in CHECK_IN_HANDLERS:
        CHECK_IN_HANDLERS[name](tx, event, seq)
    elif name == "Registration.Submitted":
        _insert_registration(tx, event, rid, seq)
    elif name in STATE_AFTER:
        state = STATE_AFTER[name]
        tx.execute(
            "UPDATE rm_registrations SET state = ?, updated_at = ?, waitlist_seq = ? WHERE id = ?",
            (state, _iso(event.at), seq if state == "waitlisted" else None, rid),
        )
        if name == "Registration.Approved":
            tx.execute(
                "UPDATE rm_registrations SET capacity_overridden = ? WHERE id = ?",
                (int(event.capacity_override), rid),
            )


def _split(name: str) -> tuple[str, str]:
    kind, _, event = name.partition(".")
    return kind, event


STATE_AFTER = {
    "Registration.Approved": "confirmed",
    "Registration.Promoted": "confirmed",
    "Registration.Waitlisted": "waitlisted",
    "Registration.Rejected": "rejected",
    "Registration.Cancelled": "cancelled",
}
HANDLED = frozenset(
    {SCANNED, CONFLICT, "Registration.Submitted", *STATE_AFTER, *ARRIVAL_HANDLERS}
    | {*CHECK_IN_HANDLERS, *CORRECTION_HANDLERS, *ALERT_HANDLERS}
)
"""The events the guest list is made of; the others are skipped without being decoded."""
AGGREGATES = {kind.__name__: kind for kind in (Attendance, DoorDevice, Registration, Scan)}
TOPICS = tuple(
    sorted(get_topic(getattr(AGGREGATES[kind], event)) for kind, event in map(_split, HANDLED))
)
"""The topics of those events: the store sends the projection no other notification."""


def _insert_registration(tx: Transaction, event: Any, rid: str, seq: int) -> None:
    details = event.details
    search_text = " ".join(
        str(details.get(key, ""))
        for key in ("full_name", "name_zh", "email", "organisation", "job_title")
    ).lower()
    tx.execute(
        f"INSERT INTO rm_registrations ({REGISTRATION_COLUMNS}, search_text) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
            search_text,
        ),
    )
