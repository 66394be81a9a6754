"""What the exhibition page's forms name: a firm, a booth, checked against the exhibition."""

from __future__ import annotations

from uuid import UUID
from zoneinfo import ZoneInfo

from flask import abort, request
from flask_babel import gettext

from domain.exhibition import Exhibition
from events_app.pages.console.common import gathering_or_404, parse_uuid
from events_app.pages.console.planning_forms import FormInvalid, load_form
from events_app.schemas.exhibition import SlotRefSchema


def firm_or_404(exhibition: Exhibition, raw: str) -> UUID:
    """Return the id of a firm of this exhibition named in the URL, or answer 404."""
    firm_id = parse_uuid(raw)
    if firm_id.hex not in exhibition.firms:
        abort(404)
    return firm_id


def slot_of(exhibition: Exhibition, firm_id: UUID) -> str | None:
    """Return the booth a firm holds now, if any."""
    return exhibition.firm(firm_id)["slot"]  # type: ignore[no-any-return]


def slot_field(slug: str) -> str:
    """Return the booth code of the form, checked, or raise FormInvalid."""
    zone = render_zone(slug)
    return str(load_form(SlotRefSchema(), {"slot": request.form.get("slot", "")}, zone)["slot"])


def render_zone(slug: str) -> ZoneInfo:
    """Return the gathering's time zone."""
    return ZoneInfo(gathering_or_404(slug).timezone)


def form_firm(exhibition: Exhibition, field: str) -> UUID:
    """Return the firm a select of the form names, or raise FormInvalid naming the field."""
    raw = request.form.get(field, "").strip()
    try:
        firm_id = UUID(raw)
    except ValueError:
        raise FormInvalid({field: gettext("choose a firm")}) from None
    if firm_id.hex not in exhibition.firms:
        raise FormInvalid({field: gettext("no such firm in this exhibition")})
    return firm_id


def name_of(exhibition: Exhibition, firm_id: UUID) -> str:
    """Return a firm's names."""
    firm = exhibition.firm(firm_id)
    return " ".join(n for n in (firm["name_en"], firm["name_zh"]) if n)
