"""The answer to a refused request: 429 with Retry-After, as JSON or as the page again."""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from flask import Flask, current_app, render_template, request
from flask_babel import gettext
from flask_limiter import RateLimitExceeded
from werkzeug.wrappers import Response

from domain.common import N_
from events_app.errors import error_response, wants_json
from events_app.rate_limits.direct import Refused

CODE = "rate_limited"
PAGE_MESSAGE = N_(
    "Too many attempts from your network in a short time. Please wait %(seconds)s seconds "
    "and try again."
)
REFUSAL_PAGES = "launch_events_refusal_pages"

RefusalPage = Callable[[str], tuple[str, int] | None]
"""Renders a limited page again with the notice (status 429), or None for the short page."""


def register_refusal_page(app: Flask, endpoint: str, render: RefusalPage) -> None:
    """Let a page answer its own 429: `render(message)` shows it again with the notice."""
    app.extensions.setdefault(REFUSAL_PAGES, {})[endpoint] = render


def retry_after() -> int:
    """Return the whole seconds until the breached limit's window ends (at least 1)."""
    from events_app.rate_limits import limiter_of

    limiter = limiter_of(current_app)
    breached = limiter.current_limit
    if breached is None:
        return 1
    now = getattr(limiter.storage, "now", time.time)()
    left = math.ceil(breached.window.reset_time - now)
    return max(1, min(left, breached.limit.get_expiry()))  # Redis rounds its TTL up


def api_message(seconds: int) -> str:
    """Say who sent too many requests and when to try again."""
    from events_app.rate_limits import RULES

    per_device = {e for rule in RULES if rule.per_device for e in rule.endpoints}
    who = "this door device" if request.endpoint in per_device else "this address"
    return f"too many requests from {who}; try again in {seconds} seconds"


def page(seconds: int) -> tuple[str, int]:
    """Render the refused page again with the notice (as it registered), or a short page."""
    message = gettext(PAGE_MESSAGE, seconds=seconds)
    render = current_app.extensions.get(REFUSAL_PAGES, {}).get(request.endpoint)
    shown = render(message) if render is not None else None
    if shown is not None:
        return shown
    return render_template("too_many_requests.html", message=message), 429


def register_handler(app: Flask) -> None:
    """Answer RateLimitExceeded and Refused with 429 and Retry-After, as JSON or a page."""

    @app.errorhandler(RateLimitExceeded)
    def _exceeded(error: RateLimitExceeded) -> Response:
        return refusal(retry_after())

    @app.errorhandler(Refused)
    def _refused(error: Refused) -> Response:
        return refusal(error.seconds)


def refusal(seconds: int) -> Response:
    """Return the 429 answer: the API's error shape, or the page again with the notice."""
    if wants_json():
        response = error_response(429, CODE, api_message(seconds))
    else:
        body, status = page(seconds)
        response = Response(body, status=status, mimetype="text/html")
    response.headers["Retry-After"] = str(seconds)
    return response
