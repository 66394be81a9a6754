"""Organiser sessions on the pages: who is signed in, and the decorators that require it.

The signed session cookie keeps the account's id, which of its passwords and which of its
sign-ins it is, and when it was last used. Every request reads the account again, so
closing it or changing its password ends its sessions at once; signing out records a
SignedOut event, so a copy of that session's cookie is refused at once in every worker;
and a session left unused for ORGANISER_IDLE_MINUTES ends too: pages send the browser to
the sign-in form with a notice, JSON endpoints answer 401 in the API's error shape.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, TypeVar
from urllib.parse import urlsplit
from uuid import UUID

from flask import current_app, g, redirect, render_template, request, session, url_for
from flask_babel import gettext

from domain.common import N_
from domain.organiser_account import OrganiserAccount
from domain.roles import ANY_GATHERING, Permission
from events_app.context import services
from events_app.errors import error_response
from events_app.pages.role_labels import permission_label
from events_app.services.authorisation import gathering_of, may

SESSION_KEY = "organiser_account"
PASSWORD_KEY = "organiser_password_serial"  # noqa: S105 (a session key, not a secret)
SEEN_KEY = "organiser_seen"
NUMBER_KEY = "organiser_sign_in"  # which of the account's sign-ins this session is
IDLE_MINUTES = 120
"""Minutes without a request after which a session ends (config ORGANISER_IDLE_MINUTES)."""
F = TypeVar("F", bound=Callable[..., Any])

NOTICES = {
    "signed_out": N_("You are signed out."),
    "ended": N_(
        "Your sign-in has ended (the account was closed or its password changed). "
        "Please sign in again."
    ),
    "idle": N_("Your session expired after a long time without activity. Please sign in again."),
    "required": N_("Please sign in to continue."),
    "expired": N_("The page had expired. Please try again."),
}
"""Why the sign-in form is shown, by the `notice` it is sent with (console messages)."""


def now() -> datetime:
    """Return the app's current time (the configured clock)."""
    return services().box_office.clock()


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


def request_gathering(anywhere: bool = False) -> str | None:
    """Return the gathering the current page acts on (ANY_GATHERING for the list of all)."""
    if anywhere:
        return ANY_GATHERING
    return gathering_of(services().box_office, request.view_args or {})


def forbidden_page(permission: Permission) -> tuple[str, int]:
    """Render the page that tells a signed-in person their role does not allow this."""
    page = render_template(
        "console/forbidden.html",
        permission=permission.value,
        action=permission_label(permission),
    )
    return page, 403


def organiser_page(permission: Permission, *, anywhere: bool = False) -> Callable[[F], F]:
    """Let a page run for a signed-in account whose role gives `permission`.

    Anyone not signed in is sent to the sign-in form; a role without the permission gets
    a 403 page and nothing runs (a post writes nothing). Used bare (`@organiser_page`, as
    before roles), the page declares no permission, so the permission matrix test names
    it, and meanwhile only owners may open it.
    """
    if not isinstance(permission, Permission):
        page = organiser_page(Permission.MANAGE_ACCOUNTS)(permission)  # type: ignore[arg-type]
        del page.permission  # type: ignore[attr-defined]
        return page  # type: ignore[return-value]

    def decorate(view: F) -> F:
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
            if not may(account, permission, request_gathering(anywhere)):
                return forbidden_page(permission)
            return view(*args, **kwargs)

        wrapped.permission = permission  # type: ignore[attr-defined]
        return wrapped  # type: ignore[return-value]

    return decorate


def organiser_json(permission: Permission) -> Callable[[F], F]:
    """Let a JSON endpoint run for a signed-in account with `permission`; 401 or 403 else."""

    def decorate(view: F) -> F:
        @functools.wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            account, why = signed_in_account()
            if account is None:
                if why == "required":
                    return error_response(
                        401, "unauthorized", gettext("sign in as an organiser first")
                    )
                return error_response(401, "session_ended", gettext(NOTICES[why]))
            g.organiser = account
            if not may(account, permission, request_gathering()):
                message = gettext(
                    "your role does not give the permission %(permission)s",
                    permission=permission.value,
                )
                return error_response(403, "role_forbidden", message, field="permission")
            return view(*args, **kwargs)

        wrapped.permission = permission  # type: ignore[attr-defined]
        return wrapped  # type: ignore[return-value]

    return decorate


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
