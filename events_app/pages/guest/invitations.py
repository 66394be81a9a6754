"""The invitee's page: their personal link opens the registration form filled in for them.

Accepting registers them in the seat held for them (and their companions), with their
answers to the organisers' questions asked of the invitation's category (the category is
the invitation's: only its questions are on the form), and shows their confirmation page
with the badge; declining gives the seat back. A link that is expired,
used, declined or withdrawn shows a refusal page (4xx) and writes nothing.
"""

from __future__ import annotations

from contextlib import suppress
from dataclasses import replace
from typing import Any

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask_babel import gettext
from marshmallow import EXCLUDE, ValidationError

from domain.answers import InvalidAnswers
from domain.common import N_
from domain.errors import DomainError, NotFound
from domain.invitation import Invitation, InvitationState
from domain.registration import GuestDetails
from events_app.context import services
from events_app.errors import domain_status, refusal_text
from events_app.languages import current_language
from events_app.languages.validation import field_message
from events_app.pages import TEMPLATES, csrf
from events_app.pages.answer_fields import (
    ANSWERS_MESSAGE,
    PREFIX,
    AnswerField,
    answer_fields,
    answer_problems,
    form_answers,
    refused_answers,
    shown_values,
)
from events_app.pages.guest.confirmation import guest_registration, render_confirmation
from events_app.pages.labels import FORM_FIELDS
from events_app.presenters.invitations import form_data
from events_app.schemas.invitations import AcceptSchema, CompanionSchema
from events_app.services.authorisation import public
from events_app.services.confirmation import confirmation_token
from events_app.services.invitations import Companion

bp = Blueprint("invitation_pages", __name__, template_folder=TEMPLATES)
CSRF_MESSAGE = N_("This form has expired. Please submit it again.")


def open_invitation(token: str) -> Invitation:
    """Return the invitation of a link (expired first if due), or abort 404."""
    try:
        return services().invitations.open(token)
    except NotFound:
        abort(404)


def asked(invitation: Invitation) -> list[dict[str, Any]]:
    """Return the live questions asked of the invitation's category, in order."""
    return (
        services().box_office.questionnaire_of(invitation.gathering_id).asked(invitation.category)
    )


def invitee_fields(invitation: Invitation) -> list[AnswerField]:
    """Return the inputs of the invitation's questions (whom they are asked of goes unsaid)."""
    fields = answer_fields(asked(invitation), current_language())
    return [replace(f, only_for="") for f in fields]


def render_invitation(
    token: str,
    invitation: Invitation,
    values: dict[str, Any],
    errors: dict[str, str],
    status: int = 200,
    notice: str = "",
    answers: dict[str, Any] | None = None,
) -> tuple[str, int]:
    """Render the invitation with its form, or why it cannot be answered (declined: a thank-you)."""
    gathering = services().box_office.gathering_by_id(invitation.gathering_id)
    try:
        invitation.check_answerable(services().box_office.clock())
    except DomainError as refusal:
        page = render_template(
            "invitation_refused.html",
            gathering=gathering,
            code=refusal.code,
            message=refusal_text(refusal),
            registration_link=registration_link(invitation, gathering.slug),
        )
        thanked = request.method == "GET" and invitation.state is InvitationState.DECLINED
        return page, 200 if thanked else domain_status(refusal)
    page = render_template(
        "invitation.html",
        gathering=gathering,
        invitation=invitation,
        token=token,
        values=values,
        errors=errors,
        notice=notice,
        fields=FORM_FIELDS,
        companion_rows=range(invitation.companions_allowed),
        questions=invitee_fields(invitation),
        answer_values=shown_values(answers or {}),
    )
    return page, status


def registration_link(invitation: Invitation, slug: str) -> str:
    """Return the invitee's confirmation page once they accepted (empty before)."""
    if invitation.state is not InvitationState.ACCEPTED or invitation.registration_id is None:
        return ""
    link = confirmation_token(current_app.secret_key, invitation.registration_id)  # type: ignore[arg-type]
    return url_for("web.confirmation", slug=slug, token=link)


@bp.get("/invitations/<token>")
@public
def invitation(token: str) -> tuple[str, int]:
    """Show the invitation and the registration form filled with what the organisers know."""
    found = open_invitation(token)
    return render_invitation(token, found, form_data(found), {})


