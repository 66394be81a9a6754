"""Server-rendered pages for guests: the registration form and the confirmation page."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import (
    Blueprint,
    Flask,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext
from marshmallow import EXCLUDE, ValidationError
from werkzeug.wrappers import Response

from domain.answers import InvalidAnswers
from domain.common import GUEST, N_
from domain.errors import DomainError, NotFound
from domain.gathering import Gathering
from domain.gathering_categories import GuestCategory
from domain.registration import GuestDetails, Registration, RegistrationState
from events_app.context import services
from events_app.errors import domain_status, refusal_text
from events_app.languages import current_language
from events_app.languages.dates import when_text
from events_app.languages.scripts import in_script
from events_app.languages.tags import NAMES
from events_app.languages.validation import field_message
from events_app.pages import STATIC, TEMPLATES, ask_first, csrf
from events_app.pages.answer_fields import (
    ANSWERS_MESSAGE,
    PREFIX,
    answer_fields,
    answer_problems,
    form_answers,
    refused_answers,
    shown_values,
)
from events_app.pages.guest import invitations as invitation_pages
from events_app.pages.guest import personal_data as guest_data
from events_app.pages.guest.confirmation import ask_guest, guest_registration, render_confirmation
from events_app.pages.guest.names import firm_name, gathering_title, gathering_venue, localtime
from events_app.pages.labels import (
    CATEGORY_NAMES,
    FORM_FIELDS,
    firm_message,
    staff_code_message,
)
from events_app.rate_limits.responses import register_refusal_page
from events_app.schemas.registrations import RegistrationCreateSchema
from events_app.services.authorisation import public
from events_app.services.confirmation import confirmation_token

# The app has its own /static route, which would shadow the pages' stylesheet at the same path.
bp = Blueprint(
    "web",
    __name__,
    template_folder=TEMPLATES,
    static_folder=STATIC,
    static_url_path="/web/static",
)

CSRF_MESSAGE = N_("This form has expired. Please submit it again.")


def init_app(app: Flask) -> None:
    """Register the guest pages."""
    csrf.init_app(app)
    app.jinja_env.filters["localtime"] = localtime
    app.jinja_env.globals.update(
        gathering_title=gathering_title,
        gathering_venue=gathering_venue,
        firm_name=firm_name,
        when_text=when_text,
        in_script=in_script,
        language_names=NAMES,
        category_names=CATEGORY_NAMES,
    )
    app.register_blueprint(bp)
    app.register_blueprint(invitation_pages.bp)
    app.register_blueprint(guest_data.bp)
    register_refusal_page(app, "web.submit_registration", render_refused_form)


@bp.get("/favicon.ico")
@public
def favicon() -> Response:
    """Serve the SVG icon to browsers that ask for /favicon.ico without reading the pages."""
    return bp.send_static_file("favicon.svg")


@bp.get("/")
@public
def index() -> Response:
    """Send visitors to the demo gathering's registration page."""
    return redirect(url_for("web.register", slug=current_app.config["DEMO_SLUG"]))


def render_form(
    slug: str,
    values: dict[str, Any],
    errors: dict[str, str],
    status: int = 200,
    notice: str = "",
    answers: dict[str, Any] | None = None,
) -> tuple[str, int]:
    """Render the registration form with what the guest typed (and answered) and any errors."""
    app = services().box_office
    gathering = app.gathering(slug)
    questions = app.questionnaire_of(gathering.id).in_order()
    offers_exhibitors = GuestCategory.EXHIBITOR in gathering.categories
    page = render_template(
        "register.html",
        gathering=gathering,
        is_open=gathering.is_open_for_registration(app.clock()),
        values=values,
        errors=errors,
        notice=notice,
        fields=FORM_FIELDS,
        offers_exhibitors=offers_exhibitors,
        firms=services().planning.firms_taking_staff(slug) if offers_exhibitors else [],
        questions=answer_fields(questions, current_language()),
        answer_values=shown_values(answers or {}),
    )
    return page, status


@bp.get("/gatherings/<slug>/register")
@public
def register(slug: str) -> tuple[str, int]:
    """Show the bilingual registration form (a firm's staff link pre-fills firm and code)."""
    values = {"category": "guest"}
    if request.args.get("firm"):
        values = {
            "category": GuestCategory.EXHIBITOR.value,
            "firm_id": request.args.get("firm", "")[:64],
            "staff_code": request.args.get("code", "")[:40],
        }
    try:
        return render_form(slug, values, {})
    except NotFound:
        abort(404)


