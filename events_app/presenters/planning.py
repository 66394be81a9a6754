"""Plain data of the exhibition, ceremonies and running order, ready for the API's schemas."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate

from domain.ceremony import Ceremony
from domain.exhibition import Exhibition, FirmState
from domain.running_order import RunningOrder
from events_app.presenters.common import json_safe
from events_app.read_models.printable import unprintable_text
from events_app.store.application import HistoryEntry

PLACED = (FirmState.ALLOCATED, FirmState.CONFIRMED)


def recorded_version(aggregate: Aggregate) -> int:
    """Return the version the store holds (0 for an aggregate not yet recorded)."""
    return aggregate.version - len(aggregate.pending_events)


# Exhibition ----------------------------------------------------------------------------


def firm_data(exhibition: Exhibition, firm_id: UUID) -> dict[str, Any]:
    """Return a firm with its staff-badge use."""
    firm = exhibition.firm(firm_id)
    staff = exhibition.staff_of(firm_id)
    return {
        **firm,
        "id": firm_id,
        "staff_taken": len(staff),
        "staff_left": max(firm["staff_quota"] - len(staff), 0),
        "staff_registration_ids": staff,
    }


def slot_data(exhibition: Exhibition, code: str) -> dict[str, Any]:
    """Return a slot with the firm in it, if any."""
    slot = exhibition.slot(code)
    firm_id = exhibition.firm_in(slot["code"])
    firm = exhibition.firm(firm_id) if firm_id else None
    return {
        **slot,
        "firm_id": firm_id,
        "firm_name_en": firm["name_en"] if firm else None,
        "firm_name_zh": firm["name_zh"] if firm else None,
    }


def firms_data(
    exhibition: Exhibition, states: list[str] | None = None, sectors: list[str] | None = None
) -> list[dict[str, Any]]:
    """Return the firms by name, filtered by state and sector."""
    firms = [
        firm_data(exhibition, UUID(f["id"]))
        for f in exhibition.firms.values()
        if (not states or f["state"] in states) and (not sectors or f["sector"] in sectors)
    ]
    return sorted(firms, key=lambda f: (f["name_en"].casefold(), f["name_zh"]))


def exhibition_data(exhibition: Exhibition) -> dict[str, Any]:
    """Return the whole exhibition: sectors, slots (by code) and firms (by name)."""
    firms = firms_data(exhibition)
    placed = [f for f in firms if f["state"] in PLACED]
    return {
        "gathering_id": exhibition.gathering_id,
        "version": recorded_version(exhibition),
        "sectors": exhibition.sectors,
        "slots": [slot_data(exhibition, code) for code in sorted(exhibition.slots)],
        "firms": firms,
        "free_slots": sorted(set(exhibition.slots) - set(exhibition.occupant)),
        "staff_quota": sum(f["staff_quota"] for f in placed),
        "staff_taken": sum(f["staff_taken"] for f in placed),
    }


# Ceremonies and the running order -------------------------------------------------------


def ceremony_data(ceremony: Ceremony) -> dict[str, Any]:
    """Return a ceremony with its items."""
    return {
        "id": ceremony.id,
        "gathering_id": ceremony.gathering_id,
        "kind": ceremony.kind.value,
        "title_en": ceremony.title_en,
        "title_zh": ceremony.title_zh,
        "starts_at": ceremony.starts_at,
        "location": ceremony.location,
        "state": ceremony.state.value,
        "items": [item_data(item) for item in ceremony.items],
        "completed_at": ceremony.completed_at,
        "completed_by": ceremony.completed_by,
        "updated_at": ceremony.updated_at,
        "version": recorded_version(ceremony),
    }


PERSON_PRINTED = ("name_en", "name_zh", "title", "organisation")
"""What a certificate or agreement prints of a signatory or recipient."""


def person_unprintable(person: dict[str, Any]) -> list[str]:
    """Return the characters of a person's printed details no font covers."""
    return list(unprintable_text(*(str(person.get(name, "")) for name in PERSON_PRINTED)))


def item_data(item: dict[str, Any]) -> dict[str, Any]:
    """Return a ceremony item with, for each person, the characters no font covers."""
    people = [{**p, "unprintable": person_unprintable(p)} for p in item.get("people", [])]
    return {**item, "people": people}


def agenda_data(running_order: RunningOrder) -> dict[str, Any]:
    """Return the running order by start time."""
    return {
        "gathering_id": running_order.gathering_id,
        "version": recorded_version(running_order),
        "items": running_order.in_order(),
    }


