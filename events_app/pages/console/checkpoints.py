"""The checkpoints page: where door staff scan, for which categories, when; add, edit, close.

A checkpoint without its own opening (closing) time opens (closes) with the gathering;
times are typed in the gathering's zone. A wrong value, or one a domain rule refuses,
shows the form again with the typed values and the message next to the field (422), and
nothing is written. Every post carries the gathering's version and is refused only if
the same checkpoint changed meanwhile. Closing refuses every scan there until the
checkpoint is edited, which reopens it.
"""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from flask import g, request, url_for
from flask_babel import gettext
from werkzeug.wrappers import Response

from domain.checkpoint import REACH, Checkpoint
from domain.common import N_
from domain.errors import DomainError
from domain.gathering import Gathering
from domain.roles import Permission
from events_app.context import services
from events_app.pages.console.common import act, console_blueprint, form_version, render_console
from events_app.pages.console.common import gathering_or_404 as gathering_of
from events_app.pages.console.planning_forms import (
    FormInvalid,
    found_or_404,
    load_form,
    local_input,
    refusal_errors,
)
from events_app.pages.console.planning_history import history_rows
from events_app.pages.console.planning_labels import register_globals
from events_app.pages.sessions import organiser_page
from events_app.presenters.planning import recorded_version
from events_app.schemas.checkpoints import CheckpointSchema
from events_app.services.checkpoints import Checkpoints, describe, listing, seen

bp = console_blueprint("console_checkpoints", __name__)
register_globals(bp)
SCHEMA = CheckpointSchema()
TEXT_FIELDS = ("code", "name_en", "name_zh", "opens_at", "closes_at")
CODE_HINT = N_("2 to 40 lower-case letters, digits and hyphens, e.g. main-entrance")
REACH_HINT = N_(
    "Opening and closing times must lie within %(days)s days of the event's hours, and a "
    "checkpoint must close after it opens (an empty time means the event's start or end)."
)
HINTS = {
    "code": N_("This code is in use already: choose another one, or edit that checkpoint."),
    "opens_at": REACH_HINT,
    "closes_at": REACH_HINT,
    "categories": N_("Choose only guest categories this event has."),
    "category_notes": N_("Write notes only for the categories this checkpoint admits."),
}
"""What to do about a refusal of each field, said after the refusal itself."""


def checkpoints() -> Checkpoints:
    """Return the checkpoint commands on the app's store."""
    return Checkpoints(services().box_office)


def back(slug: str) -> str:
    """Return the checkpoints page's address."""
    return url_for("console_checkpoints.checkpoints_page", slug=slug)


def checkpoint_values(checkpoint: Checkpoint, zone: ZoneInfo) -> dict[str, Any]:
    """Return a form's values for a checkpoint (own times in the gathering's zone)."""
    return {
        "code": checkpoint.code,
        "name_en": checkpoint.name_en,
        "name_zh": checkpoint.name_zh,
        "opens_at": local_input(checkpoint.opens_at, zone),
        "closes_at": local_input(checkpoint.closes_at, zone),
        "categories": list(checkpoint.categories),
        "notes": dict(checkpoint.category_notes),
    }


def blank_values(gathering: Gathering) -> dict[str, Any]:
    """Return the add form: every category admitted, the gathering's hours."""
    return {
        **{name: "" for name in TEXT_FIELDS},
        "categories": list(gathering.categories),
        "notes": {},
    }


def typed_values(gathering: Gathering, code: str | None = None) -> dict[str, Any]:
    """Return what the organiser typed in a checkpoint form (the code of an edit is fixed)."""
    typed = {name: request.form.get(name, "").strip() for name in TEXT_FIELDS}
    return {
        **typed,
        "code": code or typed["code"].lower(),
        "categories": [c for c in request.form.getlist("categories") if c],
        "notes": {c: request.form.get(f"note_{c}", "").strip() for c in gathering.categories},
    }


def load_checkpoint(typed: dict[str, Any], zone: ZoneInfo) -> Checkpoint:
    """Return the checkpoint a form describes, or raise FormInvalid naming the fields."""
    data = {
        **{name: typed[name] for name in TEXT_FIELDS},
        "categories": typed["categories"],
        "category_notes": {c: n for c, n in typed["notes"].items() if n},
    }
    try:
        fields = load_form(SCHEMA, data, zone, times=("opens_at", "closes_at"))
    except FormInvalid as invalid:
        if "code" in invalid.errors and typed["code"]:
            invalid.errors["code"] = gettext(CODE_HINT)
        raise
    try:
        return Checkpoint(**{**fields, "categories": tuple(fields["categories"])})
    except DomainError as error:
        raise FormInvalid(refusal(error)) from None


