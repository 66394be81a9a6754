"""Door devices: registration by an organiser, one-time enrolment, authentication, revocation."""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta
from uuid import UUID

from domain.door_device import DoorDevice
from domain.errors import DeviceRevoked, NotFound
from events_app.services.box_office import BoxOffice
from events_app.services.credentials import token_digest

SETUP_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
SETUP_LENGTH = 10
TOKEN_PREFIX = "dev_"  # noqa: S105 (a prefix that tells device tokens apart, not a secret)


@dataclass(frozen=True)
class NewDevice:
    """A registered device and its one-time set-up code (shown once)."""

    device: DoorDevice
    setup_code: str


@dataclass(frozen=True)
class Enrolment:
    """An enrolled device and its bearer token (shown once)."""

    device: DoorDevice
    token: str


def normalise_setup_code(code: str) -> str:
    """Return a set-up code as stored: upper case, without spaces or dashes."""
    return "".join(ch for ch in code.upper() if ch.isalnum())


def format_setup_code(code: str) -> str:
    """Return a set-up code as shown to people, e.g. ABCDE-FGHJK."""
    return f"{code[:5]}-{code[5:]}"


class DoorDevices:
    """What organisers and door pages do with devices."""

    def __init__(self, app: BoxOffice) -> None:
        self._app = app

    def register(self, slug: str, name: str, valid_for: timedelta, actor: str) -> NewDevice:
        """Register a device for a gathering and return its one-time set-up code."""
        gathering = self._app.gathering(slug)
        code = "".join(secrets.choice(SETUP_ALPHABET) for _ in range(SETUP_LENGTH))
        at = self._app.clock()
        device = DoorDevice(
            setup_code_digest=token_digest(code),
            gathering_id=gathering.id,
            name=name,
            setup_expires_at=at + valid_for,
            at=at,
            actor=actor,
        )
        self._app.save(device)
        return NewDevice(device, code)

    def enrol(self, setup_code: str) -> Enrolment:
        """Take a set-up code (once) and return the device's bearer token."""
        digest = token_digest(normalise_setup_code(setup_code))
        device = self._load(DoorDevice.create_id(digest), "set-up code")
        secret = secrets.token_urlsafe(24)
        token = f"{TOKEN_PREFIX}{device.id.hex}_{secret}"

        def command() -> tuple[Enrolment, list[DoorDevice]]:
            fresh = self._load(device.id, "set-up code")
            fresh.enrol(token_digest(token), self._app.clock())
            return Enrolment(fresh, token), [fresh]

        return self._app.execute(device.id, command)

    def authenticate(self, token: str) -> DoorDevice | None:
        """Return the device this bearer token belongs to, if it is genuine."""
        if not token.startswith(TOKEN_PREFIX):
            return None
        device_hex, _, _secret = token[len(TOKEN_PREFIX) :].partition("_")
        try:
            device = self._app.read(DoorDevice, UUID(hex=device_hex), "device")
        except (ValueError, NotFound):
            return None
        if device.token_digest is None:
            return None
        if not hmac.compare_digest(device.token_digest, token_digest(token)):
            return None
        if device.is_revoked:
            raise DeviceRevoked("this device has been revoked; ask an organiser")
        return device

    def revoke(self, device_id: UUID, actor: str) -> DoorDevice:
        """Revoke a device at once."""
        device = self._load(device_id, "device")
        device.revoke(self._app.clock(), actor)
        self._app.save(device)
        return device

    def device(self, device_id: UUID) -> DoorDevice:
        """Return one device."""
        return self._load(device_id, "device")

    def _load(self, device_id: UUID, what: str) -> DoorDevice:
        return self._app.load(DoorDevice, device_id, what)
