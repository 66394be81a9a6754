"""CSRF protection for the server-rendered forms: a per-session token in a hidden field."""

from __future__ import annotations

import hmac
import secrets

from flask import Flask, session

SESSION_KEY = "csrf_token"
FIELD = "csrf_token"


def csrf_token() -> str:
    """Return this session's CSRF token, creating it on first use."""
    token = session.get(SESSION_KEY)
    if not token:
        token = secrets.token_urlsafe(32)
        session[SESSION_KEY] = token
    return str(token)


def is_valid(submitted: str | None) -> bool:
    """Tell whether a submitted form carries this session's CSRF token (any text is safe)."""
    expected = session.get(SESSION_KEY)
    if not (expected and submitted):
        return False
    # compare_digest refuses non-ASCII str, so compare the UTF-8 bytes of both.
    return hmac.compare_digest(_bytes(expected), _bytes(submitted))


def _bytes(text: object) -> bytes:
    return str(text).encode("utf-8", "surrogatepass")


def init_app(app: Flask) -> None:
    """Make `csrf_token()` available in templates."""
    app.jinja_env.globals["csrf_token"] = csrf_token
