"""Invitations: organisers invite, import, list, resend, revoke; invitees reply by link.

The invitee's routes are public: the token of their personal link is what counts.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import Response, current_app, request, url_for
from flask_babel import gettext

from domain.registration import GuestDetails, Registration
from domain.roles import Permission
from events_app.api.auth import SECURITY, current_actor, organiser_required
from events_app.api.docs import error_docs
from events_app.api.parsing import Blueprint
from events_app.context import services
from events_app.errors import error_response
from events_app.presenters.common import registration_data
from events_app.presenters.invitations import (
    companions_data,
    form_data,
    invitation_data,
    problem_text,
)
from events_app.schemas.invitation_csv import read_invitees
from events_app.schemas.invitations import (
    AcceptedSchema,
    AcceptSchema,
    CompanionNamedSchema,
    CompanionSchema,
    DeclineSchema,
    InvitationErasureSchema,
    InvitationListSchema,
    InvitationSchema,
    InviteeViewSchema,
    InviteImportSchema,
    InviteSchema,
)
from events_app.services.authorisation import public
from events_app.services.confirmation import confirmation_token
from events_app.services.invitations import Companion, Invitee
from events_app.services.planning import Row, RowsRefused

bp = Blueprint("invitations", __name__, description="Invitations and the invitees' replies")
errors = error_docs(bp)


def link_of(token: str) -> str:
    """Return the invitee's personal link."""
    return f"{request.host_url.rstrip('/')}/invitations/{token}"


def present(invitation: Any) -> dict[str, Any]:
    """Return an invitation with its link, as organisers see it."""
    invitations = services().invitations
    at = services().box_office.clock()
    return invitation_data(invitation, at, link_of(invitations.token(invitation)))


@bp.route("/gatherings/<slug>/invitations", methods=["POST"])
@organiser_required(Permission.MANAGE_REGISTRATIONS)
@bp.arguments(InviteSchema)
@bp.response(201, InvitationSchema)
@errors(400, 401, 404, 409, 422)
@bp.doc(security=SECURITY)
def invite(fields: dict[str, Any], slug: str) -> Any:
    """Invite one guest: a seat of their category is held until they answer (organiser)."""
    try:
        invitation = services().invitations.invite(slug, Invitee(**fields), current_actor())
    except RowsRefused as refused:
        raise refused.problems[0].refusal or refused from None
    return present(invitation)


@bp.route("/gatherings/<slug>/invitations/import", methods=["POST"])
@organiser_required(Permission.MANAGE_REGISTRATIONS)
@bp.arguments(InviteImportSchema)
@bp.response(201, InvitationListSchema)
@errors(400, 401, 404, 422)
@bp.doc(security=SECURITY)
def import_invitations(fields: dict[str, Any], slug: str) -> Any:
    """Invite every guest of a CSV file, or none: 422 invalid_csv lists each bad line."""
    try:
        rows: list[Row[Invitee]] = read_invitees(fields["csv"], fields["batch"], fields["deadline"])
        made = services().invitations.invite_many(slug, rows, current_actor())
    except RowsRefused as refused:
        return refused_rows(refused)
    return {"items": [present(i) for i in made], "counts": services().invitations.counts(slug)}


def refused_rows(refused: RowsRefused) -> Response:
    """Answer 422 invalid_csv with every problem under `line N.field`, in the reader's language."""
    lines: dict[str, list[str]] = {}
    for problem in refused.problems:
        said = problem_text(problem)
        lines.setdefault(f"line {problem.number}.{problem.field or 'row'}", []).append(said)
    message = gettext("%(count)s problem(s) in the file; nothing was imported", count=len(lines))
    first = refused.problems[0].field
    return error_response(422, "invalid_csv", message, field=first, fields=lines)


@bp.route("/gatherings/<slug>/invitations", methods=["GET"])
@organiser_required(Permission.VIEW)
@bp.response(200, InvitationListSchema)
@errors(401, 404)
@bp.doc(security=SECURITY)
def list_invitations(slug: str) -> dict[str, Any]:
    """List a gathering's invitations with counts per category and state (organiser)."""
    invitations = services().invitations
    return {
        "items": [present(i) for i in invitations.of_gathering(slug)],
        "counts": invitations.counts(slug),
    }


@bp.route("/gatherings/<slug>/invitations/<uuid:invitation_id>/resend", methods=["POST"])
@organiser_required(Permission.MANAGE_REGISTRATIONS)
@bp.response(200, InvitationSchema)
@errors(401, 404, 409)
@bp.doc(security=SECURITY)
def resend(slug: str, invitation_id: UUID) -> dict[str, Any]:
    """Send an unanswered invitation's mail again, with the same link (organiser)."""
    return present(services().invitations.resend(slug, invitation_id, current_actor()))


