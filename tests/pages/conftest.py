"""Page tests: the guest form, the door page and the console through Flask's test client.

No page may answer 5xx: every answer the test's clients receive is checked, so a page that
breaks on the way to what a test checks fails that test too. The one exception is 503
while the read model is behind, which pages answer with a "one moment" page on purpose.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import check_every_answer


def server_error(_path: str, response: Any) -> str | None:
    """Return the status of a 5xx answer other than the read model's 503, or None."""
    behind = response.status_code == 503 and "X-Read-Model-Behind" in response.headers
    return f"answered {response.status}" if response.status_code >= 500 and not behind else None


@pytest.fixture(autouse=True)
def no_page_answers_5xx(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail the test on any 5xx answer other than the read model's 503."""
    check_every_answer(monkeypatch, server_error)
