"""How scans, conflicts and door devices are projected into the read-model tables.

Scans come in runs (`scans_recorded`): one multi-row insert and one counter update per
device per run, however many scans the run holds.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from eventsourcing.persistence import JSONTranscoder, Mapper, Notification

from domain.door_device import DoorDevice
from events_app.store.sql import Transaction


@dataclass(frozen=True, slots=True)
class ScanFacts:
    """What the read models keep of one recorded scan, as plain values."""

    id: str
    gathering_id: str
    device_id: str
    checkpoint: str
    direction: str
    registration_id: str | None
    category: str | None
    status: str
    scanned_at: str
    received_at: str
    offline: bool
    manual: bool
    """Whether door staff checked the guest in by name rather than by badge."""
    reason: str

    @property
    def scanned_epoch(self) -> int:
        """Return when the scan was made, in whole seconds since 1970 UTC."""
        return int(datetime.fromisoformat(self.scanned_at).timestamp() // 1)


def scan_facts(mapper: Mapper, notification: Notification) -> ScanFacts:
    """Return a `Scan.Recorded` notification's facts, decoded without the event object.

    Scans are nearly every event of a busy day; reading their JSON directly rather than
    through the mapper's object hooks makes a rebuild several times faster. Any other
    transcoder (or an unexpected value) takes the mapper's way.
    """
    if type(mapper.transcoder) is not JSONTranscoder:
        return _facts_of(mapper.to_domain_event(notification))
    state = notification.state
    if mapper.cipher:
        state = mapper.cipher.decrypt(state)
    if mapper.compressor:
        state = mapper.compressor.decompress(state)
    data = json.loads(state.decode() if isinstance(state, bytes) else state)  # UTF-8 JSON
    try:
        return ScanFacts(
            id=str(notification.originator_id),
            gathering_id=_uuid(data["gathering_id"]),
            device_id=_uuid(data["device_id"]),
            checkpoint=data["checkpoint"],
            direction=data["direction"],
            registration_id=_uuid(data["registration_id"]) if data["registration_id"] else None,
            category=_category(data["answer"].get("guest")),
            status=data["status"],
            scanned_at=_iso(data["scanned_at"]),
            received_at=_iso(data["received_at"]),
            offline=bool(data["offline"]),
            manual=bool(data["answer"].get("manual")),
            reason=data["reason"],
        )
    except (KeyError, TypeError, ValueError):
        return _facts_of(mapper.to_domain_event(notification))


def _category(guest: dict[str, Any] | None) -> str | None:
    """Return the category shown by a scan's answer (kept in plain beside the sealed guest)."""
    if not guest:
        return None
    if guest.get("_type_") == "personal_sealed":
        return guest["_data_"]["p"].get("category")  # type: ignore[no-any-return]
    if "_type_" in guest:
        raise ValueError(guest["_type_"])
    return guest.get("category")


_DASHED: dict[str, str] = {}
"""UUIDs in their usual form by their hex digits: a day's scans name a few devices, one
gathering and its guests again and again (cleared beyond `DASHED_KEPT` entries)."""
DASHED_KEPT = 100_000


def _uuid(value: dict[str, str]) -> str:
    """Return a transcoded UUID in its usual form (what `str(UUID)` gives)."""
    h = value["_data_"]
    if value["_type_"] != "uuid_hex":
        raise ValueError(value["_type_"])
    dashed = _DASHED.get(h)
    if dashed is None:
        if len(h) != 32:
            raise ValueError(value["_type_"])
        if len(_DASHED) >= DASHED_KEPT:
            _DASHED.clear()
        dashed = _DASHED[h] = f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"
    return dashed


def _iso(value: dict[str, str]) -> str:
    if value["_type_"] != "datetime_iso":
        raise ValueError(value["_type_"])
    return value["_data_"]


def _facts_of(event: Any) -> ScanFacts:
    guest = event.answer.get("guest") or {}
    return ScanFacts(
        id=str(event.originator_id),
        gathering_id=str(event.gathering_id),
        device_id=str(event.device_id),
        checkpoint=event.checkpoint,
        direction=event.direction,
        registration_id=str(event.registration_id) if event.registration_id else None,
        category=guest.get("category"),
        status=str(event.status),
        scanned_at=event.scanned_at.isoformat(),
        received_at=event.received_at.isoformat(),
        offline=bool(event.offline),
        manual=bool(event.answer.get("manual")),
        reason=event.reason,
    )


