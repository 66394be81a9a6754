"""Console: correct the gathering (titles, venue, times, window, capacities, approval flags).

The form is checked with the API's PATCH schema (times typed in the gathering's zone) and
runs only on the version of the gathering the organiser opened. Raising a capacity seats
waitlisted guests at once; lowering one below the guests confirmed is refused, the form
shown again with the numbers beside the field, in the page's language.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import g, request, url_for
from flask_babel import gettext, ngettext

from domain.errors import DomainError
from domain.gathering import Gathering
from domain.roles import Permission
from events_app.context import services
from events_app.pages.console.common import act, console_blueprint, form_version, render_console
from events_app.pages.console.correction_forms import (
    FIELD_WORDS,
    GATHERING_TEXTS,
    GATHERING_TIMES,
    field_words,
    form_values,
    refusal_field,
)
from events_app.pages.console.dashboard_data import ordered_categories
from events_app.pages.console.planning_forms import FormInvalid, load_form, local_input
from events_app.pages.console.words import category_name
from events_app.pages.registration_history import format_time
from events_app.pages.sessions import organiser_page
from events_app.schemas.corrections import GatheringPatchSchema
from events_app.services.corrections import Correction, Corrections

bp = console_blueprint("console_gathering", __name__)
TEXTS = [name for name, *_rest in GATHERING_TEXTS]
TIMES = [name for name, *_rest in GATHERING_TIMES]
MAX_AGE = "door_list_max_age_minutes"
RETENTION = "retention_days"


def current_values(gathering: Gathering) -> dict[str, Any]:
    """Return the form's values as the gathering has them."""
    zone = ZoneInfo(gathering.timezone)
    values: dict[str, Any] = {name: getattr(gathering, name) for name in TEXTS}
    values.update({name: local_input(getattr(gathering, name), zone) for name in TIMES})
    values["capacity"] = str(gathering.capacity)
    values[MAX_AGE] = str(gathering.door_list_max_age_minutes)
    values[RETENTION] = str(gathering.retention_days)
    for name, policy in gathering.categories.items():
        cap = policy["capacity"]
        values[f"cap_{name}"] = "" if cap is None else str(cap)
        values[f"approval_{name}"] = bool(policy["approval_required"])
        values[f"invitation_{name}"] = bool(policy.get("invitation_only", False))
    return values


def edit_page(gathering: Gathering, values: dict[str, Any], errors: dict[str, str]) -> Any:
    """Render the gathering's edit form."""
    names = ordered_categories(gathering, *gathering.categories)
    guest_list = services().box_office.guest_list(gathering.id)
    page = render_console(
        "console/gathering_edit.html",
        gathering.slug,
        gathering=gathering,
        values=values,
        errors=errors,
        version=form_version() or gathering.version,
        texts=GATHERING_TEXTS,
        times=GATHERING_TIMES,
        categories=[(n, category_name(n), guest_list.confirmed_count(n)) for n in names],
        confirmed=guest_list.confirmed_count(),
        waitlisted=len(guest_list.waitlist),
        corrections=correction_lines(gathering),
    )
    return (page, 422) if errors else page


def correction_lines(gathering: Gathering) -> list[tuple[str, str, str]]:
    """Return the gathering's corrections, newest first: (when, who, what before → after)."""
    zone = ZoneInfo(gathering.timezone)
    lines = []
    for entry in services().box_office.changes(gathering.id):
        if entry.type == "RetentionChanged":
            before, after = {RETENTION: entry.data["before"]}, {RETENTION: entry.data["days"]}
        elif entry.type == "Corrected":
            before, after = dict(entry.data["before"]), dict(entry.data["changes"])
        else:
            continue
        if "categories" in after:  # only the categories whose policy changed
            was, now = before["categories"], after["categories"]
            differ = [name for name in now if was.get(name) != now[name]]
            before["categories"] = {n: was[n] for n in differ if n in was}
            after["categories"] = {n: now[n] for n in differ}
        what = gettext("; ").join(
            gettext(
                "%(field)s %(before)s → %(after)s",
                field=gettext(FIELD_WORDS[n]) if n in FIELD_WORDS else n,
                before=shown(before[n], zone),
                after=shown(after[n], zone),
            )
            for n in after
        )
        lines.append((format_time(entry.at, zone), entry.actor, what))
    return lines[::-1]