@bp.route("/gatherings/<slug>/invitations/<uuid:invitation_id>/revoke", methods=["POST"])
@organiser_required(Permission.MANAGE_REGISTRATIONS)
@bp.response(200, InvitationSchema)
@errors(401, 404, 409)
@bp.doc(security=SECURITY)
def revoke(slug: str, invitation_id: UUID) -> dict[str, Any]:
    """Withdraw an unanswered invitation: its link stops working, its seats go back."""
    return present(services().invitations.revoke(slug, invitation_id, current_actor()))


@bp.route("/gatherings/<slug>/invitations/<uuid:invitation_id>/erasure", methods=["POST"])
@organiser_required(Permission.ERASE_PERSONAL_DATA)
@bp.arguments(InvitationErasureSchema)
@bp.response(200, InvitationSchema)
@errors(400, 401, 404, 409, 422)
@bp.doc(security=SECURITY)
def erase(fields: dict[str, Any], slug: str, invitation_id: UUID) -> dict[str, Any]:
    """Erase an unaccepted invitee's personal data for good (owner); an open one is withdrawn.

    409 already_erased the second time; 409 invalid_transition for an accepted invitation
    (its registration holds the guest's data: erase those).
    """
    services().invitations.of_slug(slug, invitation_id)
    erasure = services().personal_data
    return present(erasure.erase_invitation(invitation_id, current_actor(), fields["reason"]))


def invitee_view(invitation: Any) -> dict[str, Any]:
    """Return what the invitee's link shows."""
    app = services().box_office
    return {
        "state": invitation.state.value,
        "gathering": app.gathering_by_id(invitation.gathering_id).slug,
        "category": invitation.category,
        "deadline": invitation.deadline,
        "companions_allowed": invitation.companions_allowed,
        "companions": companions_data(invitation),
        "form": form_data(invitation),
        "registration_id": invitation.registration_id,
    }


@bp.route("/invitations/<token>", methods=["GET"])
@public
@bp.response(200, InviteeViewSchema)
@errors(404)
def get_invitation(token: str) -> dict[str, Any]:
    """Return the invitation of a personal link, with the form filled in (public, by token)."""
    return invitee_view(services().invitations.open(token))


@bp.route("/invitations/<token>/accept", methods=["POST"])
@public
@bp.arguments(AcceptSchema)
@bp.response(201, AcceptedSchema)
@errors(400, 404, 409, 422)
def accept(fields: dict[str, Any], token: str) -> dict[str, Any]:
    """Accept: a registration in the held seat (pending if the category needs approval).

    The answers to the questions asked of the invitation's category are checked as on
    public registration: 422 invalid_answers names each one at fault, nothing is written.
    """
    invitations = services().invitations
    invitation = invitations.by_token(token)
    companions = [Companion(**c) for c in fields.pop("companions")]
    answers = fields.pop("answers")
    known = form_data(invitation)
    for name in ("full_name", "name_zh", "organisation", "job_title", "email"):
        if fields[name] is None:
            fields[name] = known.get(name, "")
    fields["language"] = fields["language"] or invitation.language
    registration = invitations.accept(token, GuestDetails(**fields), companions, answers=answers)
    return accepted(registration)


def accepted(registration: Registration) -> dict[str, Any]:
    """Return the invitee's registration, their companions' and the confirmation link."""
    app = services().box_office
    guest_list = app.guest_list(registration.gathering_id)
    invitation = services().invitations.invitation(registration.invitation_id)
    others = [app.registration(UUID(rid)) for rid, _name, _role in invitation.companions]
    slug = app.gathering_by_id(registration.gathering_id).slug
    token = confirmation_token(current_app.secret_key, registration.id)  # type: ignore[arg-type]
    return {
        "registration": registration_data(registration, guest_list),
        "companions": [registration_data(r, guest_list) for r in others],
        "confirmation_url": url_for("web.confirmation", slug=slug, token=token, _external=True),
    }


@bp.route("/invitations/<token>/decline", methods=["POST"])
@public
@bp.arguments(DeclineSchema, required=False)
@bp.response(200, InviteeViewSchema)
@errors(400, 404, 409, 422)
def decline(fields: dict[str, Any], token: str) -> dict[str, Any]:
    """Decline: the held seats go back (to the first waitlisted guests)."""
    invitation = services().invitations.decline(token, reason=fields.get("reason", ""))
    return invitee_view(invitation)


@bp.route("/invitations/<token>/companions", methods=["POST"])
@public
@bp.arguments(CompanionSchema)
@bp.response(201, CompanionNamedSchema)
@errors(400, 404, 409, 422)
def name_companion(fields: dict[str, Any], token: str) -> dict[str, Any]:
    """Name one more accompanying person after accepting: their own registration and badge."""
    registration = services().invitations.name_companion(token, Companion(**fields))
    guest_list = services().box_office.guest_list(registration.gathering_id)
    return {"companion": fields, "registration": registration_data(registration, guest_list)}
