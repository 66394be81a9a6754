"""Flask's signed-cookie sessions, opened without a signer when a request brings no cookie."""

from __future__ import annotations

from flask import Flask, Request
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface


class CookieSessions(SecureCookieSessionInterface):
    """Signed-cookie sessions; a request without the cookie (every API call) gets a new one.

    Flask builds an itsdangerous serializer for every request before it looks for the
    cookie: about 1 % of a door scan's time, for a session the API never reads.
    """

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        """Return a new session when there is no cookie, else open the cookie's."""
        if app.secret_key and not request.cookies.get(self.get_cookie_name(app)):
            return self.session_class()
        return super().open_session(app, request)


def init_app(app: Flask) -> None:
    """Open the app's sessions with CookieSessions."""
    app.session_interface = CookieSessions()
