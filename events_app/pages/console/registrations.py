"""Console pages: the registrations list, one registration's page and the decisions on it.

The list searches the guest-list read model (name, Chinese name, e-mail, organisation),
filters by state and category and pages through the result. A registration's page shows
its details, where it stands, and its whole history in plain words; each decision
(approve, approve over capacity, reject, cancel, reissue the badge) is a form that runs
only on the version of the registration the organiser saw.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

from flask import flash, g, redirect, request
from flask_babel import gettext
from werkzeug.wrappers import Response

from domain.common import N_
from domain.gathering import Gathering
from domain.gathering_categories import GuestCategory
from domain.registration import Registration, RegistrationState
from domain.roles import Permission
from events_app.context import services
from events_app.languages import current_language
from events_app.pages.ask_first import Question
from events_app.pages.console import questions
from events_app.pages.console.common import (
    act,
    console_blueprint,
    form_version,
    gathering_or_404,
    render_console,
)
from events_app.pages.console.correction_forms import full_category_note
from events_app.pages.console.registration_answers import answers_context
from events_app.pages.console.registration_list import (
    STATE_LABELS,
    answer_options,
    filters_from,
    page_number,
    search,
)
from events_app.pages.console.registration_lookup import (
    find_registration,
    missing,
    registration_url,
)
from events_app.pages.console.words import category_name
from events_app.pages.registration_history import format_time, plain_history
from events_app.pages.sessions import organiser_page
from events_app.read_models.printable import unprintable_details

bp = console_blueprint("console_registrations", __name__)

MAX_REASON = 500
WAITLISTED = N_("No seat was free, so the registration is now on the waitlist.")
OVERRIDE_VIP_ONLY = N_("Capacity can be overridden for VIP guests only.")


# Helpers ---------------------------------------------------------------------------


def local_time(value: str | datetime | None, zone: tzinfo) -> str:
    """Return a stored time (ISO text or datetime) as the page's language writes it in `zone`."""
    if value is None or value == "":
        return ""
    at = datetime.fromisoformat(value) if isinstance(value, str) else value
    return format_time(at, zone)


# The list ----------------------------------------------------------------------------


@bp.get("/registrations")
@organiser_page(Permission.VIEW)
def registrations(slug: str) -> str:
    """List, search and filter the gathering's registrations."""
    gathering = gathering_or_404(slug)
    filters = filters_from(request.args, gathering)
    found = search(gathering, filters, page_number(request.args.get("page", "1")))
    counts = services().guest_list.counts(str(gathering.id))["by_state"]
    zone = ZoneInfo(gathering.timezone)
    return render_console(
        "console/registrations.html",
        slug,
        gathering=gathering,
        rows=found.rows,
        total=found.total,
        page=found.page,
        pages=found.pages,
        text=filters.text,
        state=filters.state,
        category=filters.category,
        filters=filters.asked(),
        answer=filters.answer,
        answer_options=answer_options(
            services().box_office.questionnaire_of(gathering.id).in_order(retired=True),
            current_language(),
        ),
        counts=counts,
        all_count=sum(counts.values()),
        states=STATE_LABELS,
        categories=[(name, category_name(name)) for name in gathering.categories],
        when=lambda value: local_time(value, zone),
    )


# One registration ----------------------------------------------------------------


def firm_of(gathering: Gathering, found: Registration) -> dict[str, Any] | None:
    """Return the firm an exhibitor's registration holds a staff badge of, or asks one of."""
    if found.category != GuestCategory.EXHIBITOR:
        return None
    exhibition = services().box_office.exhibition_of(gathering.id)
    if exhibition is None:
        return None
    firm_id = exhibition.firm_of_staff(found.id) or exhibition.firm_requested_by(found.id)
    return None if firm_id is None else exhibition.firm(firm_id)


@bp.get("/registrations/<registration_id>")
@organiser_page(Permission.VIEW)
def registration(slug: str, registration_id: str) -> Any:
    """Show one registration: details, standing, decisions and history."""
    gathering = gathering_or_404(slug)
    found = find_registration(gathering, registration_id)
    if found is None:
        return missing(slug, gathering)
    app = services().box_office
    zone = ZoneInfo(gathering.timezone)
    state = found.state.value
    may_decide = found.state in (RegistrationState.PENDING, RegistrationState.WAITLISTED)
    return render_console(
        "console/registrations_detail.html",
        slug,
        gathering=gathering,
        registration=found,
        details=found.details,
        state=state,
        category_label=category_name(found.category),
        waitlist_position=app.guest_list(gathering.id).waitlist_position(found.id),
        firm=firm_of(gathering, found),
        submitted=local_time(found.submitted_at, zone),
        updated=local_time(found.updated_at, zone),
        history=plain_history(app.history(found.id), zone),
        can_approve=may_decide,
        can_override=may_decide and found.category == GuestCategory.VIP,
        override_note=gettext(OVERRIDE_VIP_ONLY),
        can_reject=found.state == RegistrationState.PENDING,
        can_cancel=found.is_active,
        can_reissue=found.state == RegistrationState.CONFIRMED and not found.erased,
        max_reason=MAX_REASON,
        unprintable=list(unprintable_details(found.details)),
        **answers_context(gathering, found),
    )


