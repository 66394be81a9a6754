"""Door lists: what a door device holds to judge badges offline as the server would.

A device syncs its gathering's list: all of it first, then only the rows changed since
the version it holds, every few seconds while online. A row names the registration, its
state, category, names and where the guest is inside, and the digests of its genuine
badge tokens (`door_digest`): the device refuses a forged, altered or replaced badge
offline without holding a key that could make one. A guest whose personal data were erased
comes in a list of changes as `removed` only: the device deletes them, and answers their
badge `unknown` since, as the server does. The answer is sealed with an HMAC
keyed by the device's own token digest, so a damaged or altered answer is refused.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from domain.door_device import DoorDevice
from domain.errors import DomainError
from domain.gathering import Gathering
from events_app.read_models.door_list_view import DoorListView
from events_app.services.badge_tokens import BadgeSigner, door_digest
from events_app.services.box_office import BoxOffice

SYNC_SECONDS = 5
"""How often an online device asks for changes: a cancellation reaches it within 10 s."""
MAC_HEADER = "X-Door-List-MAC"
DIGESTS_HELD = 200_000
"""Rows whose badge digests a process keeps, so a full sync does not sign every badge again."""


class DoorListAhead(DomainError):
    """The device holds a version this store never reached (another store, or a replay)."""

    code = "door_list_ahead"


@dataclass(frozen=True)
class DoorListSync:
    """One sync answer: its JSON body, and the body's seal for the device."""

    body: bytes
    mac: str


def seal(device: DoorDevice, body: bytes) -> str:
    """Return the HMAC-SHA256 of an answer, keyed by the device's token digest (hex)."""
    key = (device.token_digest or "").encode("ascii")
    return hmac.new(key, body, hashlib.sha256).hexdigest()


class DoorLists:
    """Builds the sync answers of door devices."""

    def __init__(self, app: BoxOffice, view: DoorListView, signer: BadgeSigner) -> None:
        self._app = app
        self._view = view
        self._signer = signer
        self._digests: dict[tuple[UUID, str, int], tuple[str, ...]] = {}

    def sync(self, device: DoorDevice, since: int) -> DoorListSync:
        """Return the device's gathering's rows changed after `since`, sealed."""
        gathering = self._app.read(Gathering, device.gathering_id, "gathering")
        found = self._view.changed_since(str(gathering.id), since)
        if since > found.version:
            raise DoorListAhead(
                "the device's list is at version %(since)s, beyond this server's %(version)s: "
                "sync again from 0",
                field="since",
                since=since,
                version=found.version,
            )
        payload = {
            "gathering_id": str(gathering.id),
            "version": found.version,
            "since": since,
            "full": since == 0,
            "count": found.count,
            "synced_at": self._app.clock().isoformat(),
            "sync_seconds": SYNC_SECONDS,
            "max_age_minutes": gathering.door_list_max_age_minutes,
            "entries": [self._entry(gathering.id, row) for row in found.rows],
        }
        body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        return DoorListSync(body, seal(device, body))

    def _entry(self, gathering_id: UUID, row: dict[str, Any]) -> dict[str, Any]:
        if row.get("removed"):
            return row  # an erased guest: the device forgets them
        return {**row, "badges": self._badges(gathering_id, row["registration_id"], row["serial"])}

    def _badges(self, gathering_id: UUID, registration_id: str, serial: int) -> tuple[str, ...]:
        """Return the digests of a row's genuine tokens (the signer's keys never change)."""
        key = (gathering_id, registration_id, serial)
        held = self._digests.get(key)
        if held is None:
            if len(self._digests) >= DIGESTS_HELD:
                self._digests.clear()
            tokens = self._signer.genuine_tokens(gathering_id, UUID(registration_id), serial)
            held = self._digests[key] = tuple(door_digest(t) for t in tokens)
        return held
