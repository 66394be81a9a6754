"""The keys of personal data: one AES-256-GCM key per subject, kept beside the event log.

A subject is a registration or an invitation. Its key lives in the table `personal_keys`
of the same database as the events (a dict in memory), never in an event: destroying the
row is what makes that subject's sealed events unreadable ("crypto-shredding"). With a
master key set (PERSONAL_DATA_MASTER_KEY) each stored key is itself sealed with it, so a
copy of the database alone opens nothing. A key is committed in its own transaction before
the first event sealed with it is written; a key whose events never got saved is harmless.

Opened keys are cached per process (an LRU of `CACHED_KEYS`, each kept `CACHE_SECONDS`),
so loading a registration at the door costs no query: another process that erased a
subject is heard of within that time (the erased registration itself reads erased at once
everywhere, through its PersonalDataErased event).
"""

from __future__ import annotations

import base64
import os
import threading
import time
from collections import OrderedDict
from datetime import UTC, datetime

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from events_app.store.key_rows import Rows, rows_for

KEY_BYTES = 32
NONCE_BYTES = 12
CACHED_KEYS = 4096
CACHE_SECONDS = 60.0
PEPPER_SUBJECT = "pepper:email"
"""The row holding the install's secret for the guest lists' keyed e-mail hashes."""


class MasterKeyError(ValueError):
    """PERSONAL_DATA_MASTER_KEY is not the base64 of 32 bytes, or does not open the keys."""


def parse_master_key(text: str) -> bytes | None:
    """Return the master key given as base64 (None when unset), or raise MasterKeyError."""
    if not text.strip():
        return None
    try:
        key = base64.b64decode(text.strip(), validate=True)
    except ValueError:
        raise MasterKeyError("PERSONAL_DATA_MASTER_KEY must be base64") from None
    if len(key) != KEY_BYTES:
        raise MasterKeyError("PERSONAL_DATA_MASTER_KEY must be 32 bytes (base64)")
    return key


class PersonalKeys:
    """Make, open and destroy the subjects' keys (cached per process; see the module)."""

    def __init__(self, rows: Rows, master_key: bytes | None = None) -> None:
        self._rows = rows
        self._master = AESGCM(master_key) if master_key else None
        self._cache: OrderedDict[str, tuple[float, AESGCM]] = OrderedDict()
        self._destroyed: set[str] = set()
        """Subjects destroyed by this process: never cached again (a read racing the delete)."""
        self._lock = threading.Lock()

    def cipher(self, subject: str, *, create: bool = False) -> AESGCM | None:
        """Return the subject's cipher (made first if `create`); None once destroyed."""
        now = time.monotonic()
        with self._lock:
            cached = self._cache.get(subject)
            if cached is not None and now - cached[0] < CACHE_SECONDS:
                self._cache.move_to_end(subject)
                return cached[1]
        stored = self._rows.get(subject)
        if stored is None and create:
            self._rows.insert(subject, self._wrap(subject, AESGCM.generate_key(256)), _now())
            stored = self._rows.get(subject)
        if stored is None:
            self.forget(subject)
            return None
        cipher = AESGCM(self._unwrap(subject, stored))
        with self._lock:
            if subject in self._destroyed:
                return cipher
            self._cache[subject] = (now, cipher)
            self._cache.move_to_end(subject)
            while len(self._cache) > CACHED_KEYS:
                self._cache.popitem(last=False)
        return cipher

    def destroy(self, subject: str) -> bool:
        """Delete the subject's key for good; tell whether it had one."""
        with self._lock:
            self._destroyed.add(subject)
        self.forget(subject)
        deleted = self._rows.delete(subject)
        self.forget(subject)
        return deleted

    def forget(self, subject: str) -> None:
        """Drop the subject's key from this process's cache."""
        with self._lock:
            self._cache.pop(subject, None)

    def secret(self, subject: str) -> bytes:
        """Return a lasting install secret (e.g. the e-mail pepper), made on first use."""
        stored = self._rows.get(subject)
        if stored is None:
            self._rows.insert(subject, self._wrap(subject, os.urandom(KEY_BYTES)), _now())
            stored = self._rows.get(subject)
        assert stored is not None
        return self._unwrap(subject, stored)

    def rewrap(self, master_key: bytes | None) -> int:
        """Seal every stored key under a new master key (None: none), at once; count them.

        Every key is opened with the current master key first: one that does not open
        stops the whole change (MasterKeyError) and nothing is rewritten. Other processes
        still holding the old master key must be stopped first and restarted with the new.
        """
        new = PersonalKeys(self._rows, master_key)
        changed = self._rows.rewrite(lambda s, stored: new._wrap(s, self._unwrap(s, stored)))
        self._master = new._master
        with self._lock:
            self._cache.clear()
        return changed

    def close(self) -> None:
        """Release connections."""
        self._rows.close()

    def _wrap(self, subject: str, key: bytes) -> bytes:
        if self._master is None:
            return key
        nonce = os.urandom(NONCE_BYTES)
        return b"M1" + nonce + self._master.encrypt(nonce, key, subject.encode())

    def _unwrap(self, subject: str, stored: bytes) -> bytes:
        if len(stored) == KEY_BYTES:
            return stored  # made without a master key
        if self._master is None:
            raise MasterKeyError("the personal data keys are sealed: set the master key")
        try:
            return self._master.decrypt(stored[2:14], stored[14:], subject.encode())
        except InvalidTag:
            raise MasterKeyError("PERSONAL_DATA_MASTER_KEY does not open the keys") from None


def _now() -> str:
    return datetime.now(UTC).isoformat()


def open_keys(env: dict[str, str], master_key: bytes | None = None) -> PersonalKeys:
    """Return the key store beside the events that eventsourcing's settings `env` select."""
    return PersonalKeys(rows_for(env), master_key)
