"""Print runs of badges: one guest's badge, or every badge new or changed since the last run.

What was printed is recorded in the store (`domain.badge_prints.BadgePrints`), after the
PDF is written, so "since the last print" holds across restarts and gunicorn workers.
"""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.domain import Aggregate

from domain.badge_prints import BadgePrints, badge_edition
from domain.errors import NotFound
from domain.gathering import Gathering
from domain.registration import Registration
from events_app.services.badge_print import BadgeServices, registrations_to_print

KINDS = ("sheet", "single", "new")
"""A whole (or filtered) sheet, one guest's badge, or the badges due since the last run."""


def edition_of(registration: Registration) -> str:
    """Return the edition of the badge a registration has now."""
    return badge_edition(registration.badge_serial, registration.category, registration.details)


def prints_of(services: BadgeServices, gathering_id: UUID) -> BadgePrints | None:
    """Return the print record of a gathering, or None before its first print."""
    try:
        return services.box_office.load(BadgePrints, BadgePrints.create_id(gathering_id), "prints")
    except (NotFound, AggregateNotFoundError):
        return None


def due_badges(services: BadgeServices, gathering: Gathering) -> list[Registration]:
    """Return the confirmed guests whose current badge was never printed, by name."""
    rows = registrations_to_print(services, gathering, "name", [])
    found = [services.box_office.registration(UUID(row.id)) for row in rows]
    prints = prints_of(services, gathering.id)
    if prints is None:
        return found
    due = set(prints.due({r.id: edition_of(r) for r in found}))
    return [r for r in found if r.id in due]


def record_print(
    services: BadgeServices,
    gathering_id: UUID,
    registrations: Sequence[Registration],
    kind: str,
    actor: str,
) -> None:
    """Record that these guests' current badges were printed."""
    app = services.box_office
    editions = {r.id: edition_of(r) for r in registrations}

    def command() -> tuple[None, list[Aggregate]]:
        prints = prints_of(services, gathering_id) or BadgePrints(gathering_id=gathering_id)
        prints.record(editions, kind, app.clock(), actor)
        return None, [prints]

    app.execute(BadgePrints.create_id(gathering_id), command)
