"""Say a domain refusal in a language, from the catalogues, as the pages and the API do."""

from __future__ import annotations

from functools import cache

from flask import Flask
from flask_babel import force_locale

from domain.errors import DomainError
from events_app import languages
from events_app.errors import refusal_text


@cache
def _app() -> Flask:
    """Return a bare app that reads the catalogues (no store, no views)."""
    app = Flask(__name__)
    languages.init_app(app)
    return app


def said_in(language: str, error: DomainError) -> str:
    """Return the refusal as a reader of `language` (en, zh_Hant_HK, zh_Hans_CN) reads it."""
    with _app().test_request_context("/"), force_locale(language):
        return refusal_text(error)