@bp.post("/invitations/<token>/accept")
@public
def accept(token: str) -> Any:
    """Accept: register in the held seat, then show the confirmation page with the badge."""
    found = open_invitation(token)
    answers = form_answers(request.form, asked(found), found.category)
    values = {k: v for k, v in request.form.to_dict().items() if not k.startswith(PREFIX)}
    values["consent"] = "consent" in request.form
    if not csrf.is_valid(values.pop(csrf.FIELD, None)):
        return render_invitation(token, found, values, {}, 400, gettext(CSRF_MESSAGE), answers)
    companions, problems = companions_of(values)
    try:
        data = AcceptSchema().load(
            {k: v for k, v in values.items() if not k.startswith("companion_")}, unknown=EXCLUDE
        )
    except ValidationError as error:
        problems.update(first_messages(error.messages))
    if problems:
        problems.update(answer_problems(asked(found), found.category, answers))
        return render_invitation(token, found, values, problems, 422, answers=answers)
    try:
        registration = services().invitations.accept(
            token, invitee_details(found, data), companions, answers=answers
        )
    except InvalidAnswers as error:
        refused, message = refused_answers(error), gettext(ANSWERS_MESSAGE)
        return render_invitation(token, found, values, refused, 422, message, answers)
    except DomainError as error:
        message = refusal_text(error)
        shown = {error.field: message} if error.field else {}
        status = domain_status(error)
        return render_invitation(token, found, values, shown, status, message, answers)
    slug = services().box_office.gathering_by_id(registration.gathering_id).slug
    link = confirmation_token(current_app.secret_key, registration.id)  # type: ignore[arg-type]
    return redirect(url_for("web.confirmation", slug=slug, token=link), code=303)


def invitee_details(invitation: Invitation, data: dict[str, Any]) -> GuestDetails:
    """Return the invitee's details from the form; what is left out, the invitation's."""
    data = {k: v for k, v in data.items() if k not in ("companions", "answers")}
    data["language"] = current_language()  # the page's: the invitee read the form in it
    known = form_data(invitation)
    for name in ("full_name", "name_zh", "organisation", "job_title", "email"):
        data[name] = data[name] if data[name] is not None else known.get(name, "")
    return GuestDetails(**data)


@bp.post("/invitations/<token>/decline")
@public
def decline(token: str) -> Any:
    """Decline: the held seat goes back; the page then says the invitation was declined."""
    found = open_invitation(token)
    if not csrf.is_valid(request.form.get(csrf.FIELD)):
        return render_invitation(token, found, form_data(found), {}, 400, gettext(CSRF_MESSAGE))
    if found.state is InvitationState.INVITED:
        with suppress(DomainError):  # answered meanwhile: the page shows how
            services().invitations.decline(token)
    return redirect(url_for("invitation_pages.invitation", token=token), code=303)


@bp.post("/gatherings/<slug>/registrations/<token>/companions")
@public
def name_companion(slug: str, token: str) -> Any:
    """Name one more accompanying person from the invitee's confirmation page."""
    gathering, registration = guest_registration(slug, token)
    if registration.invitation_id is None or registration.companion_of is not None:
        abort(404)
    values = {name: request.form.get(name, "") for name in ("full_name", "role")}

    def again(status: int, message: str = "", errors: dict[str, str] | None = None) -> Any:
        page = render_confirmation(
            gathering, registration, token, message=message, errors=errors, values=values
        )
        return page, status

    if not csrf.is_valid(request.form.get(csrf.FIELD)):
        return again(400, gettext(CSRF_MESSAGE))
    try:
        companion = Companion(**CompanionSchema().load(values, unknown=EXCLUDE))
    except ValidationError as error:
        return again(422, errors=first_messages(error.messages))
    invitations = services().invitations
    invitation = invitations.invitation(registration.invitation_id)
    try:
        invitations.name_companion(invitations.token(invitation), companion)
    except DomainError as error:
        return again(domain_status(error), refusal_text(error))
    done = url_for("web.confirmation", slug=slug, token=token, notice="companion_named")
    return redirect(done, code=303)


def companions_of(values: dict[str, Any]) -> tuple[list[Companion], dict[str, str]]:
    """Return the companions named on the form, and a problem per half-filled row."""
    companions, problems = [], {}
    for index in range(20):
        name = str(values.get(f"companion_name_{index}", "")).strip()
        role = str(values.get(f"companion_role_{index}", "")).strip()
        if not name and not role:
            continue
        if not name or not role or len(name) > 200 or len(role) > 100:
            problems[f"companion_name_{index}"] = gettext("Give each companion's name and role.")
            continue
        companions.append(Companion(full_name=name, role=role))
    return companions, problems


def first_messages(messages: Any) -> dict[str, str]:
    """Return the first message of each field from marshmallow's messages."""
    return {
        name: field_message(said[0] if isinstance(said, list) else str(said))
        for name, said in dict(messages).items()
    }
