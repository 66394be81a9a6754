"""Languages: English, Traditional Chinese (Hong Kong) and Simplified Chinese, by Flask-Babel.

The catalogues live under `catalogues/<area>/<locale>/LC_MESSAGES/messages.po`, one folder
per part of the product (guest pages, door, console, mails, errors), merged into one set of
translations per language. English is the source language. A request's language is the
visitor's choice (`?lang=`, remembered in a cookie), else the best match of its
`Accept-Language`, else English; a request may also force one (a guest's e-mail is written in
the language the guest registered in). `python -m flask languages` extracts, updates and
compiles the catalogues (README, "Translations").
"""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask, Response, g, has_request_context, request
from flask_babel import Babel, get_locale

from events_app.languages.tags import COOKIE, DEFAULT, LANGUAGES, best_language, html_lang

CATALOGUES = Path(__file__).resolve().parent / "catalogues"
AREAS = ("guest", "door", "console", "planning", "mail", "errors")
"""The catalogues, one per part of the product: each its own file, so each changes alone."""
COOKIE_SECONDS = 365 * 24 * 3600

__all__ = [
    "AREAS",
    "CATALOGUES",
    "LANGUAGES",
    "current_language",
    "init_app",
    "stated_language",
]


def chosen_language() -> str | None:
    """Return the language the visitor chose, by `?lang=` now or by the cookie before."""
    asked = best_language(request.args.get("lang"))
    return asked or best_language(request.cookies.get(COOKIE))


def stated_language() -> str | None:
    """Return the language the request asks for (forced, chosen, Accept-Language), if any."""
    if not has_request_context():
        return None
    forced = g.get("language")
    if forced:
        return str(forced)
    chosen = chosen_language()
    if chosen:
        return chosen
    for tag, _quality in request.accept_languages:
        found = best_language(tag)
        if found:
            return found
    return None


def select_language() -> str:
    """Return the request's language (forced, chosen, Accept-Language, or English).

    Outside a request (a CLI command) it is the environment's: LAUNCH_EVENTS_LANGUAGE or
    the locale (LC_ALL, LC_MESSAGES, LANG, e.g. zh_HK.UTF-8), else English.
    """
    if not has_request_context():
        return command_language()
    return stated_language() or DEFAULT


ENVIRONMENT = ("LAUNCH_EVENTS_LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")
"""Where a command finds its language: the first of these that names one of ours."""


def command_language() -> str:
    """Return the language of a command outside any request, from the environment."""
    for name in ENVIRONMENT:
        value = os.environ.get(name, "").split(".", 1)[0].split("@", 1)[0]
        found = best_language(value)
        if found:
            return found
    return DEFAULT


def current_language() -> str:
    """Return the language being written in (one of LANGUAGES)."""
    locale = get_locale()
    return str(locale) if locale is not None else DEFAULT


def remember_choice(response: Response) -> Response:
    """Keep the visitor's `?lang=` choice in a cookie for their next pages."""
    asked = best_language(request.args.get("lang"))
    if asked and request.cookies.get(COOKIE) != asked:
        response.set_cookie(COOKIE, asked, max_age=COOKIE_SECONDS, samesite="Lax", httponly=True)
    return response


def init_app(app: Flask) -> None:
    """Read the catalogues and choose each request's language."""
    app.config.setdefault("BABEL_DEFAULT_LOCALE", DEFAULT)
    app.config.setdefault(
        "BABEL_TRANSLATION_DIRECTORIES", ";".join(str(CATALOGUES / area) for area in AREAS)
    )
    Babel(app, locale_selector=select_language)
    app.after_request(remember_choice)
    app.jinja_env.globals.update(current_language=current_language, html_lang=html_lang)
