"""Organiser pages: sign in with an organiser token, and the live arrivals page.

Signing in checks the token with the application service and keeps only the credential's
id in the signed session cookie. Every request reads the credential again, so a revoked
token loses access at once: pages send the browser to the sign-in form, the JSON endpoint
answers 401 in the API's error shape.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import urlsplit
from uuid import UUID

from flask import (
    Blueprint,
    abort,
    current_app,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from werkzeug.wrappers import Response

from domain.credential import OrganiserCredential
from domain.errors import NotFound
from events_app.api.schemas import SLUG, ArrivalsSchema
from events_app.context import services
from events_app.devices import TOKEN_PREFIX
from events_app.errors import error_response
from events_app.web import csrf
from events_app.web.labels import CATEGORY_LABELS

bp = Blueprint("organiser", __name__, url_prefix="/organiser", template_folder="templates")

SESSION_KEY = "organiser_credential"
MAX_TOKEN_LENGTH = 256
REFRESH_SECONDS = 5
"""How often the arrivals page fetches new figures (config ARRIVALS_REFRESH_SECONDS)."""
ARRIVALS = ArrivalsSchema()
F = TypeVar("F", bound=Callable[..., Any])

NOTICES = {
    "signed_out": "You are signed out. 您已登出。",
    "ended": "Your sign-in has ended (the token was revoked). Please sign in again. "
    "您的登入已失效（權杖已被撤銷），請重新登入。",
    "required": "Please sign in to continue. 請先登入。",
    "expired": "The page had expired. Please try again. 頁面已過期，請重試。",
}


def signed_in_credential() -> tuple[OrganiserCredential | None, bool]:
    """Return the session's credential if still active (read afresh), and if it named one."""
    raw = session.get(SESSION_KEY)
    if raw is None:
        return None, False
    try:
        credential_id = UUID(str(raw))
    except ValueError:
        return None, True
    return services().events.active_organiser_credential(credential_id), True


def this_page() -> str:
    """Return the path and query of the current request, to come back to after signing in."""
    query = request.query_string.decode("utf-8", "replace")
    return request.path + (f"?{query}" if query else "")


def organiser_page(view: F) -> F:
    """Let a page run for a signed-in organiser; send anyone else to the sign-in form."""

    @functools.wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        credential, named = signed_in_credential()
        if credential is None:
            notice = "ended" if named else "required"
            return redirect(url_for("organiser.sign_in", next=this_page(), notice=notice))
        g.organiser = credential
        return view(*args, **kwargs)

    return wrapped  # type: ignore[return-value]


def organiser_json(view: F) -> F:
    """Let a JSON endpoint run for a signed-in organiser; answer 401 to anyone else."""

    @functools.wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        credential, named = signed_in_credential()
        if credential is None:
            if named:
                return error_response(
                    401, "invalid_credential", "the sign-in has ended (revoked); sign in again"
                )
            return error_response(401, "unauthorized", "sign in as an organiser first")
        g.organiser = credential
        return view(*args, **kwargs)

    return wrapped  # type: ignore[return-value]


def safe_next(target: str | None) -> str:
    """Return `target` if it is a page of this site's organiser area, else the home page."""
    parts = urlsplit(target or "")
    if (
        parts.scheme
        or parts.netloc
        or not parts.path.startswith("/organiser/")
        or "\\" in (target or "")
        or ".." in parts.path.split("/")
        or parts.path.startswith(("/organiser/sign-in", "/organiser/sign-out"))
    ):
        return url_for("organiser.home")
    return parts.path + (f"?{parts.query}" if parts.query else "")


def render_sign_in(status: int = 200, error: str = "", notice: str = "") -> tuple[str, int]:
    """Render the sign-in form."""
    page = render_template(
        "organiser_sign_in.html",
        next=safe_next(request.values.get("next")),
        error=error,
        notice=NOTICES.get(notice, ""),
    )
    return page, status


@bp.get("/sign-in")
def sign_in() -> tuple[str, int]:
    """Show the form that takes an organiser token."""
    return render_sign_in(notice=request.args.get("notice", ""))


@bp.post("/sign-in")
def submit_sign_in() -> Any:
    """Check the organiser token; keep the credential's id in the session."""
    if not csrf.is_valid(request.form.get(csrf.FIELD)):
        return render_sign_in(400, notice="expired")
    token = request.form.get("token", "").strip()
    if not token:
        return render_sign_in(422, "Enter your organiser token. 請輸入主辦方權杖。")
    if token.startswith(TOKEN_PREFIX):
        return render_sign_in(
            403, "This is a door device token; use an organiser token. 這是門口設備權杖。"
        )
    credential = None
    if len(token) <= MAX_TOKEN_LENGTH:
        credential = services().events.authenticate_organiser(token)
    if credential is None:
        return render_sign_in(401, "This token is unknown or revoked. 此權杖無效或已被撤銷。")
    session.clear()  # a fresh session (and CSRF token) for the signed-in organiser
    session[SESSION_KEY] = str(credential.id)
    return redirect(safe_next(request.form.get("next")), code=303)


@bp.post("/sign-out")
def sign_out() -> Response:
    """Forget the organiser's credential in this browser."""
    if not csrf.is_valid(request.form.get(csrf.FIELD)):
        return redirect(url_for("organiser.home"), code=303)
    session.clear()
    return redirect(url_for("organiser.sign_in", notice="signed_out"), code=303)


@bp.get("/")
@organiser_page
def home() -> Any:
    """Ask which gathering's arrivals to open (or open the one typed in)."""
    slug = request.args.get("slug", "").strip().lower()
    if slug and re.fullmatch(SLUG, slug) and len(slug) <= 80:
        return redirect(url_for("organiser.arrivals_page", slug=slug))
    error = "Not a valid event address, e.g. launch-2026. 活動代號無效。" if slug else ""
    return render_template(
        "organiser_home.html",
        organiser=g.organiser,
        slug=slug or current_app.config.get("DEMO_SLUG", ""),
        error=error,
    )


def arrival_figures(slug: str) -> dict[str, Any]:
    """Return the arrival figures of a gathering as the JSON API shows them."""
    return dict(ARRIVALS.dump(services().arrivals.figures(slug)))


@bp.get("/events/<slug>/arrivals")
@organiser_page
def arrivals_page(slug: str) -> Response:
    """Show the live arrival figures; the page refreshes them by itself."""
    try:
        figures = services().arrivals.figures(slug)
    except NotFound:
        abort(404)
    page = render_template(
        "organiser_arrivals.html",
        organiser=g.organiser,
        figures=figures,
        category_labels=CATEGORY_LABELS,
        refresh_seconds=current_app.config.get("ARRIVALS_REFRESH_SECONDS", REFRESH_SECONDS),
    )
    response = current_app.make_response(page)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/events/<slug>/arrivals.json")
@organiser_json
def arrivals_json(slug: str) -> Response:
    """Return the live arrival figures for the page to refresh itself (session auth)."""
    response = jsonify(arrival_figures(slug))
    response.headers["Cache-Control"] = "no-store"
    return response
