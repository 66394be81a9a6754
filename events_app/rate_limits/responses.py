"""The answer to a refused request: 429 with Retry-After, as JSON or as the page again."""

from __future__ import annotations

import math
import time
from typing import Any

from flask import Flask, current_app, render_template, request
from flask_limiter import RateLimitExceeded
from werkzeug.wrappers import Response

from domain.errors import NotFound
from events_app.errors import error_response, wants_json

CODE = "rate_limited"
PAGE_MESSAGE = (
    "Too many attempts from your network in a short time. Please wait {seconds} seconds and "
    "try again. 短時間內來自您網絡的嘗試次數過多，請等候 {seconds} 秒後再試。"
)


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
    """Render the refused form again with the notice, or a short page saying it."""
    from events_app.pages import csrf

    message = PAGE_MESSAGE.format(seconds=seconds)
    if request.endpoint == "organiser.submit_sign_in":
        from events_app.pages.console.sign_in import render_sign_in

        return render_sign_in(429, message)
    if request.endpoint == "web.submit_registration":
        from events_app.pages.guest import render_form

        values = request.form.to_dict()
        values["consent"] = "consent" in request.form
        values.pop(csrf.FIELD, None)
        try:
            return render_form(str((request.view_args or {}).get("slug")), values, {}, 429, message)
        except NotFound:
            pass
    return render_template("too_many_requests.html", message=message), 429


def register_handler(app: Flask) -> None:
    """Answer RateLimitExceeded with 429 and Retry-After, in the API's shape or as a page."""

    @app.errorhandler(RateLimitExceeded)
    def _refused(error: RateLimitExceeded) -> Any:
        seconds = retry_after()
        if wants_json():
            response = error_response(429, CODE, api_message(seconds))
        else:
            body, status = page(seconds)
            response = Response(body, status=status, mimetype="text/html")
        response.headers["Retry-After"] = str(seconds)
        return response
