"""What the fonts cannot print of a guest's badge details, kept beside the guest-list row.

Computed with `printing.typefaces.uncovered` when a registration is submitted or corrected,
and stored as the characters themselves (each once, in order), so the console and the API
can count and filter guests whose badges would show a box before anything is printed. The
fonts' character maps load on the first call (once per process, about 0.1 s), never at import.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from printing.typefaces import uncovered

PRINTED_DETAILS = ("full_name", "name_zh", "organisation", "job_title")
"""The registration details a badge prints."""


def unprintable_text(*texts: str) -> str:
    """Return the characters of `texts` no font covers, each once, joined ('' if none)."""
    return "".join(uncovered(" ".join(texts)))


def unprintable_details(details: Mapping[str, Any]) -> str:
    """Return the characters of a registration's printed details no font covers."""
    return unprintable_text(*(str(details.get(name) or "") for name in PRINTED_DETAILS))
