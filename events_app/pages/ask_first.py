"""Irreversible actions ask first: a post without `confirm=yes` only shows what it would do.

Cancelling or rejecting a registration, withdrawing a firm, recording a signing or an award
cannot be undone, so one click must never do it. The button of such an action posts its
form as usual; the server answers that post, when it lacks the `confirm` field, with a page
saying exactly what will happen, that it cannot be undone, and a "Yes, ..." button that
posts the same fields again with `confirm=yes`. Only that second post acts. It works without
JavaScript, and a post without the field (a replayed or forged form, a double click) is
asked again, never acted on. Both entry points (the console and the guest pages) use this
module; the console renders its questions with `ask_first_macros.html`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from werkzeug.datastructures import MultiDict

FIELD = "confirm"
YES = "yes"


@dataclass(frozen=True)
class Question:
    """What an irreversible action asks before it runs, worded in the page's language."""

    title: str
    consequences: tuple[str, ...]
    """Each thing the action will do, one sentence each."""
    yes: str
    back: str
    """Where "No, go back" leads: the page the action was started from."""
    warning: str = ""
    """Why it cannot be undone, when more is to be said than "This cannot be undone."."""


def confirmed(form: MultiDict[str, str]) -> bool:
    """Tell whether the post carries the explicit yes of a confirmation page."""
    return form.get(FIELD) == YES


def carried(form: MultiDict[str, str], skip: Iterable[str] = ()) -> list[tuple[str, str]]:
    """Return the posted fields to post again from the confirmation page (not `confirm`)."""
    left_out = {FIELD, *skip}
    return [(name, value) for name, value in form.items(multi=True) if name not in left_out]