# Histories -----------------------------------------------------------------------------


def history_data(
    subject: str, changes: list[HistoryEntry], exhibition: Exhibition | None = None
) -> dict[str, Any]:
    """Return a history with each change summarised in words."""
    name = _firm_namer(exhibition)
    return {
        "subject": subject,
        "events": [
            {
                "version": c.version,
                "type": c.type,
                "summary": summarise(c, name),
                "at": c.at,
                "recorded_at": c.recorded_at,
                "actor": c.actor,
                "data": json_safe(c.data),
            }
            for c in changes
        ],
    }


def _firm_namer(exhibition: Exhibition | None) -> Callable[[str], str]:
    def name(firm_id: str) -> str:
        firm = exhibition.firms.get(firm_id) if exhibition else None
        if not firm:
            return f"firm {firm_id}"
        return " ".join(n for n in (firm["name_en"], firm["name_zh"]) if n)

    return name


def summarise(change: HistoryEntry, name: Callable[[str], str]) -> str:
    """Return one change in words, e.g. 'Force Sense Robotics moved from booth B07 to A03'."""
    d = change.data
    item = d.get("item") if isinstance(d.get("item"), dict) else {}
    texts: dict[str, Callable[[], str]] = {
        "SectorAdded": lambda: f"sector {d['sector']} added",
        "SlotDefined": lambda: "booth {code} defined: {sector}, {zone} {floor} {size}".format(
            **d["slot"]
        ).strip(),
        "SlotRemoved": lambda: f"booth {d['slot']} removed",
        "FirmApplied": lambda: f"{name(d['firm_id'])} applied",
        "FirmProfileChanged": lambda: f"profile of {name(d['firm_id'])} changed",
        "SlotAllocated": lambda: f"booth {d['slot']} allocated to {name(d['firm_id'])}",
        "FirmConfirmed": lambda: f"{name(d['firm_id'])} confirmed booth {d['slot']}",
        "FirmMoved": lambda: (
            f"{name(d['firm_id'])} moved from booth {d['from_slot']} to {d['to_slot']}"
        ),
        "FirmsSwapped": lambda: (
            f"{name(d['first_firm'])} (booth {d['first_slot']}) and {name(d['second_firm'])} "
            f"(booth {d['second_slot']}) swapped booths"
        ),
        "FirmWithdrawn": lambda: (
            f"{name(d['firm_id'])} withdrawn"
            + (f", booth {d['slot']} freed" if d.get("slot") else "")
            + (f": {d['reason']}" if d.get("reason") else "")
        ),
        "StaffBadgeTaken": lambda: (
            f"staff badge of {name(d['firm_id'])} taken by registration {d['registration_id']}"
        ),
        "StaffBadgeReleased": lambda: (
            f"staff badge of {name(d['firm_id'])} released by registration {d['registration_id']}"
        ),
        "StaffBadgeRequested": lambda: (
            f"staff badge of {name(d['firm_id'])} asked for, without the firm's code, by "
            f"registration {d['registration_id']} (waits for approval)"
        ),
        "StaffRequestDropped": lambda: (
            f"request for a staff badge of {name(d['firm_id'])} by registration "
            f"{d['registration_id']} dropped"
        ),
        "StaffCodeRenewed": lambda: f"staff code of {name(d['firm_id'])} renewed",
        "Planned": lambda: f"{d['kind']} ceremony planned: {d['title_en']}",
        "DetailsChanged": lambda: f"title, time or place changed: {d['title_en']}",
        "ItemAdded": lambda: f"item {item.get('reference')} added: {item.get('title_en')}",
        "ItemChanged": lambda: f"item {item.get('reference') or item.get('title_en')} changed",
        "ItemRemoved": lambda: f"item {d['item_id']} removed",
        "ItemsReordered": lambda: "items put in a new order",
        "MarkedReady": lambda: "documents approved: ready",
        "Completed": lambda: f"{d['state']} at {d['happened_at'].isoformat()}",
        "Withdrawn": lambda: "withdrawn" + (f": {d['reason']}" if d.get("reason") else ""),
        "ItemScheduled": lambda: f"scheduled: {item.get('title_en')} in {item.get('location')}",
        "CeremonyListed": lambda: f"ceremony {d['ceremony_id']} listed",
        "Opened": lambda: "opened",
    }
    try:
        return texts[change.type]() if change.type in texts else change.type
    except (KeyError, TypeError, AttributeError):
        return change.type
