"""Every refusal marshmallow words is said again in the page's language, numbers kept."""

from __future__ import annotations

import inspect
import re
from typing import Any

import pytest
from flask_babel import force_locale
from marshmallow import Schema, ValidationError, fields, validate

from events_app.languages.validation import field_message
from tests.refusal_texts import _app

LATIN = re.compile(r"[A-Za-z]")
CHINESE = ("zh_Hant_HK", "zh_Hans_CN")


def _field_messages() -> set[str]:
    """Return the default messages of every marshmallow field class, with sample values."""
    found = set()
    for field in vars(fields).values():
        if inspect.isclass(field) and issubclass(field, fields.Field):
            for text in getattr(field, "default_error_messages", {}).values():
                found.add(
                    text.format(input="x", obj_type="date", awareness="naive", choices="a, b")
                )
    return found


def _refused(validator: Any, value: Any) -> str:
    """Return the message marshmallow gives when `validator` refuses `value`."""

    class One(Schema):
        value = fields.Raw(validate=validator)

    try:
        One().load({"value": value})
    except ValidationError as error:
        return str(error.messages["value"][0])
    raise AssertionError(f"{validator!r} let {value!r} through")


VALIDATORS = [
    (validate.Length(min=1, max=200), ""),
    (validate.Length(min=3, max=40), "ab"),
    (validate.Length(min=3), "ab"),
    (validate.Length(max=12), "x" * 13),
    (validate.Length(equal=6), "abc"),
    (validate.Range(min=0, max=500), 501),
    (validate.Range(min=1), 0),
    (validate.Range(max=10), 11),
    (validate.Range(min=0, max=5, min_inclusive=False, max_inclusive=False), 0),
    (validate.OneOf(["a", "b"]), "c"),
    (validate.ContainsOnly(["a"]), ["b"]),
    (validate.ContainsNoneOf(["a"]), ["a"]),
    (validate.Regexp(r"\d+"), "x"),
    (validate.Email(), "x"),
    (validate.URL(), "x"),
    (validate.Equal(True), False),
    (validate.NoneOf(["x"]), "x"),
    (validate.Predicate("isdigit"), "x"),
]
MESSAGES = sorted(_field_messages() | {_refused(v, value) for v, value in VALIDATORS})


@pytest.mark.parametrize("language", CHINESE)
@pytest.mark.parametrize("message", MESSAGES)
def test_marshmallow_refusals_are_said_in_chinese(language: str, message: str) -> None:
    with _app().test_request_context("/"), force_locale(language):
        said = field_message(message)
    assert not LATIN.search(said), f"{message!r} stays {said!r} in {language}"
    limits = re.findall(r"\d+", message)
    assert set(re.findall(r"\d+", said)) <= set(limits)
    if re.search(r"length|than", message, re.IGNORECASE):  # a limit: the largest one is said
        assert max(limits, key=int) in said


def test_a_required_name_left_empty_is_told_so_with_its_limit() -> None:
    message = _refused(validate.Length(min=1, max=200), "")
    with _app().test_request_context("/"), force_locale("en"):
        assert field_message(message) == "Required, at most 200 characters."
    with _app().test_request_context("/"), force_locale("zh_Hans_CN"):
        assert "200" in field_message(message)
