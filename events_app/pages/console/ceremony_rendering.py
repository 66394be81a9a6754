"""What the ceremonies pages show: the list with its plan form, and one ceremony's page."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from flask import url_for

from domain.ceremony import Ceremony, CeremonyState
from events_app.context import services
from events_app.pages.console.ceremony_item_form import item_values
from events_app.pages.console.common import gathering_or_404, parse_uuid, render_console
from events_app.pages.console.planning_forms import found_or_404, local_input
from events_app.pages.console.planning_history import history_rows
from events_app.pages.console.planning_labels import CEREMONY_KINDS, CEREMONY_STATES
from events_app.presenters.planning import recorded_version
from events_app.services.planning import Planning

LOCKED = (CeremonyState.SIGNED, CeremonyState.AWARDED)


def planning() -> Planning:
    """Return the planning service."""
    return services().planning


def zone_of(slug: str) -> ZoneInfo:
    """Return the gathering's time zone (404 for an unknown gathering)."""
    return ZoneInfo(gathering_or_404(slug).timezone)


def ceremony_or_404(slug: str, raw: str) -> Ceremony:
    """Return the ceremony a URL names, or answer 404."""
    zone_of(slug)
    ceremony_id = parse_uuid(raw)
    return found_or_404(lambda: planning().ceremony(slug, ceremony_id))  # type: ignore[no-any-return]


def page_of(slug: str, ceremony: Ceremony) -> str:
    """Return the address of a ceremony's page."""
    return url_for("console_ceremonies.ceremony", slug=slug, ceremony_id=ceremony.id)


def plan_values(zone: ZoneInfo, slug: str) -> dict[str, str]:
    """Return the empty plan form: a signing at the start of the gathering."""
    return {
        "kind": "signing",
        "starts_at": local_input(gathering_or_404(slug).starts_at, zone),
    }


def render_list(
    slug: str, values: dict[str, Any] | None = None, errors: dict[str, str] | None = None
) -> str:
    """Render the list of ceremonies with the plan form."""
    zone = zone_of(slug)
    return render_console(
        "console/ceremonies.html",
        slug,
        ceremonies=planning().ceremonies(slug),
        kinds=CEREMONY_KINDS,
        states=CEREMONY_STATES,
        values=values or plan_values(zone, slug),
        errors=errors or {},
    )


def details_values(ceremony: Ceremony, zone: ZoneInfo) -> dict[str, str]:
    """Return the details form filled with the ceremony's current details."""
    return {
        "title_en": ceremony.title_en,
        "title_zh": ceremony.title_zh,
        "starts_at": local_input(ceremony.starts_at, zone),
        "location": ceremony.location,
    }


def render_ceremony(
    slug: str,
    ceremony: Ceremony,
    *,
    form: str = "",
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
) -> str:
    """Render a ceremony's page; `form` names the form shown again with `values`, `errors`."""
    zone = zone_of(slug)
    changes = planning().history_of_ceremony(slug, ceremony.id)
    return render_console(
        "console/ceremony.html",
        slug,
        ceremony=ceremony,
        version=recorded_version(ceremony),
        locked=ceremony.state in LOCKED,
        editable=ceremony.state not in (*LOCKED, CeremonyState.WITHDRAWN),
        kinds=CEREMONY_KINDS,
        states=CEREMONY_STATES,
        details=values if form == "details" else details_values(ceremony, zone),
        new_item=values if form == "new-item" else item_values(None),
        item_forms={
            item["id"]: values if form == f"item-{item['id']}" else item_values(item)
            for item in ceremony.items
        },
        form=form,
        errors=errors or {},
        history=history_rows(changes, zone.key),
        now_local=local_input(services().box_office.clock(), zone),
    )
