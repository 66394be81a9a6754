"""Firms' staff codes: derived, never stored, from the firm's id and its code generation.

A code is a truncated HMAC-SHA256, under the app's secret key, of the firm's id and the
generation of its code (1 when the firm applies; renewing in the console raises it, which
is the only thing the store records). So the console can always show the current code, the
old code stops working at once when it is renewed, and nobody can work a code out from the
firm's id. Changing the secret key changes every firm's code. Codes are ten characters of
Crockford's base32 (50 bits), shown as XXXXX-XXXXX; typing is forgiving about case, spaces,
dashes and O/0, I/L/1.
"""

from __future__ import annotations

import hashlib
import hmac
from uuid import UUID

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 10
MAX_TYPED = 40
_READS_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})


def normalised(typed: str) -> str:
    """Return a typed code the way codes are compared: upper case, no spaces or dashes."""
    return "".join(typed.split()).replace("-", "").upper().translate(_READS_AS)


class StaffCodes:
    """Derives and checks the firms' staff codes under one secret key."""

    def __init__(self, secret_key: str) -> None:
        self._key = secret_key.encode()

    def code_for(self, firm_id: UUID, generation: int) -> str:
        """Return the firm's staff code of this generation, e.g. 7KQ2M-XW9DA."""
        message = b"staff-code:" + firm_id.bytes + generation.to_bytes(4, "big")
        number = int.from_bytes(hmac.new(self._key, message, hashlib.sha256).digest()[:8], "big")
        chars = "".join(ALPHABET[(number >> (5 * i)) & 31] for i in range(LENGTH))
        return f"{chars[:5]}-{chars[5:]}"

    def check(self, firm_id: UUID, generation: int, typed: str | None) -> bool | None:
        """Return None for no code, else whether `typed` is the firm's current code."""
        if typed is None or not typed.strip():
            return None
        expected = normalised(self.code_for(firm_id, generation))
        return hmac.compare_digest(normalised(typed[:MAX_TYPED]).encode(), expected.encode())