def shown(value: Any, zone: ZoneInfo) -> str:
    """Return a corrected value as people read it (times in the gathering's zone)."""
    if isinstance(value, datetime):
        return format_time(value, zone)
    if isinstance(value, dict):
        return gettext(", ").join(policy_words(name, p) for name, p in value.items())
    return gettext("“%(value)s”", value=value)


def policy_words(name: str, policy: dict[str, Any]) -> str:
    """Return one category's policy, e.g. 'VIP 20 (approval)'."""
    cap = policy["capacity"] if policy["capacity"] is not None else "∞"
    if policy.get("invitation_only"):
        cap = gettext("%(cap)s (by invitation)", cap=cap)
    if policy["approval_required"]:
        return gettext("%(category)s %(cap)s (approval)", category=category_name(name), cap=cap)
    return f"{category_name(name)} {cap}"


@bp.get("/edit")
@organiser_page(Permission.PLAN)
def edit(slug: str) -> Any:
    """Show the form that corrects the gathering."""
    gathering = services().box_office.gathering(slug)
    return edit_page(gathering, current_values(gathering), {})


def posted_categories(gathering: Gathering) -> tuple[dict[str, Any], dict[str, str]]:
    """Return the categories' policies posted, and a message for each wrong capacity."""
    policies: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for name in gathering.categories:
        raw = request.form.get(f"cap_{name}", "").strip()
        if raw and not (raw.isascii() and raw.isdigit() and len(raw) <= 6):
            errors[f"cap_{name}"] = gettext("a whole number, or empty for no limit")
            continue
        policies[name] = {
            "capacity": int(raw) if raw else None,
            "approval_required": request.form.get(f"approval_{name}") == "1",
            "invitation_only": request.form.get(f"invitation_{name}") == "1",
        }
    return policies, errors


@bp.post("/edit")
@organiser_page(Permission.PLAN)
def save(slug: str) -> Any:
    """Correct the gathering, on the version the form showed."""
    gathering = services().box_office.gathering(slug)
    values = {**current_values(gathering), **form_values(request.form, [*TEXTS, *TIMES])}
    values["capacity"] = request.form.get("capacity", "")
    values[MAX_AGE] = request.form.get(MAX_AGE, "")
    values[RETENTION] = request.form.get(RETENTION, "")
    for name in gathering.categories:
        values[f"cap_{name}"] = request.form.get(f"cap_{name}", "")
        values[f"approval_{name}"] = request.form.get(f"approval_{name}") == "1"
        values[f"invitation_{name}"] = request.form.get(f"invitation_{name}") == "1"
    policies, errors = posted_categories(gathering)
    data = {
        **form_values(request.form, [*TEXTS, *TIMES, "capacity", MAX_AGE, RETENTION]),
        "categories": policies,
    }
    try:
        changes = load_form(GatheringPatchSchema(), data, ZoneInfo(gathering.timezone), TIMES)
    except FormInvalid as invalid:
        errors.update(invalid.errors)
    if errors:
        return edit_page(gathering, values, errors)
    return act(
        lambda: Corrections(services().box_office).correct_gathering(
            slug, changes, g.organiser.label
        ),
        done=corrected,
        back=url_for("console_gathering.edit", slug=slug),
        versions={gathering.id: form_version()},
        refused=lambda error: refused(gathering, values, error),
    )


def refused(gathering: Gathering, values: dict[str, Any], error: DomainError) -> Any:
    """Show the form again with the refusal beside its field."""
    return edit_page(gathering, values, refusal_field(error))


def corrected(result: Correction) -> tuple[str, str]:
    """Word what the correction changed and whom it seated."""
    if not result.changed:
        return gettext("Nothing to change."), "ok"
    message = gettext("Saved: %(fields)s.", fields=field_words(result.changed))
    if result.promoted:
        message += " " + ngettext(
            "%(num)d waitlisted guest now confirmed.",
            "%(num)d waitlisted guests now confirmed.",
            len(result.promoted),
        )
    return message, "ok"
