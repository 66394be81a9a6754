"""The door scanner page: enrolment, badge scanning, name search and an offline queue."""

from __future__ import annotations

from flask import Blueprint, jsonify, make_response, render_template
from werkzeug.wrappers import Response

from events_app.context import services
from events_app.languages import LANGUAGES, current_language
from events_app.languages.tags import html_lang
from events_app.pages import TEMPLATES
from events_app.pages.door_labels import door_config
from events_app.services.authorisation import public

bp = Blueprint("door", __name__, template_folder=TEMPLATES)

# The page keeps a device token in localStorage: no third-party code, no framing.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data: blob:; media-src 'self' blob: mediastream:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)


def harden(response: Response) -> Response:
    """Add the headers the door page and its service worker share."""
    response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    # /door?setup=CODE carries a one-time code: never send it on as a referrer.
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/door")
@public
def door() -> Response:
    """Show the door scanner page in the device's language (its script enrols and scans)."""
    response = make_response(render_template("door.html", config=door_config()))
    # The service worker keeps a copy of the page per language: this says which one it is.
    response.headers["Content-Language"] = html_lang(current_language())
    return harden(response)


@bp.get("/door/clock")
@public
def clock() -> Response:
    """Return the server's time, so door devices with a wrong clock stamp scans right."""
    response = jsonify({"now": services().box_office.clock().isoformat()})
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/door-sw.js")
@public
def service_worker() -> Response:
    """Return the service worker that lets the door page load again without a network."""
    tags = {html_lang(language): language for language in LANGUAGES}
    response = make_response(render_template("door-sw.js", languages=tags))
    response.mimetype = "text/javascript"
    return harden(response)