def render_page(
    slug: str,
    template: str,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    **context: Any,
) -> str:
    """Render the list (with the add form) or the edit form of a checkpoint."""
    gathering = gathering_of(slug)
    return render_console(
        template,
        slug,
        gathering=gathering,
        checkpoints=listing(gathering),
        version=recorded_version(gathering),
        values=values or blank_values(gathering),
        errors=errors or {},
        **context,
    )


def render_edit(slug: str, code: str, **form: Any) -> str:
    """Render the edit form of checkpoint `code`."""
    gathering = gathering_of(slug)
    checkpoint = found_or_404(lambda: gathering.checkpoint(code))
    form.setdefault("values", checkpoint_values(checkpoint, ZoneInfo(gathering.timezone)))
    shown = describe(gathering, checkpoint)
    return render_page(slug, "console/checkpoint_edit.html", checkpoint=shown, **form)


def save(slug: str, code: str | None) -> Any:
    """Check a posted form and run the add (no `code`) or the change of `code`."""
    gathering = gathering_of(slug)
    zone = ZoneInfo(gathering.timezone)
    typed = typed_values(gathering, code)

    def again(errors: dict[str, str]) -> tuple[str, int]:
        if code is None:
            return render_page(slug, "console/checkpoints.html", typed, errors), 422
        return render_edit(slug, code, values=typed, errors=errors), 422

    try:
        checkpoint = load_checkpoint(typed, zone)
    except FormInvalid as invalid:
        return again(invalid.errors)
    command = checkpoints().add if code is None else checkpoints().change
    return act(
        lambda: command(slug, checkpoint, g.organiser.label),
        done=gettext(
            "Saved checkpoint %(name)s: door devices use it at once.", name=checkpoint.name_en
        ),
        back=back(slug),
        versions={gathering.id: seen(checkpoint.code, form_version())},
        refused=lambda error: again(refusal(error)),
    )


def refusal(error: DomainError) -> dict[str, str]:
    """Return a domain refusal as the message of its field, with what to do about it."""
    errors = refusal_errors(error)
    if error.field in HINTS:
        hint = gettext(HINTS[error.field], days=REACH.days)
        errors[error.field] = gettext(
            "%(refusal)s. %(hint)s", refusal=errors[error.field], hint=hint
        )
    return errors


@bp.get("/checkpoints")
@organiser_page(Permission.VIEW)
def checkpoints_page(slug: str) -> str:
    """List the checkpoints with their categories, notes and hours, and the add form."""
    return render_page(slug, "console/checkpoints.html")


@bp.post("/checkpoints")
@organiser_page(Permission.MANAGE_DEVICES)
def add(slug: str) -> Any:
    """Add a checkpoint; a wrong field or a taken code shows the form again (422)."""
    return save(slug, None)


@bp.get("/checkpoints/<code>/edit")
@organiser_page(Permission.MANAGE_DEVICES)
def edit(slug: str, code: str) -> str:
    """Show the edit form of one checkpoint."""
    return render_edit(slug, code)


@bp.post("/checkpoints/<code>")
@organiser_page(Permission.MANAGE_DEVICES)
def change(slug: str, code: str) -> Any:
    """Change a checkpoint's names, categories, notes or hours (a closed one reopens)."""
    found_or_404(lambda: gathering_of(slug).checkpoint(code))
    return save(slug, code)


@bp.post("/checkpoints/<code>/close")
@organiser_page(Permission.MANAGE_DEVICES)
def close(slug: str, code: str) -> Response:
    """Close a checkpoint: every scan there is refused until it is edited."""
    gathering = gathering_of(slug)
    checkpoint = found_or_404(lambda: gathering.checkpoint(code))
    return act(
        lambda: checkpoints().close(slug, code, g.organiser.label),
        done=gettext("Closed %(name)s: every scan there is now refused.", name=checkpoint.name_en),
        back=back(slug),
        versions={gathering.id: seen(code, form_version())},
    )


@bp.get("/checkpoints/<code>/history")
@organiser_page(Permission.VIEW)
def history(slug: str, code: str) -> str:
    """Every change of one checkpoint, newest first, in plain words."""
    gathering = gathering_of(slug)
    changes = found_or_404(lambda: checkpoints().history(slug, code))
    rows = history_rows(changes, gathering.timezone)
    return render_console(
        "console/checkpoint_history.html", slug, gathering=gathering, code=code, rows=rows
    )
