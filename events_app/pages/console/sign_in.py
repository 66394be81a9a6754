"""Organiser sign-in (username and password), sign-out, and the live arrivals page.

Signing in checks the password through the accounts service, which counts wrong ones
and locks the account for a while after too many; the session it opens is kept as
`events_app.pages.sessions` describes.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import (
    Blueprint,
    abort,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext
from werkzeug.wrappers import Response

from domain.common import N_
from domain.errors import NotFound
from domain.roles import Permission
from events_app.context import services
from events_app.pages import TEMPLATES, csrf
from events_app.pages.console.words import category_labels, in_language
from events_app.pages.sessions import (
    NOTICES,
    NUMBER_KEY,
    PASSWORD_KEY,
    SEEN_KEY,
    SESSION_KEY,
    idle_limit,
    now,
    organiser_json,
    organiser_page,
    safe_next,
    signed_in_account,
)
from events_app.schemas.arrivals import ArrivalsSchema
from events_app.schemas.common import SLUG
from events_app.services.accounts import SignInRefusal
from events_app.services.authorisation import public

bp = Blueprint("organiser", __name__, url_prefix="/organiser", template_folder=TEMPLATES)

MAX_FIELD_LENGTH = 200
REFRESH_SECONDS = 5
"""How often the arrivals page fetches new figures (config ARRIVALS_REFRESH_SECONDS)."""
ARRIVALS = ArrivalsSchema()

WRONG = N_("Wrong username or password.")


def render_sign_in(status: int = 200, error: str = "", notice: str = "") -> tuple[str, int]:
    """Render the sign-in form."""
    page = render_template(
        "organiser_sign_in.html",
        next=safe_next(request.values.get("next")),
        username=request.form.get("username", "")[:MAX_FIELD_LENGTH],
        error=error,
        notice=gettext(NOTICES[notice]) if notice in NOTICES else "",
    )
    return page, status


@bp.get("/sign-in")
@public
def sign_in() -> tuple[str, int]:
    """Show the username and password form."""
    return render_sign_in(notice=request.args.get("notice", ""))


def locked_message(until: datetime | None) -> str:
    """Tell a locked-out organiser until when, in words."""
    if until is None:
        return gettext(
            "Too many wrong passwords: this account is locked for a while. Wait, or ask an "
            "administrator to run `flask accounts unlock`."
        )
    return gettext(
        "Too many wrong passwords: this account is locked until %(time)s UTC. Wait, or ask an "
        "administrator to run `flask accounts unlock`.",
        time=until.astimezone(ZoneInfo("UTC")).strftime("%H:%M"),
    )


@bp.post("/sign-in")
@public
def submit_sign_in() -> Any:
    """Check the username and password; keep the account's id in the session."""
    if not csrf.is_valid(request.form.get(csrf.FIELD)):
        return render_sign_in(400, notice="expired")
    username = request.form.get("username", "").strip()
    password = request.form.get("password", "")
    if not username or not password:
        return render_sign_in(422, gettext("Enter your username and password."))
    if len(username) > MAX_FIELD_LENGTH or len(password) > MAX_FIELD_LENGTH:
        return render_sign_in(401, gettext(WRONG))
    result = services().accounts.sign_in(username, password)
    if result.refusal is SignInRefusal.LOCKED:
        return render_sign_in(429, locked_message(result.locked_until))
    if result.account is None:
        return render_sign_in(401, gettext(WRONG))
    session.clear()  # a fresh session (and CSRF token) for the signed-in organiser
    session[SESSION_KEY] = str(result.account.id)
    session[PASSWORD_KEY] = result.account.password_serial
    session[NUMBER_KEY] = result.account.sign_ins
    session[SEEN_KEY] = now().isoformat()
    return redirect(safe_next(request.form.get("next")), code=303)


@bp.post("/sign-out")
@public
def sign_out() -> Response:
    """End the organiser's session: recorded, so a copy of its cookie no longer works."""
    if not csrf.is_valid(request.form.get(csrf.FIELD)):
        return redirect(url_for("organiser.home"), code=303)
    account, _ = signed_in_account()
    if account is not None:
        # Sign-outs older than the idle limit are forgotten: their cookies have expired.
        forget_before = now() - idle_limit()
        services().accounts.sign_out(account.id, session[NUMBER_KEY], forget_before)
    session.clear()
    return redirect(url_for("organiser.sign_in", notice="signed_out"), code=303)


@bp.get("/")
@organiser_page(Permission.VIEW, anywhere=True)
def home() -> Any:
    """List the gatherings, each with its console and live arrivals."""
    slug = request.args.get("slug", "").strip().lower()
    if slug and re.fullmatch(SLUG, slug) and len(slug) <= 80:
        return redirect(url_for("console_dashboard.dashboard", slug=slug))
    error = gettext("Not a valid event address, e.g. launch-2026.") if slug else ""
    return render_template(
        "organiser_home.html",
        gatherings=services().box_office.gatherings(services().guest_list.gathering_ids()),
        slug=slug,
        error=error,
    )


def arrival_figures(slug: str) -> dict[str, Any]:
    """Return the arrival figures of a gathering as the JSON API shows them."""
    figures = dict(ARRIVALS.dump(services().arrivals.figures(slug)))
    for checkpoint in figures.get("by_checkpoint", []):
        checkpoint["name"] = in_language(checkpoint["name_en"], checkpoint["name_zh"])
    return figures


@bp.get("/gatherings/<slug>/arrivals")
@organiser_page(Permission.VIEW)
def arrivals_page(slug: str) -> Response:
    """Show the live arrival figures; the page refreshes them by itself."""
    try:
        figures = services().arrivals.figures(slug)
    except NotFound:
        abort(404)
    page = render_template(
        "organiser_arrivals.html",
        gathering=services().box_office.gathering(slug),
        figures=figures,
        title=in_language(figures.title_en, figures.title_zh),
        category_labels=category_labels(),
        refresh_seconds=current_app.config.get("ARRIVALS_REFRESH_SECONDS", REFRESH_SECONDS),
    )
    response = current_app.make_response(page)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/gatherings/<slug>/arrivals.json")
@organiser_json(Permission.VIEW)
def arrivals_json(slug: str) -> Response:
    """Return the live arrival figures for the page to refresh itself (session auth)."""
    response = jsonify(arrival_figures(slug))
    response.headers["Cache-Control"] = "no-store"
    return response
