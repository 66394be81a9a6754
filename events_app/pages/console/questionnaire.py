"""Console: the gathering's own registration questions, added, changed, reordered, retired.

Choices are typed one a line, `key | English | Traditional | Simplified` (Simplified may
be left out: it is made from the Traditional). A refused question shows the form again
with the message beside its field; nothing is saved.
"""

from __future__ import annotations

from typing import Any

from flask import abort, g, request, url_for
from flask_babel import gettext
from werkzeug.datastructures import MultiDict

from domain.common import N_
from domain.errors import DomainError, InvalidValue, NotFound
from domain.questionnaire import Question, QuestionKind
from domain.roles import Permission
from events_app.context import services
from events_app.errors import refusal_text
from events_app.languages import current_language
from events_app.languages.scripts import in_script
from events_app.pages.ask_first import Question as Ask
from events_app.pages.console.common import act, console_blueprint, render_console
from events_app.pages.console.words import category_name
from events_app.pages.sessions import organiser_page
from events_app.presenters.questionnaire import label

bp = console_blueprint("console_questionnaire", __name__)
KIND_NAMES = {
    QuestionKind.SHORT_TEXT: N_("Short text"),
    QuestionKind.LONG_TEXT: N_("Long text"),
    QuestionKind.ONE_CHOICE: N_("One choice"),
    QuestionKind.SEVERAL_CHOICES: N_("Several choices"),
    QuestionKind.YES_NO: N_("Yes or no"),
    QuestionKind.DATE: N_("Date"),
}
LANGUAGES = ("en", "zh_Hant_HK", "zh_Hans_CN")
BAD_CHOICE_LINE = N_("Line %(line)s: write key | English | Traditional Chinese | Simplified")


def question_or_404(slug: str, key: str) -> dict[str, Any]:
    """Return one question of the gathering (also a retired one), or answer 404."""
    try:
        return services().questionnaires.questionnaire(slug).question(key)
    except NotFound:
        abort(404)


def page_url(slug: str) -> str:
    """Return the address of the questions page."""
    return url_for("console_questionnaire.questionnaire", slug=slug)


def typed(labels: dict[str, str]) -> dict[str, str]:
    """Return labels as typed: a Simplified one made from the Traditional is left out.

    So a change of the Traditional label makes the Simplified one again, unless the
    organiser wrote their own.
    """
    made = in_script(labels.get("zh_Hant_HK", ""), "zh_Hans_CN")
    return {
        **labels,
        "zh_Hans_CN": "" if labels.get("zh_Hans_CN") == made else labels["zh_Hans_CN"],
    }


def choices_text(question: dict[str, Any]) -> str:
    """Return a question's choices as the form's text area holds them."""
    lines = []
    for choice in question["choices"]:
        labels = typed(choice["labels"])
        parts = [choice["key"], *(labels[lang] for lang in LANGUAGES)]
        lines.append(" | ".join(parts if parts[-1] else parts[:-1]))
    return "\n".join(lines)


def form_of(question: dict[str, Any] | None) -> dict[str, Any]:
    """Return the form's values of a question (an empty form for a new one)."""
    q = question or {
        "key": "",
        "kind": "short_text",
        "labels": {"zh_Hans_CN": ""},
        "required": False,
    }
    return {
        "key": q["key"],
        "kind": q["kind"],
        **{f"label_{lang}": typed(q["labels"]).get(lang, "") for lang in LANGUAGES},
        "required": q["required"],
        "categories": list(q.get("categories", [])),
        "choices": choices_text(q) if question else "",
    }


def question_from(form: MultiDict[str, str], key: str, kind: str) -> Question:
    """Return the question a form describes, or raise InvalidValue for a bad choice line."""
    choices = []
    for number, line in enumerate(form.get("choices", "").splitlines(), start=1):
        if not line.strip():
            continue
        parts = [part.strip() for part in line.split("|")]
        if len(parts) not in (3, 4):
            raise InvalidValue(BAD_CHOICE_LINE, field="choices", line=number)
        choices.append({"key": parts[0], "labels": dict(zip(LANGUAGES, parts[1:], strict=False))})
    return Question(
        key=key,
        kind=kind,
        labels={lang: form.get(f"label_{lang}", "") for lang in LANGUAGES},
        required="required" in form,
        choices=choices,
        categories=form.getlist("categories"),
    )


