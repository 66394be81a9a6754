"""The histories of the planning pages: each change in plain words, in the request's language.

The API words histories in English (events_app.presenters.planning); the pages say the
same changes from the planning catalogue. Names people typed (firms, titles, reasons)
stay as typed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from flask_babel import gettext

from domain.checkpoint import Checkpoint
from domain.common import N_
from domain.exhibition import Exhibition
from events_app.pages.console.planning_labels import (
    CEREMONY_KINDS,
    CEREMONY_STATES,
    category_name,
    shown,
    when,
)
from events_app.store.application import HistoryEntry

Namer = Callable[[str], str]
TEXTS = {
    "SectorAdded": N_("sector %(sector)s added"),
    "SlotDefined": N_("booth %(code)s defined: %(sector)s, %(zone)s %(floor)s %(size)s"),
    "SlotRemoved": N_("booth %(slot)s removed"),
    "FirmApplied": N_("%(firm)s applied"),
    "FirmProfileChanged": N_("profile of %(firm)s changed"),
    "SlotAllocated": N_("booth %(slot)s allocated to %(firm)s"),
    "FirmConfirmed": N_("%(firm)s confirmed booth %(slot)s"),
    "FirmMoved": N_("%(firm)s moved from booth %(from_slot)s to %(to_slot)s"),
    "FirmsSwapped": N_(
        "%(first)s (booth %(first_slot)s) and %(second)s (booth %(second_slot)s) swapped booths"
    ),
    "StaffBadgeTaken": N_("staff badge of %(firm)s taken by registration %(registration_id)s"),
    "StaffBadgeReleased": N_(
        "staff badge of %(firm)s released by registration %(registration_id)s"
    ),
    "StaffBadgeRequested": N_(
        "staff badge of %(firm)s asked for, without the firm's code, by registration "
        "%(registration_id)s (waits for approval)"
    ),
    "StaffRequestDropped": N_(
        "request for a staff badge of %(firm)s by registration %(registration_id)s dropped"
    ),
    "StaffCodeRenewed": N_("staff code of %(firm)s renewed"),
    "Planned": N_("%(kind)s ceremony planned: %(title)s"),
    "DetailsChanged": N_("title, time or place changed: %(title)s"),
    "ItemAdded": N_("item %(reference)s added: %(title)s"),
    "ItemChanged": N_("item %(reference)s changed"),
    "ItemRemoved": N_("item %(item_id)s removed"),
    "ItemsReordered": N_("items put in a new order"),
    "MarkedReady": N_("documents approved: ready"),
    "Completed": N_("%(state)s at %(when)s"),
    "ItemScheduled": N_("scheduled: %(title)s in %(location)s"),
    "CeremonyListed": N_("ceremony %(ceremony_id)s listed"),
    "Opened": N_("opened"),
    "CheckpointClosed": N_("checkpoint %(code)s closed: it admits no one"),
}
WITHDRAWN = N_("%(firm)s withdrawn")
FREED = N_(", booth %(slot)s freed")
WITHDRAWN_CEREMONY = N_("withdrawn")
REASON = N_(": %(reason)s")
CHECKPOINT = N_(
    "checkpoint %(code)s defined: %(names)s, admits %(categories)s, opens %(opens)s, "
    "closes %(closes)s"
)
NOTES = N_("; notes: %(notes)s")
WITH_GATHERING = N_("with the gathering")


def firm_namer(exhibition: Exhibition | None) -> Namer:
    """Return the names of a firm of the exhibition by its id (its id if unknown)."""

    def name(firm_id: str) -> str:
        firm = exhibition.firms.get(firm_id) if exhibition else None
        if not firm:
            return gettext("firm %(id)s", id=firm_id)
        return " ".join(n for n in (firm["name_en"], firm["name_zh"]) if n)

    return name


def history_rows(
    changes: Iterable[HistoryEntry], timezone: str, name: Namer | None = None
) -> list[dict[str, Any]]:
    """Return the changes newest first, each with its time and words."""
    namer = name or firm_namer(None)
    rows = [
        {"when": when(c.at, timezone), "summary": summary(c, namer, timezone), "actor": c.actor}
        for c in changes
    ]
    return list(reversed(rows))


def summary(change: HistoryEntry, name: Namer, timezone: str) -> str:
    """Return one change in words (its type when it cannot be worded)."""
    try:
        return _worded(change, name, timezone)
    except (KeyError, TypeError, AttributeError, ValueError):
        return change.type


def _worded(change: HistoryEntry, name: Namer, timezone: str) -> str:
    d = change.data
    if change.type == "FirmWithdrawn":
        text = gettext(WITHDRAWN, firm=name(d["firm_id"]))
        text += gettext(FREED, slot=d["slot"]) if d.get("slot") else ""
        return text + (gettext(REASON, reason=d["reason"]) if d.get("reason") else "")
    if change.type == "Withdrawn":
        reason = gettext(REASON, reason=d["reason"]) if d.get("reason") else ""
        return gettext(WITHDRAWN_CEREMONY) + reason
    if change.type == "CheckpointDefined":
        return _checkpoint(Checkpoint.from_dict(d["checkpoint"]), timezone)
    if change.type not in TEXTS:
        return change.type
    return gettext(TEXTS[change.type], **_params(change, name, timezone)).strip()


def _params(change: HistoryEntry, name: Namer, timezone: str) -> dict[str, Any]:
    d = change.data
    item = d.get("item") if isinstance(d.get("item"), dict) else {}
    params: dict[str, Any] = {k: v for k, v in d.items() if isinstance(v, str | int)}
    if "firm_id" in d:
        params["firm"] = name(d["firm_id"])
    if change.type == "FirmsSwapped":
        params.update(first=name(d["first_firm"]), second=name(d["second_firm"]))
    if change.type == "SlotDefined":
        params.update({k: v or "" for k, v in d["slot"].items()})
    if change.type == "Planned":
        params.update(kind=shown(CEREMONY_KINDS, d["kind"]), title=d["title_en"])
    if change.type == "DetailsChanged":
        params["title"] = d["title_en"]
    if item:
        reference = item.get("reference") or item.get("title_en")
        params.update(reference=reference, title=item.get("title_en"))
        params["location"] = item.get("location")
    if change.type == "Completed":
        params.update(
            state=shown(CEREMONY_STATES, d["state"]), when=when(d["happened_at"], timezone)
        )
    return params


def _checkpoint(checkpoint: Checkpoint, timezone: str) -> str:
    notes = "; ".join(f"{category_name(c)}: {n}" for c, n in checkpoint.category_notes.items())
    names = " ".join(n for n in (checkpoint.name_en, checkpoint.name_zh) if n)
    text = gettext(
        CHECKPOINT,
        code=checkpoint.code,
        names=names,
        categories=", ".join(category_name(c) for c in checkpoint.categories),
        opens=_time(checkpoint.opens_at, timezone),
        closes=_time(checkpoint.closes_at, timezone),
    )
    return text + (gettext(NOTES, notes=notes) if notes else "")


def _time(value: Any, timezone: str) -> str:
    return when(value, timezone) if value is not None else gettext(WITH_GATHERING)
