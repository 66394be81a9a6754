"""The door devices of a gathering as the console lists them, with their last activity.

The device table of the read model keeps when a device's last scan arrived; which
checkpoint it was at comes from the device's latest recorded scan (both read through
`CheckInView`); this module only turns them into local times and checkpoint names.
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


def device_rows(gathering: Gathering) -> list[DeviceRow]:
    """Return the gathering's door devices, oldest first, with their last scan."""
    zone = ZoneInfo(gathering.timezone)
    view = services().checkin_view
    listed = view.devices(str(gathering.id))
    last_scans = view.last_scans(str(gathering.id))
    rows = []
    for device in listed:
        last = last_scans.get(str(device["id"]))
        names = checkpoint_names(gathering, last.checkpoint) if last else ("", "")
        received_at = last.received_at if last else None
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
                last_scanned_at=local(last.scanned_at if last else None, zone),
                last_checkpoint_en=names[0],
                last_checkpoint_zh=names[1],
                last_offline=last.offline if last else False,
            )
        )
    return rows
