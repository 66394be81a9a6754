"""The transcoding that seals personal data in events and snapshots, and opens it again.

A `PersonalData` is stored as its subject's id, its kind, its field names, the fields that
tell no one's identity (`public_fields`, in plain) and the rest as JSON sealed with
AES-256-GCM under the subject's key (a random 96-bit nonce; the subject's id as associated
data, so a sealed value cannot be moved to another subject). Read back without the key
(erased), it gives the erased placeholders. Events stored before sealing hold plain dicts
and still load as they are.
"""

from __future__ import annotations

import base64
import json
import os
from typing import Any
from uuid import UUID

from cryptography.exceptions import InvalidTag
from eventsourcing.persistence import Transcoding

from domain.personal import Kind, PersonalData, erased_values, public_fields
from events_app.store.personal_keys import NONCE_BYTES, PersonalKeys


class SealedPersonalData(Transcoding):
    """Seal `PersonalData` with its subject's key; open it, or give placeholders once erased."""

    type = PersonalData
    name = "personal_sealed"

    def __init__(self, keys: PersonalKeys) -> None:
        self._keys = keys

    def encode(self, obj: PersonalData) -> dict[str, Any]:
        """Return the stored form: who, what kind, which fields, the plain part, the seal."""
        subject = obj.subject.hex
        data = obj.plain()
        public = public_fields(obj.kind)
        kept = {k: v for k, v in data.items() if k in public}
        stored: dict[str, Any] = {"s": subject, "k": str(obj.kind), "f": list(data), "p": kept}
        if obj.erased:
            return {**stored, "e": True}
        if not data:
            return stored  # nothing to seal (e.g. no answers): no key needed
        cipher = self._keys.cipher(subject, create=True)
        if cipher is None:  # erased meanwhile (a tombstone): nothing of theirs is written
            return {**stored, "e": True}
        sealed = {k: v for k, v in data.items() if k not in public}
        nonce = os.urandom(NONCE_BYTES)
        text = json.dumps(sealed, ensure_ascii=False, separators=(",", ":")).encode()
        stored["c"] = base64.b64encode(nonce + cipher.encrypt(nonce, text, subject.encode()))
        stored["c"] = stored["c"].decode("ascii")
        return stored

    def decode(self, data: dict[str, Any]) -> PersonalData:
        """Return the personal data, or their erased placeholders when the key is gone."""
        subject = UUID(data["s"])
        kind = Kind(data["k"])
        kept = dict(data["p"])
        if not data["f"] and not data.get("e"):
            return PersonalData(subject, {}, kind)
        opened = None if data.get("e") else self._open(data["s"], data["c"])
        if opened is None:
            return PersonalData(
                subject, erased_values(kind, list(data["f"]), kept), kind, erased=True
            )
        values = {**opened, **kept}
        return PersonalData(subject, {name: values[name] for name in data["f"]}, kind)

    def _open(self, subject: str, sealed: str) -> dict[str, Any] | None:
        cipher = self._keys.cipher(subject)
        if cipher is None:
            return None
        raw = base64.b64decode(sealed)
        try:
            text = cipher.decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], subject.encode())
        except InvalidTag:
            return None  # sealed with a key since destroyed (and the subject given a new one)
        opened: dict[str, Any] = json.loads(text)
        return opened
