"""API tests: the JSON API under /api/v1 through Flask's test client, on SQLite and PostgreSQL.

Every answer an API test receives is held to the API's one error shape: a 4xx or 5xx from
/api/v1 must carry `{"error": {"code", "message", "field", "fields"}}` with a code in
snake_case, whatever the test itself goes on to check.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.conftest import check_every_answer

CODE = re.compile(r"^[a-z][a-z0-9_]*$")
ERROR_KEYS = {"code", "message", "field", "fields"}


def problem_with(response: Any) -> str | None:
    """Return what is wrong with an API error response's body, or None."""
    if response.status_code < 400 or response.mimetype != "application/json":
        return None if response.status_code < 400 else f"{response.status_code} is not JSON"
    body = response.get_json(silent=True)
    error = body.get("error") if isinstance(body, dict) else None
    if not isinstance(error, dict) or set(error) != ERROR_KEYS:
        return f"{response.status_code} body is not the shared error shape: {body!r}"
    if not CODE.match(str(error["code"])):
        return f"{response.status_code} code {error['code']!r} is not snake_case"
    return None


@pytest.fixture(autouse=True)
def errors_keep_one_shape(monkeypatch: pytest.MonkeyPatch) -> None:
    """Check every /api/v1 answer the test's clients receive against the error shape."""
    check_every_answer(
        monkeypatch,
        lambda path, response: problem_with(response) if path.startswith("/api/v1") else None,
    )
