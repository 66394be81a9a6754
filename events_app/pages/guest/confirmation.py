"""The guest's confirmation page: where their registration stands, badge, answers, companions.

The invitee's own page also lets them name the accompanying persons their invitation still
has places for (until its deadline); each named companion gets a registration of their own.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import abort, current_app, render_template, request, url_for
from markupsafe import Markup

from domain.errors import NotFound
from domain.gathering import Gathering
from domain.invitation import InvitationState
from domain.registration import Registration, RegistrationState
from events_app.context import services
from events_app.languages import current_language
from events_app.pages import ask_first
from events_app.pages.answer_fields import answered
from events_app.pages.labels import STATE_TEXT
from events_app.presenters.invitations import companions_data
from events_app.services.confirmation import confirmation_token, registration_id_from
from events_app.services.qr_images import qr_svg


def guest_registration(slug: str, token: str) -> tuple[Gathering, Registration]:
    """Return the gathering and the registration a confirmation link names, or abort 404."""
    app = services().box_office
    registration_id = registration_id_from(current_app.secret_key, token)  # type: ignore[arg-type]
    if registration_id is None:
        abort(404)
    try:
        registration = app.registration(registration_id)
        gathering = app.gathering(slug)
    except NotFound:
        abort(404)
    if registration.gathering_id != gathering.id:
        abort(404)
    return gathering, registration


def render_confirmation(
    gathering: Gathering,
    registration: Registration,
    token: str,
    notice: str = "",
    message: str = "",
    errors: dict[str, str] | None = None,
    values: dict[str, Any] | None = None,
) -> str:
    """Render the confirmation page: `notice` names a known outcome, `message` says a refusal.

    `errors` and `values` are the companion form's problems and what was typed in it.
    """
    app = services().box_office
    return render_template(
        "confirmation.html",
        gathering=gathering,
        registration=registration,
        position=app.guest_list(gathering.id).waitlist_position(registration.id),
        state_text=STATE_TEXT[registration.state.value],
        token=token,
        badge_svg=badge_svg(registration),
        answers=answered(
            app.questionnaire_of(gathering.id).in_order(retired=True),
            registration.answers,
            current_language(),
        ),
        notice=notice,
        message=message,
        errors=errors or {},
        values=values or {},
        companion_places=companion_places(registration),
        **companionship(registration),
    )


def companion_places(registration: Registration) -> int:
    """Return how many companions the invitee may still name on their page (0: no form)."""
    if registration.invitation_id is None or registration.companion_of is not None:
        return 0
    invitation = services().invitations.invitation(registration.invitation_id)
    if (
        not registration.is_active
        or invitation.state is not InvitationState.ACCEPTED
        or services().box_office.clock() >= invitation.deadline
    ):
        return 0
    return max(invitation.companions_allowed - len(invitation.companions), 0)


def companionship(registration: Registration) -> dict[str, Any]:
    """Return whom an invited guest brings (companions) or accompanies (the guest's name)."""
    app = services().box_office
    if registration.companion_of is not None:
        return {"accompanies": app.registration(registration.companion_of).details["full_name"]}
    if registration.invitation_id is None:
        return {}
    invitation = services().invitations.invitation(registration.invitation_id)
    slug = app.gathering_by_id(registration.gathering_id).slug
    companions = [
        {
            **companion,
            "link": url_for(
                "web.confirmation",
                slug=slug,
                token=confirmation_token(
                    current_app.secret_key, UUID(companion["registration_id"])
                ),  # type: ignore[arg-type]
            ),
        }
        for companion in companions_data(invitation)
    ]
    return {"companions": companions}


def badge_svg(registration: Registration) -> Markup | None:
    """Return the QR badge of a confirmed registration as inline SVG, else None."""
    if registration.state is not RegistrationState.CONFIRMED:
        return None
    svg = qr_svg(services().checkin.badge_token(registration))
    return Markup(svg[svg.index("<svg") :])  # noqa: S704 (SVG made by qrcode from our token)


def ask_guest(gathering: Gathering, question: ask_first.Question) -> str:
    """Render the question an irreversible guest action asks first (see pages/ask_first)."""
    return render_template(
        "confirm_guest.html",
        gathering=gathering,
        question=question,
        action=request.path,
        fields=ask_first.carried(request.form),
    )
