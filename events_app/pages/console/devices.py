"""Console door devices: the list, registering a device (its one-time set-up QR), revoking.

The set-up code is kept only as a digest, so the page that answers the registration is the
only place it is ever shown: as a QR code of the door page's `/door?setup=CODE` address,
and as text to type in. That page is not cached and not linked from anywhere.
"""

from __future__ import annotations

import unicodedata
from datetime import timedelta
from typing import Any

from flask import abort, current_app, flash, g, redirect, request, url_for
from flask_babel import gettext, ngettext
from markupsafe import Markup

from domain.errors import DomainError, NotFound
from domain.gathering import Gathering
from domain.roles import Permission
from events_app.context import services
from events_app.errors import domain_status
from events_app.pages.console.common import (
    act,
    console_blueprint,
    gathering_or_404,
    parse_uuid,
    refused_message,
    render_console,
)
from events_app.pages.console.devices_data import device_rows
from events_app.pages.sessions import organiser_page
from events_app.services.devices import NewDevice, format_setup_code
from events_app.services.qr_images import qr_svg

bp = console_blueprint("console_devices", __name__)

NAME_MAX = 80
VALID_MINUTES_MAX = 7 * 24 * 60
DEFAULT_VALID_MINUTES = 60
VALIDITY_CHOICES = (15, 60, 240, 720, 1440, VALID_MINUTES_MAX)
"""How long a set-up code may stay valid, in minutes, as the form offers it."""


def validity_words(minutes: int) -> str:
    """Return a validity as people say it: 15 minutes, 4 hours, 7 days."""
    if minutes % 1440 == 0:
        return ngettext("%(num)d day", "%(num)d days", minutes // 1440)
    if minutes % 60 == 0:
        return ngettext("%(num)d hour", "%(num)d hours", minutes // 60)
    return ngettext("%(num)d minute", "%(num)d minutes", minutes)


def inline_svg(document: str) -> Markup:
    """Return an SVG document (as qr_svg makes it) for inlining in HTML, without its prolog."""
    start = document.find("<svg")
    return Markup(document[start:] if start >= 0 else document)  # noqa: S704 (our own SVG)


def render_devices(
    gathering: Gathering,
    *,
    status: int = 200,
    errors: dict[str, str] | None = None,
    form: dict[str, str] | None = None,
    new: dict[str, Any] | None = None,
) -> Any:
    """Render the devices page (with a registration's set-up QR, or the form's errors)."""
    page = render_console(
        "console/devices.html",
        gathering.slug,
        gathering=gathering,
        devices=device_rows(gathering),
        now=services().box_office.clock(),
        errors=errors or {},
        form=form or {"name": "", "valid_minutes": str(DEFAULT_VALID_MINUTES)},
        choices=[(minutes, validity_words(minutes)) for minutes in VALIDITY_CHOICES],
        name_max=NAME_MAX,
        new=new,
    )
    response = current_app.make_response((page, status))
    response.headers["Cache-Control"] = "no-store"
    if new is not None:  # the one-time code must not leak through a link followed from here
        response.headers["Referrer-Policy"] = "no-referrer"
    return response


@bp.get("/devices")
@organiser_page(Permission.VIEW)
def devices(slug: str) -> Any:
    """List the door devices, with the form to register one."""
    return render_devices(gathering_or_404(slug))


def check_name(raw: str) -> tuple[str, str]:
    """Return the trimmed device name and an error message ('' when it is fine)."""
    name = raw.strip()
    if not name:
        return name, gettext("Enter a name for the device, e.g. Main entrance iPad 1.")
    if len(name) > NAME_MAX:
        return name, gettext("Keep the name to %(count)s characters or fewer.", count=NAME_MAX)
    if any(unicodedata.category(ch) in {"Cc", "Cf"} for ch in name):
        return name, gettext("The name must not contain control characters.")
    return name, ""


def check_minutes(raw: str) -> tuple[int, str]:
    """Return how many minutes the set-up code stays valid, and an error message."""
    text = raw.strip()
    if (
        not (text.isascii() and text.isdigit() and len(text) <= 6)
        or not 1 <= int(text) <= VALID_MINUTES_MAX
    ):
        return 0, gettext(
            "Choose how long the set-up code stays valid: 1 minute to 7 days "
            "(at most %(count)s minutes).",
            count=VALID_MINUTES_MAX,
        )
    return int(text), ""


def setup_answer(new: NewDevice) -> dict[str, Any]:
    """Return what the page shows once about a new device: its code, URL and QR."""
    setup_url = url_for("door.door", setup=new.setup_code, _external=True)
    return {
        "id": str(new.device.id),
        "name": new.device.name,
        "setup_code": format_setup_code(new.setup_code),
        "setup_url": setup_url,
        "qr": inline_svg(qr_svg(setup_url)),
        "expires_at": new.device.setup_expires_at,
    }


@bp.post("/devices")
@organiser_page(Permission.MANAGE_DEVICES)
def register(slug: str) -> Any:
    """Register a door device; the answer shows its one-time set-up QR code."""
    gathering = gathering_or_404(slug)
    raw_name = request.form.get("name", "")
    raw_minutes = request.form.get("valid_minutes", str(DEFAULT_VALID_MINUTES))
    form = {"name": raw_name[: NAME_MAX * 2], "valid_minutes": raw_minutes[:12]}
    name, name_error = check_name(raw_name)
    minutes, minutes_error = check_minutes(raw_minutes)
    errors = {k: v for k, v in (("name", name_error), ("valid_minutes", minutes_error)) if v}
    if errors:
        return render_devices(gathering, status=422, errors=errors, form=form)
    try:
        new = services().devices.register(slug, name, timedelta(minutes=minutes), g.organiser.label)
    except DomainError as error:
        errors = {"form": refused_message(error)}
        return render_devices(gathering, status=domain_status(error), errors=errors, form=form)
    return render_devices(gathering, new=setup_answer(new))


@bp.post("/devices/<device_id>/revoke")
@organiser_page(Permission.MANAGE_DEVICES)
def revoke(slug: str, device_id: str) -> Any:
    """Revoke a door device at once: its next scan is refused."""
    gathering = gathering_or_404(slug)
    found_id = parse_uuid(device_id)
    try:
        device = services().devices.device(found_id)
    except NotFound:
        abort(404)
    if device.gathering_id != gathering.id:
        abort(404)
    back = url_for("console_devices.devices", slug=slug)
    if device.is_revoked:
        flash(gettext("“%(device)s” was already revoked.", device=device.name), "error")
        return redirect(back, code=303)
    return act(
        lambda: services().devices.revoke(found_id, g.organiser.label),
        done=gettext(
            "“%(device)s” is revoked: its scans are refused from now on.", device=device.name
        ),
        back=back,
    )