@bp.post("/gatherings/<slug>/register")
@public
def submit_registration(slug: str) -> Any:
    """Register the guest, or show the form again with the problems marked."""
    values = request.form.to_dict()
    values["consent"] = "consent" in request.form
    try:
        gathering = services().box_office.gathering(slug)
    except NotFound:
        abort(404)
    questions = services().box_office.questionnaire_of(gathering.id).in_order()
    category = values.get("category") or "guest"  # the schema's default
    answers = form_answers(request.form, questions, category)
    values = {k: v for k, v in values.items() if not k.startswith(PREFIX)}
    if not csrf.is_valid(values.pop(csrf.FIELD, None)):
        return render_form(slug, values, {}, 400, notice=gettext(CSRF_MESSAGE), answers=answers)
    # The firm select is for exhibitor staff only; other guests' choice there is ignored.
    submitted = dict(values)
    if submitted.get("category") != GuestCategory.EXHIBITOR or not submitted.get("firm_id"):
        submitted.pop("firm_id", None)
        submitted.pop("staff_code", None)
    try:
        # Fields the form does not have (a browser add-on, a stale page) are ignored, not fatal.
        data = RegistrationCreateSchema().load(submitted, unknown=EXCLUDE)
    except ValidationError as error:
        problems = _first_messages(error.messages)
        if "firm_id" in problems:
            problems["firm_id"] = firm_message("not_found")
        if "category" not in problems:  # the answers are checked for the category chosen
            problems.update(answer_problems(questions, category, answers))
        return render_form(slug, values, problems, 422, answers=answers)
    category = data.pop("category")
    firm_id = data.pop("firm_id")
    code = data.pop("staff_code")
    data.pop("answers")  # the form's answers are its own inputs (answers.<key>)
    data["language"] = current_language()  # the page's: the guest read the form in it
    try:
        registration = (
            services()
            .box_office.register_placed(
                slug,
                GuestDetails(**data),
                category,
                GUEST,
                firm_id=firm_id,
                staff_code=code,
                answers=answers,
            )
            .registration
        )
    except InvalidAnswers as error:
        message = gettext(ANSWERS_MESSAGE)
        return render_form(slug, values, refused_answers(error), 422, message, answers)
    except DomainError as error:
        message = refusal_message(slug, error, firm_id)
        field_errors = {error.field: message} if error.field else {}
        return render_form(
            slug, values, field_errors, domain_status(error), notice=message, answers=answers
        )
    token = confirmation_token(current_app.secret_key, registration.id)  # type: ignore[arg-type]
    return redirect(url_for("web.confirmation", slug=slug, token=token), code=303)


def render_refused_form(message: str) -> tuple[str, int] | None:
    """Show the submitted form again with a too-many-attempts notice (None: no such gathering)."""
    values = request.form.to_dict()
    values["consent"] = "consent" in request.form
    values.pop(csrf.FIELD, None)
    try:
        return render_form(str((request.view_args or {}).get("slug")), values, {}, 429, message)
    except NotFound:
        return None


def refusal_message(slug: str, error: DomainError, firm_id: UUID | None) -> str:
    """Word a refused registration for the form, in both languages where the field has them."""
    if error.field == "firm_id":
        return firm_message(error.code)
    if error.field == "staff_code" and firm_id is not None:
        firm = services().planning.exhibition(slug).firm(firm_id)
        return staff_code_message(firm_name(firm))
    return refusal_text(error)


@bp.get("/gatherings/<slug>/registrations/<token>")
@public
def confirmation(slug: str, token: str) -> str | Response:
    """Show the guest where their registration stands (410 once their data were erased)."""
    gathering, registration = guest_registration(slug, token)
    if registration.erased:
        return guest_data.erased_page(gathering, request.args.get("notice", ""))
    return render_confirmation(gathering, registration, token, request.args.get("notice", ""))


@bp.post("/gatherings/<slug>/registrations/<token>/cancel")
@public
def cancel(slug: str, token: str) -> Response | str:
    """Cancel the guest's registration from the confirmation page, once they said yes."""
    gathering, registration = guest_registration(slug, token)
    notice = "cancelled"
    if not csrf.is_valid(request.form.get(csrf.FIELD)):
        notice = "expired"
    elif registration.is_active and not ask_first.confirmed(request.form):
        return ask_to_cancel(gathering, registration, token)
    else:
        try:
            services().box_office.cancel(registration.id, GUEST)
        except NotFound:
            abort(404)
        except DomainError:
            notice = "not_cancellable"
    return redirect(url_for("web.confirmation", slug=slug, token=token, notice=notice), code=303)


def ask_to_cancel(gathering: Gathering, registration: Registration, token: str) -> str:
    """Show what cancelling does, with the button that really cancels."""
    consequences = [
        gettext("Your registration is cancelled and your badge stops working at the door.")
    ]
    if registration.state is RegistrationState.CONFIRMED:
        consequences.append(
            gettext("Your seat goes to the next guest on the waitlist, if there is one.")
        )
    question = ask_first.Question(
        title=gettext("Cancel your registration?"),
        consequences=tuple(consequences),
        yes=gettext("Yes, cancel my registration"),
        back=url_for("web.confirmation", slug=gathering.slug, token=token),
        warning=gettext(
            "You cannot undo this yourself: to attend, you would register again, if seats are left."
        ),
    )
    return ask_guest(gathering, question)


def _first_messages(messages: Any) -> dict[str, str]:
    """Return the first message of each field from marshmallow's messages."""
    out: dict[str, str] = {}
    for name, problems in dict(messages).items():
        out[name] = field_message(problems[0] if isinstance(problems, list) else str(problems))
    return out
