"""The owners' accounts page: list accounts and their roles, open, grant, remove, close.

Every grant and removal is a RoleGranted or RoleRemoved event of the account, shown in
its history; the accounts service refuses to take the last owner away.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext
from werkzeug.wrappers import Response

from domain.common import N_
from domain.errors import DomainError, NotFound
from domain.organiser_account import OrganiserAccount
from domain.roles import GLOBAL_ONLY, Permission, Role, in_order, parse_role
from events_app.context import services
from events_app.pages import TEMPLATES, ask_first
from events_app.pages.ask_first import Question
from events_app.pages.console.common import refuse_forged_posts, refused_message
from events_app.pages.sessions import organiser_page

bp = Blueprint(
    "console_accounts", __name__, url_prefix="/organiser/accounts", template_folder=TEMPLATES
)
bp.before_request(refuse_forged_posts)

ACCOUNT_EVENTS = {
    "Opened": N_("Account opened"),
    "RoleGranted": N_("Role granted"),
    "RoleRemoved": N_("Role removed"),
    "PasswordChanged": N_("Password changed"),
    "Unlocked": N_("Unlocked"),
    "Closed": N_("Account closed"),
    "SignedIn": N_("Signed in"),
    "SignInFailed": N_("Wrong password"),
    "SignedOut": N_("Signed out"),
}
"""What each event of an account means, as its history shows it (console messages)."""


def account_or_404(username: str) -> OrganiserAccount:
    """Return the account a URL names, or answer 404."""
    try:
        return services().accounts.account(username)
    except (NotFound, DomainError):
        abort(404)


def role_choices() -> list[tuple[str, bool]]:
    """Return each role with whether it may be limited to one gathering."""
    return [(str(role), role not in GLOBAL_ONLY) for role in Role]


def gathering_slugs() -> list[str]:
    """Return the slugs of every gathering, for the grant form."""
    rows = services().box_office.gatherings(services().guest_list.gathering_ids())
    return [gathering.slug for gathering in rows]


@bp.get("/")
@organiser_page(Permission.MANAGE_ACCOUNTS)
def accounts() -> str:
    """List every account with its state and roles, and the form to open one."""
    return render_accounts()


def render_accounts(error: str = "", field: str = "") -> str:
    """Render the list of accounts and the form to open one (again, with `error`)."""
    return render_template(
        "console/accounts.html",
        accounts=services().accounts.all(),
        roles=role_choices(),
        slugs=gathering_slugs(),
        now=services().box_office.clock(),
        in_order=in_order,
        error=error,
        error_field=field,
        typed={key: request.form.get(key, "")[:80] for key in ("username", "display_name")},
    )


def chosen_grant() -> tuple[Role, str | None]:
    """Return the role and gathering a form names (raises InvalidValue for an unknown role)."""
    gathering = request.form.get("gathering", "").strip() or None
    return parse_role(request.form.get("role", "")), gathering


def outcome(action: Any, done: str, back: str) -> Response:
    """Run one account action and go back with its outcome (the refusal in plain words)."""
    try:
        action()
    except DomainError as error:
        flash(refused_message(error), "error")
    else:
        flash(done, "ok")
    return redirect(back, code=303)


@bp.post("/")
@organiser_page(Permission.MANAGE_ACCOUNTS)
def open_account() -> Response | tuple[str, int]:
    """Open an account with one role; a refusal shows the form again with the message."""
    form = request.form
    try:
        role, gathering = chosen_grant()
        services().accounts.open(
            form.get("username", "")[:80],
            form.get("display_name", "")[:80] or form.get("username", "")[:80],
            form.get("password", "")[:300],
            g.organiser.label,
            role=role,
            gathering=gathering,
        )
    except DomainError as error:
        return render_accounts(refused_message(error), error.field or ""), 422
    flash(gettext("Account opened."), "ok")
    return redirect(url_for(".accounts"), code=303)


@bp.get("/<username>")
@organiser_page(Permission.MANAGE_ACCOUNTS)
def account(username: str) -> str:
    """Show one account: its roles, the forms to change them, and its history."""
    found = account_or_404(username)
    return render_template(
        "console/account.html",
        account=found,
        grants=sorted(
            found.grants, key=lambda grant: (list(Role).index(grant.role), grant.gathering or "")
        ),
        history=list(reversed(services().box_office.changes(found.id))),
        event_label=lambda kind: gettext(ACCOUNT_EVENTS[kind]) if kind in ACCOUNT_EVENTS else kind,
        roles=role_choices(),
        slugs=gathering_slugs(),
    )


@bp.post("/<username>/roles")
@organiser_page(Permission.MANAGE_ACCOUNTS)
def grant(username: str) -> Response:
    """Give the account a role, for every gathering or one."""
    found = account_or_404(username)

    def action() -> None:
        role, gathering = chosen_grant()
        services().accounts.grant_role(found.username, role, gathering, g.organiser)

    return outcome(action, gettext("Role granted."), url_for(".account", username=found.username))


@bp.post("/<username>/roles/remove")
@organiser_page(Permission.MANAGE_ACCOUNTS)
def remove(username: str) -> Response:
    """Take a role away from the account."""
    found = account_or_404(username)

    def action() -> None:
        role, gathering = chosen_grant()
        services().accounts.remove_role(found.username, role, gathering, g.organiser)

    return outcome(action, gettext("Role removed."), url_for(".account", username=found.username))


def closing_question(account: OrganiserAccount) -> Question:
    """Return what closing `account` asks first, in the page's language."""
    return Question(
        title=gettext("Close the account %(username)s?", username=account.username),
        consequences=(
            gettext(
                "%(name)s can no longer sign in; their open sessions end at once.",
                name=account.name,
            ),
            gettext("Their roles and what they did stay in the history."),
        ),
        yes=gettext("Yes, close the account"),
        back=url_for(".account", username=account.username),
        warning=gettext("A closed account cannot be opened again; open a new one instead."),
    )


@bp.post("/<username>/close")
@organiser_page(Permission.MANAGE_ACCOUNTS)
def close(username: str) -> Response:
    """Close the account (asked first): it cannot sign in again, its sessions end at once."""
    found = account_or_404(username)
    if not ask_first.confirmed(request.form):
        return render_template(
            "console/account_confirm.html",
            question=closing_question(found),
            action=request.path,
            fields=ask_first.carried(request.form),
        )
    return outcome(
        lambda: services().accounts.close(found.username, g.organiser.label),
        gettext("Account closed."),
        url_for(".account", username=found.username),
    )
