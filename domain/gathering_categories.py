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


CATEGORY_TERMS = {
    GuestCategory.GUEST: Term("Guest"),
    GuestCategory.VIP: Term("VIP"),
    GuestCategory.SPEAKER: Term("Speaker"),
    GuestCategory.PRESS: Term("Press"),
    GuestCategory.EXHIBITOR: Term("Exhibitor"),
    GuestCategory.PARTNER: Term("Partner"),
    GuestCategory.STAFF: Term("Staff"),
}
"""Each category's English title, a Term a refusal names in the reader's language."""


def category_term(name: str) -> str:
    """Return the category's English title as a Term, for a refusal to name in any language."""
    return CATEGORY_TERMS.get(name, Term(name))  # type: ignore[call-overload]
