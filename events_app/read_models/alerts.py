"""How counted invalid scans are projected, and read back for the organisers' alerts.

`rm_invalid_scans` holds, per device and minute (epoch seconds // 60 of when the scans were
received), how many invalid badges it scanned. `DoorDevice.InvalidScansCounted` adds its
count, and the scan runs (projections_checkin) add the invalid scans recorded one by one.
Counted scans also count among their device's scans.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from domain.door_device import DoorDevice
from events_app.store.sql import Transaction

ALERT_SCHEMA = (
    """CREATE TABLE IF NOT EXISTS rm_invalid_scans (
        gathering_id TEXT NOT NULL, device_id TEXT NOT NULL, minute BIGINT NOT NULL,
        count BIGINT NOT NULL, PRIMARY KEY (device_id, minute))""",
)
ALERT_TABLES = ("rm_invalid_scans",)


@dataclass(frozen=True)
class InvalidScanTotal:
    """How many invalid badges one device scanned since a minute."""

    device_id: str
    name: str
    count: int


def add_invalid_scans(
    tx: Transaction, gathering_id: str, device_id: str, minute: int, count: int
) -> None:
    """Add `count` invalid scans of a device to its minute."""
    tx.execute(
        "INSERT INTO rm_invalid_scans (gathering_id, device_id, minute, count) "
        "VALUES (?, ?, ?, ?) ON CONFLICT (device_id, minute) "
        "DO UPDATE SET count = rm_invalid_scans.count + excluded.count",
        (gathering_id, device_id, minute, count),
    )


def _invalid_scans_counted(tx: Transaction, event: Any, seq: int) -> None:
    minute = int(event.window_start.timestamp()) // 60
    add_invalid_scans(
        tx, str(event.gathering_id), str(event.originator_id), minute, int(event.count)
    )
    tx.execute(
        "UPDATE rm_devices SET scans = scans + ? WHERE id = ?",
        (int(event.count), str(event.originator_id)),
    )


ALERT_HANDLERS: dict[type, Callable[[Transaction, Any, int], None]] = {
    DoorDevice.InvalidScansCounted: _invalid_scans_counted,  # type: ignore[attr-defined]
}


def invalid_scan_alerts(
    tx: Transaction, gathering_id: str, since_minute: int
) -> list[InvalidScanTotal]:
    """Return each device's invalid scans from `since_minute` on, the most first."""
    rows = tx.execute(
        "SELECT i.device_id, MAX(d.name), SUM(i.count) FROM rm_invalid_scans i "
        "LEFT JOIN rm_devices d ON d.id = i.device_id "
        "WHERE i.gathering_id = ? AND i.minute >= ? "
        "GROUP BY i.device_id ORDER BY SUM(i.count) DESC, i.device_id",
        (gathering_id, since_minute),
    ).all()
    return [InvalidScanTotal(str(row[0]), str(row[1] or ""), int(row[2])) for row in rows]
