"""Console invitations: invite one guest or a CSV file, the list with counts, resend, revoke.

An owner may erase the personal data of an invitee who never accepted (a reason and a
tick, then asked again); an open invitation is withdrawn with it.

A file with any refused line writes nothing; the page lists every problem with its line
number, in the organiser's language.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import abort, flash, g, redirect, request, url_for
from flask_babel import gettext
from marshmallow import EXCLUDE, ValidationError

from domain.errors import DomainError, NotFound
from domain.gathering import Gathering
from domain.invitation import InvitationState
from domain.roles import Permission
from events_app.context import services
from events_app.errors import domain_status
from events_app.languages.validation import field_message
from events_app.pages.console import questions
from events_app.pages.console.common import (
    act,
    console_blueprint,
    gathering_or_404,
    parse_uuid,
    refused_message,
    render_console,
)
from events_app.pages.sessions import organiser_page
from events_app.presenters.invitations import invitation_data, problem_text
from events_app.schemas.invitation_csv import read_invitees
from events_app.schemas.invitations import InviteSchema
from events_app.services.invitations import Invitee
from events_app.services.planning import Row, RowsRefused

bp = console_blueprint("console_invitations", __name__)
MAX_FILE = 2_000_000
MAX_REASON = 500
STATES = [s.value for s in InvitationState]


def render_invitations(
    gathering: Gathering,
    *,
    status: int = 200,
    errors: dict[str, str] | None = None,
    form: dict[str, str] | None = None,
    problems: list[tuple[int, str, str]] | None = None,
) -> tuple[str, int]:
    """Render the invitations page: counts, list, the invite and import forms."""
    invitations = services().invitations
    at = services().box_office.clock()
    rows = [invitation_data(i, at) for i in invitations.of_gathering(gathering.slug)]
    page = render_console(
        "console/invitations.html",
        gathering.slug,
        gathering=gathering,
        rows=rows,
        counts=invitations.counts(gathering.slug, at),
        states=STATES,
        errors=errors or {},
        form=form or {"category": "guest", "companions_allowed": "0"},
        problems=problems or [],
        max_reason=MAX_REASON,
    )
    return page, status


@bp.get("/invitations")
@organiser_page(Permission.VIEW)
def invitations(slug: str) -> tuple[str, int]:
    """List the gathering's invitations with counts per category and state."""
    return render_invitations(gathering_or_404(slug))


def deadline_of(raw: str, timezone: str) -> str | None:
    """Return a deadline typed in the venue's time (YYYY-MM-DDTHH:MM) as ISO with offset."""
    if not raw.strip():
        return None
    try:
        typed = datetime.fromisoformat(raw.strip())
    except ValueError:
        return "invalid"
    return (typed if typed.tzinfo else typed.replace(tzinfo=ZoneInfo(timezone))).isoformat()


@bp.post("/invitations")
@organiser_page(Permission.MANAGE_REGISTRATIONS)
def invite(slug: str) -> Any:
    """Invite one guest; the form comes back with its problems marked."""
    gathering = gathering_or_404(slug)
    form = {k: v[:400] for k, v in request.form.items() if k != "csrf_token"}
    data: dict[str, Any] = {k: v for k, v in form.items() if v.strip()}
    data["companions_reserved"] = "companions_reserved" in request.form
    data.pop("deadline", None)
    deadline = deadline_of(form.get("deadline", ""), gathering.timezone)
    if deadline is not None:
        data["deadline"] = deadline
    try:
        loaded = InviteSchema().load(data, unknown=EXCLUDE)
    except ValidationError as error:
        errors = {
            name: field_message(said[0] if isinstance(said, list) else str(said))
            for name, said in dict(error.messages).items()
        }
        return render_invitations(gathering, status=422, errors=errors, form=form)
    try:
        services().invitations.invite_many(slug, [Row(1, Invitee(**loaded))], g.organiser.label)
    except RowsRefused as refused:
        first = refused.problems[0]
        errors = {first.field or "form": problem_text(first)}
        return render_invitations(gathering, status=422, errors=errors, form=form)
    except DomainError as error:
        errors = {error.field or "form": refused_message(error)}
        return render_invitations(gathering, status=domain_status(error), errors=errors, form=form)
    flash(gettext("Invitation sent to %(name)s.", name=loaded["full_name"]), "ok")
    return redirect(url_for("console_invitations.invitations", slug=slug), code=303)