def field_message(error: DomainError) -> tuple[str, str]:
    """Return (form field, message) of a refused question."""
    field = (error.field or "key").split(".")[0]
    name = {"labels": "label_" + (error.field or "").rpartition(".")[2]}.get(field, field)
    return name, refusal_text(error)


def render(slug: str, values: dict[str, Any], errors: dict[str, str], status: int = 200) -> Any:
    """Render the questions page with the add form (or an edit form) and any errors."""
    gathering = services().box_office.gathering(slug)
    questionnaire = services().questionnaires.questionnaire(slug)
    language = current_language()
    return render_console(
        "console/questionnaire.html",
        slug,
        gathering=gathering,
        questions=questionnaire.in_order(),
        retired=[q for q in questionnaire.in_order(retired=True) if q["retired"]],
        title=lambda q: label(q["labels"], language),
        kinds=KIND_NAMES,
        categories=[(name, category_name(name)) for name in gathering.categories],
        v=values,
        errors=errors,
        editing=(request.view_args or {}).get("key", ""),
        version=questionnaire.version,
    ), status


@bp.get("/questionnaire")
@organiser_page(Permission.VIEW)
def questionnaire(slug: str) -> Any:
    """List the gathering's questions with the form to add one."""
    return render(slug, form_of(None), {})


@bp.get("/questionnaire/<key>")
@organiser_page(Permission.PLAN)
def edit(slug: str, key: str) -> Any:
    """Show the form to change one question."""
    question = question_or_404(slug, key)
    return render(slug, form_of(question), {})


def save(slug: str, run: Any, done: str) -> Any:
    """Run an add or a change; show the form again with the message beside its field."""
    values = {**request.form.to_dict(), "categories": request.form.getlist("categories")}
    values["required"] = "required" in request.form

    def refused(error: DomainError) -> Any:
        name, message = field_message(error)
        return render(slug, values, {name: message}, 422)

    return act(run, done=gettext(done), back=page_url(slug), refused=refused)


@bp.post("/questionnaire")
@organiser_page(Permission.PLAN)
def add(slug: str) -> Any:
    """Add a question at the end."""
    form = request.form
    return save(
        slug,
        lambda: services().questionnaires.add(
            slug,
            question_from(form, form.get("key", "").strip(), form.get("kind", "")),
            g.organiser.label,
        ),
        N_("Question added."),
    )


@bp.post("/questionnaire/<key>")
@organiser_page(Permission.PLAN)
def change(slug: str, key: str) -> Any:
    """Change a question's labels, choices, categories or requiredness."""
    kind = question_or_404(slug, key)["kind"]
    return save(
        slug,
        lambda: services().questionnaires.change(
            slug, question_from(request.form, key, kind), g.organiser.label
        ),
        N_("Question saved."),
    )


@bp.post("/questionnaire/<key>/move")
@organiser_page(Permission.PLAN)
def move(slug: str, key: str) -> Any:
    """Move a question one place up or down."""
    keys = [q["key"] for q in services().questionnaires.questionnaire(slug).in_order()]
    if key in keys:
        at = keys.index(key)
        to = max(0, min(len(keys) - 1, at + (-1 if request.form.get("to") == "up" else 1)))
        keys.insert(to, keys.pop(at))
    return act(
        lambda: services().questionnaires.reorder(slug, keys, g.organiser.label),
        done=gettext("Order saved."),
        back=page_url(slug),
    )


@bp.post("/questionnaire/<key>/retire")
@organiser_page(Permission.PLAN)
def retire(slug: str, key: str) -> Any:
    """Retire a question (after a yes): no longer asked, its answers kept."""
    question = question_or_404(slug, key)
    name = label(question["labels"], current_language())
    ask = Ask(
        title=gettext("Retire the question “%(name)s”?", name=name),
        consequences=(
            gettext("Guests are no longer asked it."),
            gettext("The answers given so far are kept in the history and the exports."),
        ),
        yes=gettext("Yes, retire the question"),
        back=page_url(slug),
    )
    return act(
        lambda: services().questionnaires.retire(slug, key, g.organiser.label),
        done=gettext("Question retired."),
        back=page_url(slug),
        ask=ask,
    )
