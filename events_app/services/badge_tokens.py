"""Signed badge tokens: compact, unforgeable, and small enough for a fast QR scan.

A token is 34 bytes written in RFC 4648 base32 (55 characters from the QR code's
alphanumeric set, so it fits a version 3 code at error correction M):

    version (1) | key id (1) | gathering tag (4) | registration id (16) | serial (2) | MAC (10)

The MAC is HMAC-SHA256, truncated to 80 bits, over everything before it, with the key
named by the key id; keys rotate by adding a new id. The serial counts badge reissues:
a scan of an older serial is answered `revoked`.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import struct
from dataclasses import dataclass
from uuid import UUID

VERSION = 1
MAC_BYTES = 10
BODY = struct.Struct(">BB4s16sH")
TOKEN_BYTES = BODY.size + MAC_BYTES
TOKEN_CHARS = 55
MAX_TOKEN_CHARS = 128


class InvalidBadge(ValueError):
    """The token is malformed, truncated, tampered with or signed with an unknown key."""


@dataclass(frozen=True)
class BadgeClaims:
    """What a genuine badge token says."""

    key_id: int
    gathering_tag: bytes
    registration_id: UUID
    serial: int

    def is_for(self, gathering_id: UUID) -> bool:
        """Tell whether the badge was issued for this gathering."""
        return hmac.compare_digest(self.gathering_tag, gathering_tag(gathering_id))


def gathering_tag(gathering_id: UUID) -> bytes:
    """Return the 4 bytes that name a gathering inside a token."""
    return gathering_id.bytes[:4]


class BadgeSigner:
    """Signs and verifies badge tokens with a set of keys, one of them current."""

    def __init__(self, keys: dict[int, bytes], current_key_id: int) -> None:
        if current_key_id not in keys:
            raise ValueError("the current badge key id has no key")
        if not all(0 <= kid <= 255 for kid in keys):
            raise ValueError("badge key ids are 0..255")
        self._keys = dict(keys)
        self._current = current_key_id

    def sign(self, gathering_id: UUID, registration_id: UUID, serial: int) -> str:
        """Return the token of a registration's badge."""
        return self._token(self._current, gathering_id, registration_id, serial)

    def genuine_tokens(self, gathering_id: UUID, registration_id: UUID, serial: int) -> list[str]:
        """Return every token that verifies for a registration: each key's, each serial's."""
        return [
            self._token(key_id, gathering_id, registration_id, n)
            for key_id in sorted(self._keys)
            for n in range(1, serial + 1)
        ]

    def _token(self, key_id: int, gathering_id: UUID, registration_id: UUID, serial: int) -> str:
        body = BODY.pack(
            VERSION, key_id, gathering_tag(gathering_id), registration_id.bytes, serial
        )
        return _encode(body + self._mac(key_id, body))

    def verify(self, token: str) -> BadgeClaims:
        """Return what a genuine token says, or raise InvalidBadge saying why not."""
        token = token.strip()
        if len(token) > MAX_TOKEN_CHARS:
            raise InvalidBadge("the code is far too long to be a badge")
        if len(token) != TOKEN_CHARS:
            raise InvalidBadge("the code is not a badge of this system (wrong length)")
        try:
            raw = base64.b32decode(token + "=" * (-len(token) % 8))
        except (binascii.Error, ValueError):
            raise InvalidBadge("the code is not a badge of this system") from None
        if len(raw) != TOKEN_BYTES or _encode(raw) != token:
            raise InvalidBadge("the code is not a badge of this system")
        body, mac = raw[: BODY.size], raw[BODY.size :]
        version, key_id, tag, rid, serial = BODY.unpack(body)
        if version != VERSION:
            raise InvalidBadge("the badge is of an unknown version")
        if key_id not in self._keys:
            raise InvalidBadge("the badge was signed with an unknown key")
        if not hmac.compare_digest(mac, self._mac(key_id, body)):
            raise InvalidBadge("the badge's signature is wrong (forged or damaged)")
        return BadgeClaims(key_id, tag, UUID(bytes=rid), serial)

    def _mac(self, key_id: int, body: bytes) -> bytes:
        return hmac.new(self._keys[key_id], body, hashlib.sha256).digest()[:MAC_BYTES]


def _encode(raw: bytes) -> str:
    return base64.b32encode(raw).decode().rstrip("=")


def signer_from_config(secret_key: str, configured: str) -> BadgeSigner:
    """Return the signer from BADGE_KEYS ("1:hex,2:hex", the highest id signs) or the secret."""
    keys: dict[int, bytes] = {}
    for item in filter(None, (part.strip() for part in configured.split(","))):
        kid, _, hex_key = item.partition(":")
        keys[int(kid)] = bytes.fromhex(hex_key)
    if not keys:
        keys = {1: hmac.new(secret_key.encode(), b"badge-key-1", hashlib.sha256).digest()}
    return BadgeSigner(keys, max(keys))


DIGEST_CHARS = 24


def door_digest(token: str) -> str:
    """Return what a door list holds of a token: 96 bits of its SHA-256, not the token.

    A door device checks a scanned code against these, so it refuses a forged or altered
    badge offline, yet its list gives no one a token to print.
    """
    return hashlib.sha256(token.encode("ascii")).hexdigest()[:DIGEST_CHARS]


def fingerprint(token: str) -> str:
    """Return a short digest that names a scanned code in records without storing it."""
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()[:16]
