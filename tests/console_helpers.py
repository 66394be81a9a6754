"""Helpers for console tests: organiser accounts, signing in, CSRF tokens from pages."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import services_of

PASSWORD = "correct horse battery staple"


def csrf_from(html: str) -> str:
    """Return the CSRF token of the first form in a page."""
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "no CSRF token in the page"
    return match.group(1)


def open_account(app: Flask, username: str = "olivia", name: str = "Olivia Chan") -> str:
    """Open an organiser account with PASSWORD; return its username."""
    services_of(app).accounts.open(username, name, PASSWORD, "test")
    return username


def sign_in(
    client: FlaskClient, username: str, password: str = PASSWORD, next_url: str = ""
) -> Any:
    """Post the sign-in form as a browser would (with the form's CSRF token)."""
    form = client.get("/organiser/sign-in").get_data(as_text=True)
    return client.post(
        "/organiser/sign-in",
        data={
            "csrf_token": csrf_from(form),
            "username": username,
            "password": password,
            "next": next_url,
        },
    )


def post_form(client: FlaskClient, page: str, action: str, **fields: Any) -> Any:
    """Open `page`, then post `fields` to `action` with the page's CSRF token."""
    html = client.get(page).get_data(as_text=True)
    return client.post(action, data={"csrf_token": csrf_from(html), **fields})


@pytest.fixture
def console(app: Flask, client: FlaskClient) -> FlaskClient:
    """A test client signed in to the console as the organiser `olivia`."""
    signed_in = sign_in(client, open_account(app))
    assert signed_in.status_code == 303, signed_in.get_data(as_text=True)
    return client