@bp.post("/invitations/import")
@organiser_page(Permission.MANAGE_REGISTRATIONS)
def import_file(slug: str) -> Any:
    """Invite every guest of a CSV file, or none: every refused line is listed."""
    gathering = gathering_or_404(slug)
    upload = request.files.get("file")
    raw = upload.read(MAX_FILE + 1) if upload else b""
    if not raw or len(raw) > MAX_FILE:
        message = gettext("Choose a CSV file of at most 2 MB.")
        return render_invitations(gathering, status=422, problems=[(0, "file", message)])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        message = gettext("the file is not UTF-8 text")
        return render_invitations(gathering, status=422, problems=[(0, "file", message)])
    deadline = deadline_of(request.form.get("deadline", ""), gathering.timezone)
    if deadline == "invalid":
        message = gettext("Give the deadline as a date and time.")
        return render_invitations(gathering, status=422, problems=[(0, "deadline", message)])
    try:
        when = datetime.fromisoformat(deadline) if deadline else None
        rows = read_invitees(text, request.form.get("batch", "").strip()[:80], when)
        made = services().invitations.invite_many(slug, rows, g.organiser.label)
    except RowsRefused as refused:
        problems = [
            (p.number, p.field or "", problem_text(p))
            for p in sorted(refused.problems, key=lambda p: p.number)
        ]
        return render_invitations(gathering, status=422, problems=problems)
    flash(gettext("%(count)s invitation(s) made", count=len(made)), "ok")
    return redirect(url_for("console_invitations.invitations", slug=slug), code=303)


def _answer(slug: str, invitation_id: str, action: str) -> Any:
    gathering_or_404(slug)
    found = parse_uuid(invitation_id)
    invitations = services().invitations
    run = invitations.resend if action == "resend" else invitations.revoke
    done = (
        gettext("Invitation sent again.")
        if action == "resend"
        else gettext("Invitation withdrawn.")
    )
    return act(
        lambda: run(slug, found, g.organiser.label),
        done=done,
        back=url_for("console_invitations.invitations", slug=slug),
    )


@bp.post("/invitations/<invitation_id>/resend")
@organiser_page(Permission.MANAGE_REGISTRATIONS)
def resend(slug: str, invitation_id: str) -> Any:
    """Send an unanswered invitation's mail again."""
    return _answer(slug, invitation_id, "resend")


@bp.post("/invitations/<invitation_id>/revoke")
@organiser_page(Permission.MANAGE_REGISTRATIONS)
def revoke(slug: str, invitation_id: str) -> Any:
    """Withdraw an unanswered invitation: its seat goes back."""
    return _answer(slug, invitation_id, "revoke")


@bp.post("/invitations/<invitation_id>/erase")
@organiser_page(Permission.ERASE_PERSONAL_DATA)
def erase(slug: str, invitation_id: str) -> Any:
    """Erase an unaccepted invitee's personal data: a reason and a tick, then asked again."""
    gathering_or_404(slug)
    try:
        found = services().invitations.of_slug(slug, parse_uuid(invitation_id))
    except NotFound:
        abort(404)
    back = url_for("console_invitations.invitations", slug=slug)
    reason = request.form.get("reason", "").strip()
    if len(reason) > MAX_REASON:
        message = gettext(
            "Not done: the reason must be at most %(count)s characters.", count=MAX_REASON
        )
        flash(message, "error")
        return redirect(back, code=303)
    if not reason or request.form.get("understood") != "yes":
        flash(gettext("Not done: give the reason and tick that it cannot be undone."), "error")
        return redirect(back, code=303)
    return act(
        lambda: services().personal_data.erase_invitation(found.id, g.organiser.label, reason),
        done=gettext("The invitee's personal data are erased."),
        back=back,
        ask=questions.erase_invitation(found, reason, back),
    )
