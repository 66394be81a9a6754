"""A door device: a phone or laptop that door staff scan badges with."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.common import derived_id
from domain.errors import (
    DeviceRevoked,
    InvalidTransition,
    InvalidValue,
    SetupCodeExpired,
    SetupCodeUsed,
)


class DoorDevice(Aggregate):
    """A scanning device of one gathering, enrolled with a one-time set-up code.

    Its id is derived from the digest of its set-up code, so the door page finds the
    device from the code alone; the code is kept only as that digest.
    """

    @staticmethod
    def create_id(setup_code_digest: str) -> UUID:
        """Return the id of the device whose set-up code has this digest."""
        return derived_id("door-device", setup_code_digest)

    @event("Registered")
    def __init__(
        self,
        setup_code_digest: str,
        gathering_id: UUID,
        name: str,
        setup_expires_at: datetime,
        at: datetime,
        actor: str,
    ) -> None:
        self.gathering_id = gathering_id
        self.name = name
        self.setup_expires_at = setup_expires_at
        self.token_digest: str | None = None
        self.enrolled_at: datetime | None = None
        self.revoked_at: datetime | None = None
        self.invalid_scans_counted = 0

    @property
    def is_enrolled(self) -> bool:
        """Tell whether the device has taken its set-up code."""
        return self.token_digest is not None

    @property
    def is_revoked(self) -> bool:
        """Tell whether the device has been revoked."""
        return self.revoked_at is not None

    @property
    def label(self) -> str:
        """Return how the device is named in the history of what it did."""
        return f"device:{self.name}#{str(self.id)[:8]}"

    def enrol(self, token_digest: str, at: datetime) -> None:
        """Take the one-time set-up code and bind the device's bearer token."""
        if self.is_revoked:
            raise DeviceRevoked("this device has been revoked")
        if self.is_enrolled:
            raise SetupCodeUsed("this set-up code has been used already", field="setup_code")
        if at >= self.setup_expires_at:
            raise SetupCodeExpired(
                "this set-up code has expired; ask an organiser for a new one",
                field="setup_code",
            )
        self._enrol(token_digest=token_digest, at=at)

    @event("Enrolled")
    def _enrol(self, token_digest: str, at: datetime) -> None:
        self.token_digest = token_digest
        self.enrolled_at = at

    def revoke(self, at: datetime, actor: str) -> None:
        """Stop the device at once: its token and set-up code no longer work."""
        if self.is_revoked:
            raise InvalidTransition("this device is already revoked")
        self._revoke(at=at, actor=actor)

    @event("Revoked")
    def _revoke(self, at: datetime, actor: str) -> None:
        self.revoked_at = at

    def count_invalid_scans(
        self,
        gathering_id: UUID,
        window_start: datetime,
        count: int,
        statuses: dict[str, int],
        at: datetime,
    ) -> None:
        """Record how many invalid badges it scanned in a window beyond the samples kept."""
        if count < 1 or sum(statuses.values()) != count:
            raise InvalidValue("a count of invalid scans is positive and adds up its statuses")
        self._count_invalid_scans(
            gathering_id=gathering_id,
            window_start=window_start,
            count=count,
            statuses=statuses,
            at=at,
        )

    @event("InvalidScansCounted")
    def _count_invalid_scans(
        self,
        gathering_id: UUID,
        window_start: datetime,
        count: int,
        statuses: dict[str, int],
        at: datetime,
    ) -> None:
        self.invalid_scans_counted += count
