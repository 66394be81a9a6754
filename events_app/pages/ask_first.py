"""Irreversible actions ask first: a post without `confirm=yes` only shows what it would do.

Cancelling or rejecting a registration, withdrawing a firm, recording a signing or an award
cannot be undone, so one click must never do it. The button of such an action posts its
form as usual; the server answers that post, when it lacks the `confirm` field, with a page
saying exactly what will happen, that it cannot be undone, and a "Yes, ..." button that
posts the same fields again with `confirm=yes`. Only that second post acts. It works without
JavaScript, and a post without the field (a replayed or forged form, a double click) is
asked again, never acted on. Both entry points (the console and the guest pages) use this
module; each renders the question in its own page frame with `ask_first_macros.html`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from werkzeug.datastructures import MultiDict

FIELD = "confirm"
YES = "yes"


@dataclass(frozen=True)
class Consequence:
    """One thing the action will do, in English and Chinese."""

    en: str
    zh: str


@dataclass(frozen=True)
class Question:
    """What an irreversible action asks before it runs."""

    title_en: str
    title_zh: str
    consequences: tuple[Consequence, ...]
    yes_en: str
    yes_zh: str
    back: str
    """Where "No, go back" leads: the page the action was started from."""
    warning_en: str = "This cannot be undone."
    warning_zh: str = "此操作無法撤銷。"


def confirmed(form: MultiDict[str, str]) -> bool:
    """Tell whether the post carries the explicit yes of a confirmation page."""
    return form.get(FIELD) == YES


def carried(form: MultiDict[str, str], skip: Iterable[str] = ()) -> list[tuple[str, str]]:
    """Return the posted fields to post again from the confirmation page (not `confirm`)."""
    left_out = {FIELD, *skip}
    return [(name, value) for name, value in form.items(multi=True) if name not in left_out]
