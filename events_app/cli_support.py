"""What the CLI's command groups share: refused domain commands as clean CLI errors."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import click

from domain.errors import DomainError

T = TypeVar("T")


def run_or_fail(action: Callable[[], T]) -> T:
    """Run a call, turning a refused command into a clean CLI error (exit status 1)."""
    try:
        return action()
    except DomainError as error:
        field = f" ({error.field})" if error.field else ""
        raise click.ClickException(f"{error.code}{field}: {error.message}") from None
