"""Reading a store before and after the personal-data migration: its rows, figures, leaks."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any
from uuid import UUID

from flask import Flask

from domain.attendance import Attendance
from domain.errors import NotFound
from domain.scan import Scan
from events_app.demo import DEMO_SLUG
from events_app.services.resealing import PersonalDataMigration
from events_app.store.locks import Locks
from events_app.store.migration_rows import MigrationRows
from tests.conftest import services_of
from tests.plain_store import CORRECTED_AWAY, EMAILS, INVITEE, NAMES


def stored_states(app: Flask) -> list[tuple[str, bytes]]:
    """Return (topic, state) of every stored event and snapshot."""
    services = services_of(app)
    rows = rows_of(app)
    try:
        with rows.transaction(lock=False) as tx:
            names = (services.box_office.recorder.events_table_name, "")
            found = tx.execute(f"SELECT topic, state FROM {names[0]}").all()
            found += [(r.topic, r.state) for r in rows.snapshots(tx)]
    finally:
        rows.close()
    return [(topic, bytes(state)) for topic, state in found]


def rows_of(app: Flask) -> MigrationRows:
    box_office = services_of(app).box_office
    return MigrationRows(
        services_of(app).storage,
        box_office.recorder.events_table_name,
        box_office.snapshots.recorder.events_table_name,
    )


def leaks(app: Flask) -> list[str]:
    """Return the names and e-mails (UTF-8) found in the stored events and snapshots."""
    found = []
    for topic, state in stored_states(app):
        texts = (*NAMES, *CORRECTED_AWAY, *INVITEE, *EMAILS)
        found += [f"{text} in {topic}" for text in texts if text.encode() in state]
    return sorted(set(found))


def figures(app: Flask, filled: dict[str, Any]) -> dict[str, Any]:
    """Return every figure and check-in a person sees, read afresh after the read models."""
    services = services_of(app)
    services.guest_list.rebuild()
    client, headers = app.test_client(), filled["organiser"]
    listed = client.get(f"/api/v1/gatherings/{DEMO_SLUG}/registrations?limit=200", headers=headers)
    rows = listed.json["registrations"] if "registrations" in listed.json else listed.json["items"]
    gathering = services.box_office.gathering(DEMO_SLUG)
    guest_list = services.box_office.guest_list(gathering.id)
    details = {}
    for rid in filled["ids"]:
        registration = services.box_office.registration(UUID(rid))
        details[rid] = (registration.details.plain(), registration.answers.plain())
    return {
        "by_category_state": sorted(Counter((r["category"], r["state"]) for r in rows).items()),
        "guest_list": (guest_list.confirmed, guest_list.pending, guest_list.waitlist),
        "emails_held": sorted(guest_list.emails.values()),
        "arrivals": client.get(f"/api/v1/gatherings/{DEMO_SLUG}/arrivals", headers=headers).json,
        "gathering": client.get(f"/api/v1/gatherings/{DEMO_SLUG}", headers=headers).json,
        "attendance": {rid: attendance_of(services.box_office, UUID(rid)) for rid in filled["ids"]},
        "scans": sorted(
            (
                str(scan.registration_id),
                scan.status,
                json.dumps(scan.answer, default=dict, sort_keys=True),
            )
            for scan in (
                services.box_office.load(Scan, scan_id, "scan")
                for scan_id in services.box_office.ids_created_as(Scan.Recorded)
            )
        ),
        "last_scans": services.checkin_view.last_scans(str(gathering.id)),
        "invitations": client.get(
            f"/api/v1/gatherings/{DEMO_SLUG}/invitations", headers=headers
        ).json["counts"],
        "details": details,
        "histories": {
            rid: [(h.type, h.version, h.data) for h in services.box_office.history(UUID(rid))]
            for rid in filled["ids"]
        },
    }


def attendance_of(app: Any, registration_id: UUID) -> dict[str, Any] | None:
    """Return a guest's check-ins as the store holds them (None: never scanned in)."""
    try:
        attendance = app.load(Attendance, Attendance.create_id(registration_id), "attendance")
    except NotFound:
        return None
    return {k: v for k, v in vars(attendance).items() if not k.startswith("_")}


def migration_of(app: Flask) -> PersonalDataMigration:
    services = services_of(app)
    rows = rows_of(app)
    services.closing.append(rows.close)
    return PersonalDataMigration(
        services.box_office, rows, Locks(services.storage, services.database)
    )
