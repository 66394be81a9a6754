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


CATEGORY_TITLES = {
    GuestCategory.GUEST: ("Guest", "嘉賓"),
    GuestCategory.VIP: ("VIP", "貴賓"),
    GuestCategory.SPEAKER: ("Speaker", "講者"),
    GuestCategory.PRESS: ("Press", "媒體"),
    GuestCategory.EXHIBITOR: ("Exhibitor", "參展商"),
    GuestCategory.PARTNER: ("Partner", "合作伙伴"),
    GuestCategory.STAFF: ("Staff", "工作人員"),
}


def category_title(name: str) -> tuple[str, str]:
    """Return how a refusal names a category, in English and Chinese (e.g. VIP, 貴賓)."""
    return CATEGORY_TITLES.get(name, (name, name))  # type: ignore[call-overload]
