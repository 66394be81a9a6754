"""CLI tests: the `flask` commands through Flask's CLI runner, on SQLite and PostgreSQL.

A command may refuse (a usage error or a message and exit code 1), never crash: an
invocation that ends in an exception other than `SystemExit` fails the test with it.
"""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskCliRunner


@pytest.fixture(autouse=True)
def commands_never_crash(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail the test when a command ends in an exception instead of a message."""
    invoked = FlaskCliRunner.invoke

    def invoke_and_check(self: FlaskCliRunner, *args: Any, **kwargs: Any) -> Any:
        result = invoked(self, *args, **kwargs)
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            pytest.fail(f"flask {args[0] if args else ''} crashed: {result.exception!r}")
        return result

    monkeypatch.setattr(FlaskCliRunner, "invoke", invoke_and_check)