def decide(
    slug: str,
    registration_id: str,
    run: Any,
    done: str | Callable[[Any], tuple[str, str]],
    ask: Callable[[Registration, str], Question] | None = None,
) -> Response | tuple[str, int]:
    """Run one decision on the gathering's registration, on the version the form showed.

    An irreversible decision names `ask`, the question it asks first (see ask_first).
    """
    gathering = gathering_or_404(slug)
    found = find_registration(gathering, registration_id)
    if found is None:
        return missing(slug, gathering)
    back = registration_url(slug, found.id)
    return act(
        lambda: run(found.id, g.organiser.label),
        done=done,
        back=back,
        versions={found.id: form_version()},
        ask=None if ask is None else ask(found, back),
    )


def form_reason(slug: str, registration_id: str) -> str | Response:
    """Return the form's reason, or a redirect back with a message when it is too long."""
    reason = request.form.get("reason", "").strip()
    if len(reason) > MAX_REASON:
        flash(
            gettext("Not done: the reason must be at most %(count)s characters.", count=MAX_REASON),
            "error",
        )
        return redirect(registration_url(slug, registration_id), code=303)
    return reason


@bp.post("/registrations/<registration_id>/approve")
@organiser_page(Permission.MANAGE_REGISTRATIONS)
def approve(slug: str, registration_id: str) -> Any:
    """Approve: a seat if one is free (or, for a VIP, over capacity), else the waitlist."""
    override = request.form.get("override") == "1"
    return decide(
        slug,
        registration_id,
        lambda rid, actor: services().box_office.approve(rid, actor, override=override),
        approval_outcome,
    )


def approval_outcome(result: Registration) -> tuple[str, str]:
    """Word the outcome of an approval: a seat, a seat over capacity, or the waitlist."""
    if result.state == RegistrationState.WAITLISTED:
        return full_category_note(result) or gettext(WAITLISTED), "error"
    if result.capacity_overridden:
        return gettext("Approved over capacity."), "ok"
    return gettext("Approval recorded."), "ok"


@bp.post("/registrations/<registration_id>/reject")
@organiser_page(Permission.MANAGE_REGISTRATIONS)
def reject(slug: str, registration_id: str) -> Any:
    """Turn down a pending registration, with an optional reason."""
    reason = form_reason(slug, registration_id)
    if not isinstance(reason, str):
        return reason
    return decide(
        slug,
        registration_id,
        lambda rid, actor: services().box_office.reject(rid, actor, reason),
        lambda _result: (gettext("Rejected."), "ok"),
        lambda found, back: questions.reject(found, reason, back),
    )


@bp.post("/registrations/<registration_id>/cancel")
@organiser_page(Permission.MANAGE_REGISTRATIONS)
def cancel(slug: str, registration_id: str) -> Any:
    """Cancel a registration, with an optional reason; the waitlist moves up."""
    reason = form_reason(slug, registration_id)
    if not isinstance(reason, str):
        return reason
    return decide(
        slug,
        registration_id,
        lambda rid, actor: services().box_office.cancel(rid, actor, reason),
        lambda _result: (gettext("Cancelled."), "ok"),
        lambda found, back: questions.cancel(found, reason, back, questions.staff_firm(found)),
    )


@bp.post("/registrations/<registration_id>/erase")
@organiser_page(Permission.ERASE_PERSONAL_DATA)
def erase(slug: str, registration_id: str) -> Any:
    """Erase the guest's personal data: a reason and a tick on the form, then asked again."""
    reason = form_reason(slug, registration_id)
    if not isinstance(reason, str):
        return reason
    if not reason or request.form.get("understood") != "yes":
        flash(gettext("Not done: give the reason and tick that it cannot be undone."), "error")
        return redirect(registration_url(slug, registration_id), code=303)
    return decide(
        slug,
        registration_id,
        lambda rid, actor: services().personal_data.erase(rid, actor, reason),
        lambda _result: (gettext("The guest's personal data are erased."), "ok"),
        lambda found, back: questions.erase(found, reason, back),
    )


@bp.post("/registrations/<registration_id>/reissue-badge")
@organiser_page(Permission.MANAGE_REGISTRATIONS)
def reissue_badge(slug: str, registration_id: str) -> Any:
    """Issue a new badge; the old one stops working at the door."""
    return decide(
        slug,
        registration_id,
        lambda rid, actor: services().box_office.reissue_badge(rid, actor),
        lambda _result: (gettext("New badge issued; the old one no longer works."), "ok"),
    )
