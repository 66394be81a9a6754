"""What the console shows of characters no font covers, before anything is printed.

Each character is named with its code point beside it (``𓀀 (U+13000)``), since the
organiser's own browser may lack a glyph for it too. Templates use the filter
``char_names`` and the globals ``person_unprintable`` and ``ceremony_unprintable``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask import Flask

from domain.ceremony import Ceremony
from events_app.presenters.planning import person_unprintable


def character_names(chars: Iterable[str]) -> str:
    """Return characters as the console names them: each with its code point, comma-separated."""
    return ", ".join(f"{char} (U+{ord(char):04X})" for char in chars)


def ceremony_unprintable(ceremony: Ceremony) -> int:
    """Return how many people of a ceremony's items have characters no font covers."""
    people: list[dict[str, Any]] = [p for item in ceremony.items for p in item.get("people", [])]
    return sum(1 for person in people if person_unprintable(person))


def init_app(app: Flask) -> None:
    """Give the console's templates the filter and globals above."""
    app.jinja_env.filters["char_names"] = character_names
    app.jinja_env.globals.update(
        person_unprintable=person_unprintable, ceremony_unprintable=ceremony_unprintable
    )
