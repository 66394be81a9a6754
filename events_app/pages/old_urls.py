"""The pages' old URLs under /events/: a permanent redirect to the same page under /gatherings/.

Links in mails already sent, bookmarks and printed QR codes keep working. 308 keeps the
method and the body, so a form posted to an old URL is posted again to the new one.
"""

from __future__ import annotations

from urllib.parse import quote

from flask import Blueprint, redirect, request
from werkzeug.wrappers import Response

from events_app.services.authorisation import public

bp = Blueprint("old_urls", __name__)

MOVED = (("/organiser/events/", "/organiser/gatherings/"), ("/events/", "/gatherings/"))
"""Each old path prefix and the prefix that replaced it."""
METHODS = ["GET", "POST"]


def new_url(path: str, query: bytes) -> str:
    """Return where an old page path (and its query string) lives now."""
    for old, new in MOVED:
        if path.startswith(old):
            path = new + path[len(old) :]
            break
    url = request.script_root + quote(path)
    return f"{url}?{query.decode('latin-1')}" if query else url


@bp.route("/events/<slug>/<path:rest>", methods=METHODS)
@bp.route("/organiser/events/<slug>/", methods=METHODS, defaults={"rest": ""})
@bp.route("/organiser/events/<slug>/<path:rest>", methods=METHODS)
@public
def moved(**_parts: str) -> Response:
    """Answer an old page URL with a permanent redirect that keeps method and body."""
    return redirect(new_url(request.path, request.query_string), code=308)
