"""Organiser sign-in (username and password), sign-out, and the live arrivals page.

Signing in checks the password through the accounts service, which counts wrong ones
and locks the account for a while after too many. The signed session cookie keeps the
account's id, which of its passwords and which of its sign-ins it is, and when it was last
used. Every request reads the account again, so closing it or changing its password ends its
sessions at once; signing out records a SignedOut event, so a copy of that session's cookie
is refused at once in every worker; and a session left unused for ORGANISER_IDLE_MINUTES
ends too: pages send the browser to
the sign-in form with a notice, JSON endpoints answer 401 in the API's error shape.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, TypeVar
from urllib.parse import urlsplit
from uuid import UUID
from zoneinfo import ZoneInfo

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

from domain.errors import NotFound
from domain.organiser_account import OrganiserAccount
from events_app.accounts import SignInRefusal
from events_app.api.schemas import SLUG, ArrivalsSchema
from events_app.context import services
from events_app.errors import error_response
from events_app.web import csrf
from events_app.web.labels import CATEGORY_LABELS

bp = Blueprint("organiser", __name__, url_prefix="/organiser", template_folder="templates")

SESSION_KEY = "organiser_account"
PASSWORD_KEY = "organiser_password_serial"  # noqa: S105 (a session key, not a secret)
SEEN_KEY = "organiser_seen"
NUMBER_KEY = "organiser_sign_in"  # which of the account's sign-ins this session is
IDLE_MINUTES = 120
"""Minutes without a request after which a session ends (config ORGANISER_IDLE_MINUTES)."""
MAX_FIELD_LENGTH = 200
REFRESH_SECONDS = 5
"""How often the arrivals page fetches new figures (config ARRIVALS_REFRESH_SECONDS)."""
ARRIVALS = ArrivalsSchema()
F = TypeVar("F", bound=Callable[..., Any])

NOTICES = {
    "signed_out": "You are signed out. 您已登出。",
    "ended": "Your sign-in has ended (the account was closed or its password changed). "
    "Please sign in again. 您的登入已失效（帳戶已停用或密碼已更改），請重新登入。",
    "idle": "Your session expired after a long time without activity. Please sign in again. "
    "您的登入因長時間未有操作已過期，請重新登入。",
    "required": "Please sign in to continue. 請先登入。",
    "expired": "The page had expired. Please try again. 頁面已過期，請重試。",
}
WRONG = "Wrong username or password. 用戶名稱或密碼錯誤。"


def now() -> datetime:
    """Return the app's current time (the configured clock)."""
    return services().events.clock()


def signed_in_account() -> tuple[OrganiserAccount | None, str]:
    """Return the session's account if its sign-in still holds, else why not."""
    raw = session.get(SESSION_KEY)
    if raw is None:
        return None, "required"
    try:
        account = services().accounts.by_id(UUID(str(raw)))
    except ValueError:
        account = None
    if account is None or session.get(PASSWORD_KEY) != account.password_serial:
        return None, "ended"
    if not account.session_is_live(session.get(NUMBER_KEY)):
        return None, "signed_out"  # signed out, maybe in a copy of this cookie
    idle = idle_limit()
    try:
        seen = datetime.fromisoformat(str(session.get(SEEN_KEY)))
    except ValueError:
        return None, "ended"
    current = now()
    if current - seen > idle:
        return None, "idle"
    if current - seen > timedelta(seconds=30):  # do not rewrite the cookie on every request
        session[SEEN_KEY] = current.isoformat()
    return account, ""


def idle_limit() -> timedelta:
    """Return how long a session may go unused (config ORGANISER_IDLE_MINUTES)."""
    return timedelta(minutes=current_app.config.get("ORGANISER_IDLE_MINUTES", IDLE_MINUTES))


def this_page() -> str:
    """Return the path and query of the current request, to come back to after signing in."""
    query = request.query_string.decode("utf-8", "replace")
    return request.path + (f"?{query}" if query else "")


def end_session() -> None:
    """Forget the organiser's sign-in in this browser."""
    for key in (SESSION_KEY, PASSWORD_KEY, SEEN_KEY, NUMBER_KEY):
        session.pop(key, None)


def organiser_page(view: F) -> F:
    """Let a page run for a signed-in organiser; send anyone else to the sign-in form."""

    @functools.wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        account, why = signed_in_account()
        if account is None:
            end_session()
            target = this_page() if request.method == "GET" else request.referrer
            return redirect(
                url_for("organiser.sign_in", next=safe_next(target), notice=why), code=303
            )
        g.organiser = account
        return view(*args, **kwargs)

    return wrapped  # type: ignore[return-value]


def organiser_json(view: F) -> F:
    """Let a JSON endpoint run for a signed-in organiser; answer 401 to anyone else."""

    @functools.wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        account, why = signed_in_account()
        if account is None:
            if why == "required":
                return error_response(401, "unauthorized", "sign in as an organiser first")
            return error_response(401, "session_ended", NOTICES[why])
        g.organiser = account
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
        username=request.form.get("username", "")[:MAX_FIELD_LENGTH],
        error=error,
        notice=NOTICES.get(notice, ""),
    )
    return page, status


@bp.get("/sign-in")
def sign_in() -> tuple[str, int]:
    """Show the username and password form."""
    return render_sign_in(notice=request.args.get("notice", ""))


def locked_message(until: datetime | None) -> str:
    """Tell a locked-out organiser until when, in words."""
    when = f"{until.astimezone(ZoneInfo('UTC')):%H:%M} UTC" if until else "a while"
    return (
        f"Too many wrong passwords: this account is locked until {when}. Wait, or ask an "
        f"administrator to run `flask accounts unlock`. 密碼錯誤次數過多，帳戶已暫時鎖定至 {when}。"
    )


@bp.post("/sign-in")
def submit_sign_in() -> Any:
    """Check the username and password; keep the account's id in the session."""
    if not csrf.is_valid(request.form.get(csrf.FIELD)):
        return render_sign_in(400, notice="expired")
    username = request.form.get("username", "").strip()
    password = request.form.get("password", "")
    if not username or not password:
        return render_sign_in(422, "Enter your username and password. 請輸入用戶名稱及密碼。")
    if len(username) > MAX_FIELD_LENGTH or len(password) > MAX_FIELD_LENGTH:
        return render_sign_in(401, WRONG)
    result = services().accounts.sign_in(username, password)
    if result.refusal is SignInRefusal.LOCKED:
        return render_sign_in(429, locked_message(result.locked_until))
    if result.account is None:
        return render_sign_in(401, WRONG)
    session.clear()  # a fresh session (and CSRF token) for the signed-in organiser
    session[SESSION_KEY] = str(result.account.id)
    session[PASSWORD_KEY] = result.account.password_serial
    session[NUMBER_KEY] = result.account.sign_ins
    session[SEEN_KEY] = now().isoformat()
    return redirect(safe_next(request.form.get("next")), code=303)


@bp.post("/sign-out")
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
@organiser_page
def home() -> Any:
    """List the gatherings, each with its console and live arrivals."""
    slug = request.args.get("slug", "").strip().lower()
    if slug and re.fullmatch(SLUG, slug) and len(slug) <= 80:
        return redirect(url_for("console_dashboard.dashboard", slug=slug))
    error = "Not a valid event address, e.g. launch-2026. 活動代號無效。" if slug else ""
    return render_template(
        "organiser_home.html",
        gatherings=services().events.gatherings(),
        slug=slug,
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
        gathering=services().events.gathering(slug),
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
