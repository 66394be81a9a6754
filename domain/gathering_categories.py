"""The kinds of guest a gathering admits."""

from __future__ import annotations

from enum import StrEnum

from domain.errors import Term


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
    GuestCategory.GUEST: (Term("Guest"), "嘉賓"),
    GuestCategory.VIP: (Term("VIP"), "貴賓"),
    GuestCategory.SPEAKER: (Term("Speaker"), "講者"),
    GuestCategory.PRESS: (Term("Press"), "媒體"),
    GuestCategory.EXHIBITOR: (Term("Exhibitor"), "參展商"),
    GuestCategory.PARTNER: (Term("Partner"), "合作伙伴"),
    GuestCategory.STAFF: (Term("Staff"), "工作人員"),
}


def category_title(name: str) -> tuple[str, str]:
    """Return how a refusal names a category, in English and Chinese (e.g. VIP, 貴賓)."""
    return CATEGORY_TITLES.get(name, (name, name))  # type: ignore[call-overload]


def category_term(name: str) -> str:
    """Return the category's English title as a Term, for a refusal to name in any language."""
    return Term(category_title(name)[0])