def scans_recorded(tx: Transaction, scans: list[tuple[ScanFacts, int]]) -> None:
    """Insert a run of recorded scans and add them to their devices' counters once each."""
    tx.execute_many(
        "INSERT INTO rm_scans (id, gathering_id, device_id, checkpoint, direction, "
        "registration_id, category, status, scanned_at, received_at, offline, manual, "
        "reason, seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (id) DO NOTHING",
        [
            (
                scan.id,
                scan.gathering_id,
                scan.device_id,
                scan.checkpoint,
                scan.direction,
                scan.registration_id,
                scan.category,
                scan.status,
                scan.scanned_at,
                scan.received_at,
                int(scan.offline),
                int(scan.manual),
                scan.reason,
                seq,
            )
            for scan, seq in scans
        ],
    )
    _count_invalid(tx, [scan for scan, _ in scans])
    devices: dict[str, list[Any]] = {}
    for scan, _ in scans:
        device = devices.setdefault(scan.device_id, [0, ""])
        device[0] += 1
        device[1] = scan.received_at
    tx.execute_many(
        "UPDATE rm_devices SET scans = scans + ?, last_scan_at = ? WHERE id = ?",
        [(count, last, device_id) for device_id, (count, last) in sorted(devices.items())],
    )


INVALID = frozenset({"invalid", "unknown", "wrong_event"})
"""The answers to badges that are not the gathering's own: what a flood of forgeries gets."""


def _count_invalid(tx: Transaction, scans: list[ScanFacts]) -> None:
    """Add a run's recorded invalid scans to their devices' minutes (see projections_alerts)."""
    minutes: dict[tuple[str, str, int], int] = {}
    for scan in scans:
        if scan.status in INVALID:
            minute = int(datetime.fromisoformat(scan.received_at).timestamp()) // 60
            key = (scan.gathering_id, scan.device_id, minute)
            minutes[key] = minutes.get(key, 0) + 1
    tx.execute_many(
        "INSERT INTO rm_invalid_scans (gathering_id, device_id, minute, count) "
        "VALUES (?, ?, ?, ?) ON CONFLICT (device_id, minute) "
        "DO UPDATE SET count = rm_invalid_scans.count + excluded.count",
        [(*key, count) for key, count in sorted(minutes.items())],
    )


def conflicts_flagged(tx: Transaction, events: list[Any], run: dict[str, ScanFacts]) -> None:
    """Insert a run's scan conflicts, each with its scan's gathering and guest."""
    ids = [str(event.scan_id) for event in events]
    known = {i: (run[i].gathering_id, run[i].registration_id) for i in ids if i in run}
    missing = sorted(set(ids) - known.keys())
    for start in range(0, len(missing), 500):
        chunk = missing[start : start + 500]
        marks = ", ".join("?" * len(chunk))
        for scan_id, gathering_id, registration_id in tx.execute(
            f"SELECT id, gathering_id, registration_id FROM rm_scans WHERE id IN ({marks})",
            chunk,
        ).all():
            known[scan_id] = (gathering_id, registration_id)
    tx.execute_many(
        "INSERT INTO rm_conflicts (scan_id, gathering_id, registration_id, checkpoint, device, "
        "scanned_at, reason) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (scan_id) DO NOTHING",
        [
            (
                scan_id,
                *(known.get(scan_id) or ("", "")),
                event.checkpoint,
                event.device,
                event.scanned_at.isoformat(),
                event.reason,
            )
            for scan_id, event in zip(ids, events, strict=True)
        ],
    )


def _device_registered(tx: Transaction, event: Any, seq: int) -> None:
    tx.execute(
        "INSERT INTO rm_devices (id, gathering_id, name, state, registered_at, "
        "setup_expires_at, scans) VALUES (?, ?, ?, 'registered', ?, ?, 0)",
        (
            str(event.originator_id),
            str(event.gathering_id),
            event.name,
            event.at.isoformat(),
            event.setup_expires_at.isoformat(),
        ),
    )


def _device_enrolled(tx: Transaction, event: Any, seq: int) -> None:
    tx.execute(
        "UPDATE rm_devices SET state = 'enrolled', enrolled_at = ? WHERE id = ?",
        (event.at.isoformat(), str(event.originator_id)),
    )


def _device_revoked(tx: Transaction, event: Any, seq: int) -> None:
    tx.execute(
        "UPDATE rm_devices SET state = 'revoked', revoked_at = ? WHERE id = ?",
        (event.at.isoformat(), str(event.originator_id)),
    )


CHECK_IN_HANDLERS: dict[type, Callable[[Transaction, Any, int], None]] = {
    DoorDevice.Registered: _device_registered,  # type: ignore[attr-defined]
    DoorDevice.Enrolled: _device_enrolled,  # type: ignore[attr-defined]
    DoorDevice.Revoked: _device_revoked,  # type: ignore[attr-defined]
}
