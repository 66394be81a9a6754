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


class TokenRefused(Exception):
    """The store's device no longer takes the token its process's copy took (see `confirmed`)."""


def device_id_of(token: str) -> UUID | None:
    """Return the device id a device token names, or None if it is no device token."""
    if not token.startswith(TOKEN_PREFIX):
        return None
    device_hex, _, _secret = token[len(TOKEN_PREFIX) :].partition("_")
    try:
        return UUID(hex=device_hex)
    except ValueError:
        return None


def _takes(device: DoorDevice, token: str) -> bool:
    """Tell whether the device is enrolled with this token."""
    if device.token_digest is None:
        return False
    return hmac.compare_digest(device.token_digest, token_digest(token))


def genuine(device: DoorDevice, token: str) -> DoorDevice | None:
    """Return the device if it takes this token (None if not); raise if it is revoked."""
    if not _takes(device, token):
        return None
    if device.is_revoked:
        raise DeviceRevoked("this device has been revoked; ask an organiser")
    return device


def confirmed(device: DoorDevice, now: DoorDevice | None) -> DoorDevice:
    """Return the device as the store has it `now`, if nothing refuses it since `device`.

    `device` is the one the request was let in with; `now` the same device read afterwards
    (None if the store has no such device). A device revoked since is refused as
    `authenticate` refuses it, one whose token changed since raises TokenRefused.
    """
    if now is None or now.token_digest != device.token_digest:
        raise TokenRefused(device.id)
    if now.is_revoked and not device.is_revoked:
        raise DeviceRevoked("this device has been revoked; ask an organiser")
    return now


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
        device_id = device_id_of(token)
        if device_id is None:
            return None
        try:
            device = self._app.read(DoorDevice, device_id, "device")
        except NotFound:
            return None
        return genuine(device, token)

    def authenticate_kept(self, token: str) -> DoorDevice | None:
        """Like `authenticate`, but the process's copy of the device vouches for the token.

        Without a query: for requests whose service reads the device again, with what it
        reads anyway, and refuses it there if it was revoked meanwhile (`confirmed`, as the
        scans of `CheckIn` do). A process that keeps no copy (its first request of the
        device), or whose copy refuses the token, reads the device as `authenticate` does.
        """
        device_id = device_id_of(token)
        kept = None if device_id is None else self._app.kept(DoorDevice, device_id)
        if kept is not None and not kept.is_revoked and _takes(kept, token):
            return kept
        return self.authenticate(token)

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
