"""A registration's history in plain words, in the page's language and the gathering's zone.

Each domain event of a registration becomes one line such as
"Tuesday 2 March 2027, 09:14 — Approved by organiser:olivia, over capacity".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

from flask_babel import gettext

from domain.common import GUEST, N_, SYSTEM
from events_app.pages.record_words import category_name, event_name, shown_time
from events_app.store.application import HistoryEntry


@dataclass(frozen=True)
class HistoryLine:
    """One event of a registration as an organiser reads it."""

    version: int
    at: str
    text: str
    kind: str

    @property
    def sentence(self) -> str:
        """Return the line with its time, e.g. '… 09:14 — Approved by …'."""
        return f"{self.at} — {self.text}"


SUBMITTED = {
    "pending": N_("Registered as %(category)s by %(who)s, awaiting approval"),
    "confirmed": N_("Registered as %(category)s by %(who)s, confirmed at once"),
    "waitlisted": N_(
        "Registered as %(category)s by %(who)s, put on the waitlist (the event was full)"
    ),
}
PLAIN = {
    "Approved": N_("Approved by %(who)s"),
    "Waitlisted": N_("Approved by %(who)s, but no seat was free: put on the waitlist"),
    "Promoted": N_("Promoted from the waitlist by %(who)s"),
}
WITH_REASON = {
    "Rejected": (N_("Rejected by %(who)s"), N_("Rejected by %(who)s: “%(reason)s”")),
    "Cancelled": (N_("Cancelled by %(who)s"), N_("Cancelled by %(who)s: “%(reason)s”")),
    "PersonalDataErased": (
        N_("Personal data erased by %(who)s"),
        N_("Personal data erased by %(who)s: “%(reason)s”"),
    ),
}
CORRECTED_FIELDS = {
    "full_name": N_("full name"),
    "name_zh": N_("Chinese name"),
    "organisation": N_("organisation"),
    "job_title": N_("job title"),
    "email": N_("e-mail"),
    "phone": N_("phone"),
    "dietary": N_("dietary requirements"),
    "accessibility": N_("accessibility needs"),
    "notes": N_("notes"),
    "category": N_("category"),
}


def format_time(at: datetime, zone: tzinfo) -> str:
    """Return `at` in `zone` as the page's language writes it."""
    return shown_time(at, zone if isinstance(zone, ZoneInfo) else ZoneInfo(str(zone)))


def actor_words(actor: str) -> str:
    """Return who did something, in the page's language (an organiser by their label)."""
    if actor == SYSTEM:
        return gettext("the system")
    if actor == GUEST:
        return gettext("the guest")
    return actor


def describe(entry: HistoryEntry) -> str:
    """Return one history entry in plain words, without its time."""
    who = actor_words(entry.actor)
    data = entry.data
    kind = entry.type
    if kind == "Submitted":
        category = category_name(str(data.get("category")))
        state = str(data.get("state"))
        if state in SUBMITTED:
            return gettext(SUBMITTED[state], category=category, who=who)
        return gettext("Registered as %(category)s by %(who)s", category=category, who=who)
    if kind == "Approved" and data.get("capacity_override"):
        return gettext("Approved by %(who)s, over capacity", who=who)
    if kind in PLAIN:
        return gettext(PLAIN[kind], who=who)
    if kind in WITH_REASON:
        plain, reasoned = WITH_REASON[kind]
        reason = str(data.get("reason") or "").strip()
        return gettext(reasoned, who=who, reason=reason) if reason else gettext(plain, who=who)
    if kind == "BadgeReissued":
        serial = data.get("serial")
        return gettext("Badge reissued (serial %(serial)s) by %(who)s", serial=serial, who=who)
    if kind == "Corrected":
        return corrected_words(data.get("changes") or {}, who)
    if kind == "AnswersChanged":
        return answers_words(data.get("changes") or {}, who)
    if kind == "Reinstated":
        if data.get("state") == "waitlisted":
            return gettext("Reinstated by %(who)s, on the waitlist (no seat was free)", who=who)
        return gettext("Reinstated by %(who)s, confirmed", who=who)
    return gettext("%(event)s by %(who)s", event=event_name(kind), who=who)


def corrected_words(changes: dict[str, Any], who: str) -> str:
    """Return e.g. 'Corrected by organiser:olivia: full name “Jon” → “John”'."""
    parts = []
    for name, (before, after) in changes.items():
        field = gettext(CORRECTED_FIELDS[name]) if name in CORRECTED_FIELDS else name
        if name == "category":
            before, after = category_name(before), category_name(after)
        parts.append(
            gettext(
                "%(field)s “%(before)s” → “%(after)s”",
                field=field,
                before=before or "—",
                after=after or "—",
            )
        )
    return gettext("Corrected by %(who)s: %(changes)s", who=who, changes=gettext("; ").join(parts))


def answer_words(value: Any) -> str:
    """Return a stored answer as a history line shows it (choices by key, yes or no)."""
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return "" if value is None else str(value)


def answers_words(changes: dict[str, Any], who: str) -> str:
    """Return e.g. 'Answers changed by organiser:olivia: dietary “none” → “halal”'."""
    parts = [
        gettext(
            "%(field)s “%(before)s” → “%(after)s”",
            field=key,
            before=answer_words(before) or "—",
            after=answer_words(after) or "—",
        )
        for key, (before, after) in changes.items()
    ]
    return gettext(
        "Answers changed by %(who)s: %(changes)s", who=who, changes=gettext("; ").join(parts)
    )


def plain_history(entries: list[HistoryEntry], zone: tzinfo) -> list[HistoryLine]:
    """Return a registration's history as lines to show, oldest first."""
    return [
        HistoryLine(
            version=entry.version,
            at=format_time(entry.at, zone),
            text=describe(entry),
            kind=entry.type.lower(),
        )
        for entry in entries
    ]
