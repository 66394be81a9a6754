"""A scan: one reading of a badge at a checkpoint and the answer it got."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.common import derived_id


class ScanStatus(StrEnum):
    """The one answer a scan gets."""

    OK = "ok"
    ALREADY_CHECKED_IN = "already_checked_in"
    INVALID = "invalid"
    UNKNOWN = "unknown"
    REVOKED = "revoked"
    CANCELLED = "cancelled"
    NOT_CONFIRMED = "not_confirmed"
    WRONG_EVENT = "wrong_event"
    NOT_ADMITTED_HERE = "not_admitted_here"
    CLOSED = "closed"
    NOT_INSIDE = "not_inside"


class Scan(Aggregate):
    """A recorded scan; its id comes from the device and the client's scan id (a nonce).

    Sending the same client scan id again finds this scan and gets its answer back.
    """

    @staticmethod
    def create_id(device_id: UUID, client_scan_id: str) -> UUID:
        """Return the id of the scan a device names `client_scan_id`."""
        return derived_id("scan", f"{device_id.hex}:{client_scan_id}")

    @event("Recorded")
    def __init__(
        self,
        device_id: UUID,
        client_scan_id: str,
        gathering_id: UUID,
        checkpoint: str,
        direction: str,
        token_fingerprint: str,
        registration_id: UUID | None,
        scanned_at: datetime,
        received_at: datetime,
        offline: bool,
        status: str,
        reason: str,
        answer: dict[str, Any],
    ) -> None:
        self.device_id = device_id
        self.client_scan_id = client_scan_id
        self.gathering_id = gathering_id
        self.checkpoint = checkpoint
        self.direction = direction
        self.registration_id = registration_id
        self.scanned_at = scanned_at
        self.received_at = received_at
        self.offline = offline
        self.status = ScanStatus(status)
        self.reason = reason
        self.answer = answer
