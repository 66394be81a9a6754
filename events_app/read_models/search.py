"""The guest list's search: names, e-mail and organisation folded into one script and case.

A registration's `search_text` is its searched fields joined and folded by
`search_key` (lower case, Traditional → Simplified); a query is folded the same way, so
黄秉 finds 黃秉修, 黃偉 finds 黄伟 and 香港科技园 finds 香港科技園.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from events_app.languages.scripts import search_key

SEARCHED = ("full_name", "name_zh", "email", "organisation", "job_title")
"""The registration fields a search looks in."""


def search_text(values: Iterable[Any]) -> str:
    """Return the searched values joined and folded for search."""
    return search_key(" ".join(str(value) for value in values))


def details_text(details: Mapping[str, Any]) -> str:
    """Return the search text of a registration's details."""
    return search_text(details.get(key, "") for key in SEARCHED)


def escape_like(text: str) -> str:
    """Return `text` with LIKE's wildcards escaped by a backslash (see the ESCAPE clause)."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def like_clause(column: str, text: str) -> tuple[str, str]:
    """Return the condition that `column` holds the folded `text`, and its parameter."""
    return f"{column} LIKE ? ESCAPE '\\'", f"%{escape_like(search_key(text.strip()))}%"
