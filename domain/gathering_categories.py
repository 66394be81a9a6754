"""The kinds of guest a gathering admits."""

from __future__ import annotations

from enum import StrEnum


class GuestCategory(StrEnum):
    """The kinds of guest a gathering admits."""

    GUEST = "guest"
    VIP = "vip"
    SPEAKER = "speaker"
    PRESS = "press"
    EXHIBITOR = "exhibitor"
    PARTNER = "partner"
    STAFF = "staff"
