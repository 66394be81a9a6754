"""What a badge shows, as plain data: the guest, the gathering, the category's colours.

Callers (events_app) build ``BadgeData`` from a registration and need nothing else from
``printing``; ``printing.badges`` re-exports these names.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from printing.typefaces import HANT
from printing.wording import N_, Wording

Colour = tuple[float, float, float]
WHITE = (1.0, 1.0, 1.0)


def hex_colour(value: str) -> Colour:
    """Return an RGB triple (0-1) of a #RRGGBB colour."""
    value = value.lstrip("#")
    return (int(value[0:2], 16) / 255, int(value[2:4], 16) / 255, int(value[4:6], 16) / 255)


@dataclass(frozen=True)
class Category:
    """How a guest category is shown: its English label (a message), band and text colours."""

    english: str
    band: Colour
    text: Colour
    known: bool = True
    """Whether the label is a message of the print catalogue (it then has a Chinese half)."""

    def chinese(self, wording: Wording) -> str:
        """Return the Chinese half of the label ("" for a category the catalogue lacks)."""
        return wording.zh(self.english) if self.known else ""


CATEGORIES: dict[str, Category] = {
    "vip": Category(N_("VIP"), hex_colour("#1E1A16"), hex_colour("#E2C172")),
    "speaker": Category(N_("SPEAKER"), hex_colour("#B3261E"), WHITE),
    "press": Category(N_("PRESS"), hex_colour("#D9560B"), WHITE),
    "exhibitor": Category(N_("EXHIBITOR"), hex_colour("#23784A"), WHITE),
    "partner": Category(N_("PARTNER"), hex_colour("#6A2C91"), WHITE),
    "guest": Category(N_("GUEST"), hex_colour("#1F5FAD"), WHITE),
    "staff": Category(N_("STAFF"), hex_colour("#4A5563"), WHITE),
}


@dataclass(frozen=True)
class BadgeData:
    """What one badge shows; plain data, so that callers need nothing from printing."""

    full_name: str
    name_zh: str  # may be ""
    organisation: str
    job_title: str
    category: str  # guest, vip, speaker, press, exhibitor, partner, staff
    qr_payload: str  # the signed badge token, ~40-60 ASCII chars
    event_title_en: str
    event_title_zh: str
    event_date: str  # preformatted, e.g. "2 March 2026, 09:30"
    venue: str
    wording: Wording = field(kw_only=True)
    """The Chinese of the labels, in the script the guest registered in."""
    script: str = field(default=HANT, kw_only=True)
    """typefaces.HANT or HANS: the glyph forms of the badge's Chinese (HK or SC)."""


def category_style(category: str) -> Category:
    """Return how a category is shown (an unknown one in grey, under its own name)."""
    known = CATEGORIES.get(category.strip().lower())
    if known is not None:
        return known
    return Category(category.strip().upper() or "GUEST", hex_colour("#6B7280"), WHITE, known=False)
