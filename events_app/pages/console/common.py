"""What every console page shares: the signed-in check, CSRF on posts, one way to act.

A console action is a form post: its CSRF token is checked before the view runs, then
one application call runs (an irreversible one only after its question was answered
yes, see ask_first), only on the versions of the records the organiser saw (a
hidden `version` field), and the page the form came from is shown again with the outcome
as a flash message. A record that another organiser changed meanwhile is not
overwritten: the message says who changed it, when and how.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar
from uuid import UUID
from zoneinfo import ZoneInfo

from flask import Blueprint, Response, abort, flash, redirect, render_template, request
from flask_babel import gettext

from domain.common import N_
from domain.errors import DomainError, NotFound
from domain.gathering import Gathering
from domain.roles import Permission
from events_app.context import services
from events_app.errors import refusal_text
from events_app.pages import TEMPLATES, ask_first, csrf
from events_app.pages.ask_first import Question
from events_app.pages.console.words import event_name
from events_app.store.application import HistoryEntry
from events_app.store.seen_versions import ChangedMeanwhile, Seen

T = TypeVar("T")
FORGED = N_(
    "This form had expired or did not come from this console, so nothing was changed. "
    "Reload the page and try again."
)


@dataclass(frozen=True)
class NavLink:
    """One entry of the console's navigation bar; `label` is a console message."""

    endpoint: str
    label: str
    permission: Permission = Permission.VIEW


NAV = (
    NavLink("console_dashboard.dashboard", N_("Dashboard")),
    NavLink("console_registrations.registrations", N_("Registrations")),
    NavLink("console_invitations.invitations", N_("Invitations")),
    NavLink("console_exhibition.exhibition", N_("Exhibition")),
    NavLink("console_ceremonies.ceremonies", N_("Ceremonies")),
    NavLink("console_running_order.running_order", N_("Running order")),
    NavLink("console_printing.printing", N_("Printing"), Permission.VIEW_DOCUMENTS),
    NavLink("console_checkpoints.checkpoints_page", N_("Checkpoints")),
    NavLink("console_devices.devices", N_("Door devices")),
    NavLink("console_exports.exports", N_("Exports"), Permission.EXPORT_PERSONAL_DATA),
    NavLink("organiser.arrivals_page", N_("Live arrivals")),
)


def console_blueprint(name: str, import_name: str) -> Blueprint:
    """Return a console blueprint whose posts all need this session's CSRF token."""
    bp = Blueprint(
        name,
        import_name,
        url_prefix="/organiser/gatherings/<slug>",
        template_folder=TEMPLATES,
    )
    bp.before_request(refuse_forged_posts)
    return bp


def refuse_forged_posts() -> tuple[str, int] | None:
    """Answer 400 with a plain message to a post without this session's CSRF token."""
    if request.method != "POST" or csrf.is_valid(request.form.get(csrf.FIELD)):
        return None
    page = render_template("console/refused.html", message=gettext(FORGED), back=request.referrer)
    return page, 400


def gathering_or_404(slug: str) -> Gathering:
    """Return the gathering a console URL names, or answer 404."""
    try:
        return services().box_office.gathering(slug)
    except NotFound:
        abort(404)


def render_console(template: str, slug: str, **context: Any) -> str:
    """Render a console page of the gathering `slug` with its navigation bar."""
    gathering = context.pop("gathering", None) or gathering_or_404(slug)
    return render_template(
        template,
        gathering=gathering,
        zone=ZoneInfo(gathering.timezone),
        nav=NAV,
        **context,
    )


def form_version(field: str = "version") -> int | None:
    """Return the record version a form was built from, or None when it has none."""
    raw = request.form.get(field, "")
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 12 else None


def act(
    action: Callable[[], Any],
    *,
    done: str | Callable[[Any], tuple[str, str]],
    back: str,
    versions: dict[UUID, int | Seen | None] | None = None,
    refused: Callable[[DomainError], Any] | None = None,
    ask: Question | None = None,
) -> Any:
    """Run one console action and go back to `back` with its outcome as a message.

    `done` is the message of success, or a function that words the action's result as
    (message, flash category) when the outcome varies (an approval may end on the waitlist).
    `refused` answers a domain refusal itself (e.g. the form again, with the message beside
    its field) instead of going back with the message. An irreversible action names its
    `ask`: a post without `confirm=yes` then only shows that question, and nothing runs.
    """
    if ask is not None and not ask_first.confirmed(request.form):
        return ask_page(ask)
    expected = {key: seen for key, seen in (versions or {}).items() if seen is not None}
    try:
        with services().box_office.expecting(expected):
            result = action()
    except ChangedMeanwhile as changed:
        flash(changed_message(changed), "error")
    except DomainError as error:
        if refused is not None:
            return refused(error)
        flash(refused_message(error), "error")
    else:
        message, category = done(result) if callable(done) else (done, "ok")
        flash(message, category)
    return redirect(back, code=303)


def ask_page(question: Question) -> str:
    """Render the question of an irreversible action, posting the same fields with yes."""
    return render_console(
        "console/confirm.html",
        (request.view_args or {}).get("slug", ""),
        question=question,
        action=request.path,
        fields=ask_first.carried(request.form),
    )


def refused_message(error: DomainError) -> str:
    """Say in plain words, in the page's language, why a command was refused."""
    if error.field:  # the field's name is the code's: the Chinese leaves it out, as before
        field = error.field.replace("_", " ")
        return gettext("Not done: %(reason)s (%(field)s).", reason=refusal_text(error), field=field)
    return gettext("Not done: %(reason)s.", reason=refusal_text(error))


def changed_message(changed: ChangedMeanwhile) -> str:
    """Say who changed a record after the organiser opened it, and how."""
    changes = [
        entry
        for entry in services().box_office.changes(changed.aggregate_id)
        if entry.version in changed.versions
    ]
    zone = ZoneInfo(gathering_or_404((request.view_args or {}).get("slug", "")).timezone)
    return gettext(
        "Nothing was changed: %(changes)s after you opened this page. "
        "The page now shows the latest state; check it and try again.",
        changes=describe_changes(changes, zone),
    )


def describe_changes(changes: Iterable[HistoryEntry], zone: ZoneInfo) -> str:
    """Return e.g. 'organiser:bob changed it (Approved at 10:02:13 Asia/Shanghai)'."""
    entries = list(changes)
    if not entries:
        return gettext("someone else changed it")
    actors = sorted({entry.actor for entry in entries})
    what = gettext(", ").join(
        gettext(
            "%(change)s at %(time)s %(zone)s",
            change=event_name(e.type),
            time=e.at.astimezone(zone).strftime("%H:%M:%S"),
            zone=zone.key,
        )
        for e in entries[-3:]
    )
    return gettext("%(who)s changed it (%(what)s)", who=gettext(" and ").join(actors), what=what)


def parse_uuid(raw: str) -> UUID:
    """Return the UUID in a URL or form, or answer 404."""
    try:
        return UUID(raw)
    except ValueError:
        abort(404)


def download(body: bytes | Iterable[bytes], filename: str, mimetype: str) -> Response:
    """Return a file download that is never cached."""
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response
