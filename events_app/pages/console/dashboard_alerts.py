"""Dashboard alerts: door devices that scanned many invalid badges in the last minutes."""

from __future__ import annotations

from flask import current_app
from flask_babel import gettext

from domain.gathering import Gathering
from events_app.context import services
from events_app.read_models.alerts import InvalidScanTotal

ALERT_THRESHOLD = 50
"""Invalid badges of one device within the alert's minutes that raise an alert."""
ALERT_MINUTES = 2


def alert_minutes() -> int:
    """Return how many recent minutes the alert looks at (config INVALID_SCAN_ALERT_MINUTES)."""
    return int(current_app.config.get("INVALID_SCAN_ALERT_MINUTES", ALERT_MINUTES))


def invalid_badge_alerts(gathering: Gathering) -> list[InvalidScanTotal]:
    """Return the devices with at least the threshold of invalid badges lately, most first."""
    threshold = int(current_app.config.get("INVALID_SCAN_ALERT_THRESHOLD", ALERT_THRESHOLD))
    now_minute = int(services().box_office.clock().timestamp()) // 60
    totals = services().dashboard.invalid_scans(str(gathering.id), now_minute - alert_minutes() + 1)
    return [
        InvalidScanTotal(
            t.device_id, t.name or gettext("device %(id)s", id=t.device_id[:8]), t.count
        )
        for t in totals
        if t.count >= threshold
    ]
