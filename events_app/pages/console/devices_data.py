"""The door devices of a gathering as the console lists them, with their last activity.

The device table of the read model keeps when a device's last scan arrived; which
checkpoint it was at comes from the scans table the same read model already fills (the
device's latest recorded scan), so no projection changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from domain.gathering import Gathering
from events_app.context import services
from events_app.pages.console.dashboard_data import checkpoint_names, local


@dataclass(frozen=True)
class DeviceRow:
    """One door device as the console lists it."""

    id: str
    name: str
    state: str
    registered_at: datetime | None
    setup_expires_at: datetime | None
    enrolled_at: datetime | None
    revoked_at: datetime | None
    scans: int
    last_scan_at: datetime | None
    last_scanned_at: datetime | None
    last_checkpoint_en: str
    last_checkpoint_zh: str
    last_offline: bool

    @property
    def revoked(self) -> bool:
        """Tell whether the device was revoked."""
        return self.state == "revoked"

    @property
    def enrolled(self) -> bool:
        """Tell whether the device took its set-up code (even if revoked since)."""
        return self.enrolled_at is not None

    def setup_expired(self, now: datetime) -> bool:
        """Tell whether a device still waiting for set-up can no longer take its code."""
        return (
            not self.enrolled and self.setup_expires_at is not None and self.setup_expires_at <= now
        )


LAST_SCANS = (
    "SELECT s.device_id, s.checkpoint, s.scanned_at, s.received_at, s.offline FROM rm_scans s "
    "WHERE s.gathering_id = ? AND s.seq = "
    "(SELECT MAX(t.seq) FROM rm_scans t WHERE t.device_id = s.device_id)"
)


def device_rows(gathering: Gathering) -> list[DeviceRow]:
    """Return the gathering's door devices, oldest first, with their last scan."""
    zone = ZoneInfo(gathering.timezone)
    listed = services().checkin_view.devices(str(gathering.id))  # catches the read model up
    with services().database.transaction() as tx:
        last = {row[0]: row[1:] for row in tx.execute(LAST_SCANS, (str(gathering.id),)).all()}
    rows = []
    for device in listed:
        code, scanned_at, received_at, offline = last.get(str(device["id"]), (None,) * 4)
        names = checkpoint_names(gathering, code) if code else ("", "")
        rows.append(
            DeviceRow(
                id=str(device["id"]),
                name=str(device["name"]),
                state=str(device["state"]),
                registered_at=local(device["registered_at"], zone),
                setup_expires_at=local(device["setup_expires_at"], zone),
                enrolled_at=local(device["enrolled_at"], zone),
                revoked_at=local(device["revoked_at"], zone),
                scans=int(device["scans"] or 0),
                last_scan_at=local(received_at or device["last_scan_at"], zone),
                last_scanned_at=local(scanned_at, zone),
                last_checkpoint_en=names[0],
                last_checkpoint_zh=names[1],
                last_offline=bool(offline),
            )
        )
    return rows
