"""Invitations as the API and the console show them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_babel import gettext

from domain.invitation import Invitation
from events_app.error_texts import validation_text
from events_app.errors import refusal_text
from events_app.services.planning import RowProblem


def shown_state(invitation: Invitation, at: datetime) -> str:
    """Return the invitation's state as of `at`: an unanswered one past its deadline is expired."""
    return "expired" if invitation.is_due(at) else invitation.state.value


def invitation_data(invitation: Invitation, at: datetime, link: str = "") -> dict[str, Any]:
    """Return an invitation as organisers see it."""
    return {
        "id": invitation.id,
        "gathering_id": invitation.gathering_id,
        "batch": invitation.batch,
        "deadline": invitation.deadline,
        **{k: v for k, v in invitation.details.items() if k != "language"},
        "language": invitation.language,
        "category": invitation.category,
        "state": shown_state(invitation, at),
        "companions_allowed": invitation.companions_allowed,
        "companions_reserved": invitation.companions_reserved,
        "companions": companions_data(invitation),
        "registration_id": invitation.registration_id,
        "reminded": invitation.reminded,
        "invited_at": invitation.invited_at,
        "updated_at": invitation.updated_at,
        "link": link,
        "erased": invitation.erased,
    }


def companions_data(invitation: Invitation) -> list[dict[str, str]]:
    """Return the companions an invitee named: their registration, name and role."""
    return [
        {"registration_id": rid, "full_name": name, "role": role}
        for rid, name, role in invitation.companions
    ]


def form_data(invitation: Invitation) -> dict[str, str]:
    """Return the registration form as the organiser's knowledge fills it in."""
    return {k: str(v) for k, v in invitation.details.items()}


def problem_text(problem: RowProblem) -> str:
    """Return why a row of an invitation file was refused, in the reader's language."""
    if problem.refusal is not None:
        return refusal_text(problem.refusal)
    translated = gettext(problem.message)
    return translated if translated != problem.message else validation_text(problem.message)
