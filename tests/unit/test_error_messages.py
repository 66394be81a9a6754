"""Every API error code has its message in each catalogue, in the script of the catalogue."""

from __future__ import annotations

import ast
import re
from functools import cache
from pathlib import Path

import pytest
from babel.support import Translations
from werkzeug.exceptions import default_exceptions

from domain.errors import WORDS, DomainError, Named, Term
from domain.exhibits import FirmState
from domain.guest_mail import MailState
from domain.registration import RegistrationState
from events_app.error_texts import HTTP_MESSAGES
from events_app.errors import DOMAIN_STATUSES, HTTP_CODES
from events_app.languages.catalogues import CATALOGUES, REFUSALS
from events_app.languages.scripts import in_script
from events_app.services.documents import DocumentIncomplete
from tests.refusal_texts import said_in
from tests.unit.test_error_statuses import refusals

ROOT = Path(__file__).resolve().parents[2]
CHINESE = ("zh_Hant_HK", "zh_Hans_CN")
SOURCES = ("domain", "events_app/api", "events_app/services", "events_app/store", "printing")
WORDED_ELSEWHERE: dict[str, str] = {}
"""Codes whose every message comes from outside the errors catalogue, and why."""
RAISED_AS = {"DocumentError": DocumentIncomplete}
"""Errors of printing/ the services raise again as a refusal, with the same message."""
PARAM = re.compile(r"%\(\w+\)[sr]")


@cache
def translations(language: str) -> Translations:
    """Return the compiled errors catalogue of a language."""
    return Translations.load(str(CATALOGUES / "errors"), [language])


def _literal(node: ast.AST) -> str | None:
    """Return the message a call's first argument writes out (N_ calls included)."""
    if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "N_" and node.args:
        node = node.args[0]
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


@cache
def templates_by_code() -> dict[str, frozenset[str]]:
    """Return every message the code raises, by error code (read from the source)."""
    classes = {c.__name__: c for c in refusals()} | {"DomainError": DomainError} | RAISED_AS
    found: dict[str, set[str]] = {}
    for folder in SOURCES:
        for path in sorted((ROOT / folder).glob("**/*.py")):
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.ClassDef) and node.name in classes:
                    inner = [n for n in ast.walk(node) if isinstance(n, ast.Call)]
                    messages = [_literal(n) for n in inner if getattr(n.func, "id", "") == "N_"]
                    for message in filter(None, messages):
                        found.setdefault(classes[node.name].code, set()).add(message)
                called = getattr(node, "func", None)
                if isinstance(node, ast.Call) and getattr(called, "id", "") in classes:
                    message = _literal(node.args[0]) if node.args else None
                    if message:
                        found.setdefault(classes[called.id].code, set()).add(message)  # type: ignore[union-attr]
    return {code: frozenset(messages) for code, messages in found.items()}


def every_template() -> list[tuple[str, str]]:
    """Return (code, message) for every message raised and every HTTP status."""
    raised = [(c, m) for c, ms in sorted(templates_by_code().items()) for m in sorted(ms)]
    return raised + [(HTTP_CODES[s], HTTP_MESSAGES[s]) for s in sorted(HTTP_CODES)]


def test_the_extraction_knows_every_refusal_class() -> None:
    assert set(REFUSALS) == {c.__name__ for c in refusals()} | {"DomainError", "Term"}
    assert len(REFUSALS) == len(set(REFUSALS))


def test_every_domain_code_raises_a_message_of_the_catalogue() -> None:
    codes = templates_by_code()
    missing = [c for c in DOMAIN_STATUSES if c not in codes and c not in WORDED_ELSEWHERE]
    assert missing == []
    assert not set(WORDED_ELSEWHERE) & set(codes)


def test_every_http_status_has_werkzeugs_message() -> None:
    assert set(HTTP_MESSAGES) == set(HTTP_CODES)
    for status, message in HTTP_MESSAGES.items():
        assert default_exceptions[status].description == message


@pytest.mark.parametrize("language", CHINESE)
@pytest.mark.parametrize(("code", "message"), every_template(), ids=lambda v: str(v)[:40])
def test_every_message_is_translated_in_the_catalogue_s_script(
    code: str, message: str, language: str
) -> None:
    said = translations(language).gettext(message)
    assert said != message, f"{code}: {message!r} is not translated in {language}"
    assert set(PARAM.findall(said)) == set(PARAM.findall(message))
    assert in_script(said, language) == said


def test_every_state_a_refusal_names_is_a_word_of_the_catalogue() -> None:
    states = {*RegistrationState, *FirmState, *MailState}
    assert {str(s) for s in states} <= {str(w) for w in WORDS}
    for word in WORDS:
        assert isinstance(word, Term)
        for language in CHINESE:
            assert translations(language).gettext(word) != word


def test_terms_and_names_are_said_in_the_reader_s_language() -> None:
    from domain.errors import Refusal

    refused = Refusal(
        "%(category)s guests are not admitted at %(checkpoint)s",
        category=Term("VIP"),
        checkpoint=Named("North door", "北門"),
    )
    assert said_in("en", refused) == "VIP guests are not admitted at North door"
    assert said_in("zh_Hant_HK", refused) == "北門不接待貴賓類別賓客"
    assert said_in("zh_Hans_CN", refused) == "北门不接待贵宾类别宾客"
    assert refused.message == "VIP guests are not admitted at North door"
