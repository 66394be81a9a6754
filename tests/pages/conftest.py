"""Page tests: the guest form, the door page and the console through Flask's test client.

No page may answer 5xx: every answer the test's clients receive is checked, so a page that
breaks on the way to what a test checks fails that test too. The one exception is 503
while the read model is behind, which pages answer with a "one moment" page on purpose.
"""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient


@pytest.fixture(autouse=True)
def no_page_answers_5xx(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail the test on any 5xx answer other than the read model's 503."""
    opened = FlaskClient.open

    def open_and_check(self: FlaskClient, *args: Any, **kwargs: Any) -> Any:
        response = opened(self, *args, **kwargs)
        behind = response.status_code == 503 and "X-Read-Model-Behind" in response.headers
        if response.status_code >= 500 and not behind:
            path = args[0] if args else kwargs.get("path", "")
            pytest.fail(f"{kwargs.get('method', 'GET')} {path} answered {response.status}")
        return response

    monkeypatch.setattr(FlaskClient, "open", open_and_check)
