"""Plain data of aggregates and read-model rows, ready for the API's schemas."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Any
from uuid import UUID

from domain.gathering import Gathering
from domain.guest_list import GuestList
from domain.registration import Registration
from domain.retention import erase_on
from events_app.read_models.guest_list import RegistrationRow
from events_app.read_models.printable import unprintable_details


def gathering_data(gathering: Gathering, guest_list: GuestList, now: datetime) -> dict[str, Any]:
    """Return a gathering with its seat figures."""
    confirmed = guest_list.confirmed_count()
    return {
        "id": gathering.id,
        "slug": gathering.slug,
        "title_en": gathering.title_en,
        "title_zh": gathering.title_zh,
        "venue": gathering.venue,
        "venue_zh": gathering.venue_zh,
        "timezone": gathering.timezone,
        "starts_at": gathering.starts_at,
        "ends_at": gathering.ends_at,
        "capacity": gathering.capacity,
        "registration_opens_at": gathering.registration_opens_at,
        "registration_closes_at": gathering.registration_closes_at,
        "registration_open": gathering.is_open_for_registration(now),
        "door_list_max_age_minutes": gathering.door_list_max_age_minutes,
        "retention_days": gathering.retention_days,
        "erase_on": erase_on(gathering),
        "categories": gathering.categories,
        "confirmed": confirmed,
        "seats_left": max(gathering.capacity - guest_list.taken_count(), 0),
        "held": guest_list.held_count(),
        "waitlisted": len(guest_list.waitlist),
    }


def registration_data(registration: Registration, guest_list: GuestList) -> dict[str, Any]:
    """Return a registration as the API shows it."""
    return registration_fields(registration, guest_list.waitlist_position(registration.id))


def registration_fields(
    registration: Registration, waitlist_position: int | None
) -> dict[str, Any]:
    """Return a registration as the API shows it, with its place on the waitlist."""
    return {
        "id": registration.id,
        "gathering_id": registration.gathering_id,
        **registration.details,
        "language": registration.language,
        "category": registration.category,
        "state": registration.state.value,
        "capacity_overridden": registration.capacity_overridden,
        "waitlist_position": waitlist_position,
        "submitted_at": registration.submitted_at,
        "updated_at": registration.updated_at,
        "answers": dict(registration.answers),
        "unprintable": list(unprintable_details(registration.details)),
    }


def row_data(row: RegistrationRow) -> dict[str, Any]:
    """Return a guest-list row as the API shows it."""
    data = asdict(row)
    data.pop("waitlist_seq")
    data["unprintable"] = list(row.unprintable)
    data["submitted_at"] = datetime.fromisoformat(row.submitted_at)
    data["updated_at"] = datetime.fromisoformat(row.updated_at)
    return data


def json_safe(value: Any) -> Any:
    """Return `value` with ids and times turned into strings."""
    if isinstance(value, dict):
        return {k: json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(v) for v in value]
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat()
    return value
