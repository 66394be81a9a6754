"""A gathering's own questions: kinds, changes that keep answers, and checked answers."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import pytest

from domain.answers import InvalidAnswers, checked_answers
from domain.errors import InvalidValue, NotFound
from domain.questionnaire import Question, Questionnaire
from domain.registration import Registration

AT = datetime(2026, 2, 1, 9, 0, tzinfo=UTC)
ORG = "organiser:test"


def labels(en: str, hk: str = "問題") -> dict[str, str]:
    return {"en": en, "zh_Hant_HK": hk, "zh_Hans_CN": hk}


def choice(key: str) -> dict[str, Any]:
    return {"key": key, "labels": labels(key.title())}


def question(key: str, kind: str, **more: Any) -> Question:
    return Question(key=key, kind=kind, labels=labels(key), **more)


def questionnaire() -> Questionnaire:
    q = Questionnaire(gathering_id=uuid.uuid4())
    q.add(
        question("dietary", "one_choice", required=True, choices=[choice("none"), choice("halal")]),
        AT,
        ORG,
    )
    q.add(
        question("topics", "several_choices", choices=[choice("ai"), choice("bio"), choice("fin")]),
        AT,
        ORG,
    )
    q.add(question("signing", "yes_no", required=True), AT, ORG)
    q.add(question("arrival", "date"), AT, ORG)
    q.add(question("title", "short_text"), AT, ORG)
    q.add(question("remarks", "long_text"), AT, ORG)
    q.add(question("outlet", "short_text", required=True, categories=["press"]), AT, ORG)
    return q


def check(answers: dict[str, Any], category: str = "guest", **kw: Any) -> dict[str, Any]:
    return checked_answers(questionnaire().in_order(retired=True), category, answers, **kw)


def problems(answers: dict[str, Any], category: str = "guest") -> dict[str, str]:
    with pytest.raises(InvalidAnswers) as caught:
        check(answers, category)
    return {key: error.message for key, error in caught.value.problems.items()}


GOOD = {"dietary": "halal", "signing": True}


def test_every_kind_is_normalised() -> None:
    answers = check(
        {
            **GOOD,
            "topics": ["fin", "ai", "ai"],
            "arrival": " 2026-03-02 ",
            "title": "  Director ",
            "remarks": "Line one\nline two",
        }
    )
    assert answers == {
        "dietary": "halal",
        "signing": True,
        "topics": ["ai", "fin"],
        "arrival": "2026-03-02",
        "title": "Director",
        "remarks": "Line one\nline two",
    }


def test_blank_optional_answers_are_left_out() -> None:
    assert check({**GOOD, "title": "  ", "topics": [], "arrival": None}) == GOOD


@pytest.mark.parametrize(
    ("answers", "key", "says"),
    [
        ({"signing": True}, "dietary", "an answer is required"),
        ({**GOOD, "dietary": ""}, "dietary", "an answer is required"),
        ({**GOOD, "dietary": "vegan"}, "dietary", "vegan is not one of the choices"),
        ({**GOOD, "dietary": ["halal"]}, "dietary", "one choice"),
        ({**GOOD, "topics": "ai"}, "topics", "list"),
        ({**GOOD, "topics": ["ai", "chem"]}, "topics", "chem is not one of the choices"),
        ({**GOOD, "signing": "yes"}, "signing", "yes or no"),
        ({**GOOD, "arrival": "2026-02-30"}, "arrival", "date"),
        ({**GOOD, "arrival": 20260302}, "arrival", "date"),
        ({**GOOD, "title": 42}, "title", "text"),
        ({**GOOD, "title": "a\u200bb"}, "title", "control"),
        ({**GOOD, "title": "x" * 201}, "title", "at most 200"),
        ({**GOOD, "remarks": "x" * 2001}, "remarks", "at most 2000"),
        ({**GOOD, "shoe_size": "42"}, "shoe_size", "no such question"),
        ({**GOOD, "outlet": "RTHK"}, "outlet", "not asked of your category"),
    ],
)
def test_each_wrong_answer_is_named_by_its_key(
    answers: dict[str, Any], key: str, says: str
) -> None:
    found = problems(answers)
    assert list(found) == [key]
    assert says in found[key]


def test_all_problems_are_reported_at_once() -> None:
    assert set(problems({"dietary": "vegan", "topics": "ai"})) == {"dietary", "topics", "signing"}


def test_a_category_restricted_question_is_required_of_its_category_only() -> None:
    assert "outlet" in problems(GOOD, "press")
    assert check({**GOOD, "outlet": "RTHK"}, "press")["outlet"] == "RTHK"


def test_organisers_may_leave_required_questions_unanswered() -> None:
    assert check({"title": "CEO"}, enforce_required=False) == {"title": "CEO"}


def test_a_retired_question_is_not_asked_but_is_kept() -> None:
    q = questionnaire()
    q.retire("title", AT, ORG)
    assert "title" not in [x["key"] for x in q.in_order()]
    assert q.question("title")["retired"]
    assert q.in_order(retired=True)[-1]["key"] == "title"
    with pytest.raises(InvalidAnswers):
        checked_answers(q.in_order(retired=True), "guest", {**GOOD, "title": "CEO"})
    with pytest.raises(InvalidValue):
        q.add(question("title", "short_text"), AT, ORG)  # its key stays taken
    with pytest.raises(InvalidValue):
        q.change(question("title", "short_text"), AT, ORG)


def test_changes_keep_the_meaning_of_stored_answers() -> None:
    q = questionnaire()
    with pytest.raises(InvalidValue, match="kind"):
        q.change(question("signing", "short_text"), AT, ORG)
    with pytest.raises(InvalidValue, match="halal"):
        q.change(question("dietary", "one_choice", choices=[choice("none")]), AT, ORG)
    changed = [choice("none"), {"key": "halal", "labels": labels("Halal food")}, choice("vegan")]
    assert q.change(question("dietary", "one_choice", required=True, choices=changed), AT, ORG)
    assert [c["key"] for c in q.question("dietary")["choices"]] == ["none", "halal", "vegan"]
    assert not q.change(question("dietary", "one_choice", required=True, choices=changed), AT, ORG)


@pytest.mark.parametrize(
    ("bad", "field"),
    [
        (question("Bad Key", "short_text"), "key"),
        (question("k", "colour"), "kind"),
        (
            Question(key="k", kind="short_text", labels={"en": "K", "zh_Hant_HK": ""}),
            "labels.zh_Hant_HK",
        ),
        (question("k", "one_choice"), "choices"),
        (question("k", "yes_no", choices=[choice("a")]), "choices"),
        (question("k", "one_choice", choices=[choice("a"), choice("a")]), "choices"),
        (
            question("k", "one_choice", choices=[{"key": "a", "labels": {"en": "A"}}]),
            "choices.0.labels.zh_Hant_HK",
        ),
        (question("k", "short_text", categories=["alien"]), "categories"),
    ],
)
def test_bad_questions_are_refused_naming_the_field(bad: Question, field: str) -> None:
    with pytest.raises(InvalidValue) as caught:
        Questionnaire(gathering_id=uuid.uuid4()).add(bad, AT, ORG)
    assert caught.value.field == field


def test_reorder_names_every_live_question_once() -> None:
    q = questionnaire()
    q.retire("remarks", AT, ORG)
    keys = ["signing", "dietary", "topics", "arrival", "title", "outlet"]
    q.reorder(keys, AT, ORG)
    assert [x["key"] for x in q.in_order(retired=True)] == [*keys, "remarks"]
    with pytest.raises(InvalidValue):
        q.reorder(keys[:-1], AT, ORG)
    with pytest.raises(NotFound):
        q.question("nope")


def test_the_questionnaire_id_is_derived_from_the_gathering() -> None:
    gathering_id = uuid.uuid4()
    assert Questionnaire(gathering_id=gathering_id).id == Questionnaire.create_id(gathering_id)


def test_a_registration_records_answer_changes_with_before_and_after() -> None:
    details = {"full_name": "A", "email": "a@example.com", "organisation": "O", "job_title": "J"}
    r = Registration(
        id=uuid.uuid4(),
        gathering_id=uuid.uuid4(),
        details=details,
        category="guest",
        state="confirmed",
        at=AT,
        actor="guest",
        answers={"dietary": "none"},
    )
    changes = r.change_answers({"dietary": "halal", "signing": True}, AT, ORG)
    assert changes == {"dietary": ["none", "halal"], "signing": [None, True]}
    assert r.answers == {"dietary": "halal", "signing": True}
    assert r.change_answers(dict(r.answers), AT, ORG) == {}
    event = r.collect_events()[-1]
    assert type(event).__name__ == "AnswersChanged"
    assert event.actor == ORG


def test_a_registration_stored_before_questions_loads_without_answers() -> None:
    details = {"full_name": "A", "email": "a@example.com", "organisation": "O", "job_title": "J"}
    r = Registration(
        id=uuid.uuid4(),
        gathering_id=uuid.uuid4(),
        details=details,
        category="guest",
        state="confirmed",
        at=AT,
        actor="guest",
    )
    created = r.collect_events()[0]
    del created.__dict__["answers"]  # as an event stored before answers existed
    assert created.mutate(None).answers == {}  # type: ignore[attr-defined]
