"""What the CLI's command groups share: clean errors for refusals, files written whole."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any, BinaryIO, TypeVar

import click
from flask_babel import gettext

from domain.errors import DomainError
from events_app.errors import refusal_text
from events_app.store.atomic_files import replacing

T = TypeVar("T")
STDOUT = "-"

OUTPUT = click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, writable=True, allow_dash=True),
    required=True,
    help="The file to write, replaced only once complete; - writes to stdout.",
)


class OldNamesUnlisted(click.Option):
    """An option that still answers to its old names, which --help no longer lists."""

    def get_help_record(self, ctx: click.Context) -> tuple[str, str] | None:
        """Return the help line with the option's first name only."""
        names = self.opts
        self.opts = names[:1]
        try:
            return super().get_help_record(ctx)
        finally:
            self.opts = names


def gathering_option(**settings: Any) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Return the --gathering SLUG option (passed as `slug`); the old --event still works."""
    return click.option(
        "--gathering", "--event", "slug", cls=OldNamesUnlisted, metavar="SLUG", **settings
    )


def run_or_fail(action: Callable[[], T]) -> T:
    """Run a call, turning a refused command into a clean CLI error (exit status 1)."""
    try:
        return action()
    except DomainError as error:
        field = f" ({error.field})" if error.field else ""
        raise click.ClickException(f"{error.code}{field}: {refusal_text(error)}") from None


def write_output(output: str, write: Callable[[BinaryIO], T]) -> T:
    """Write output through `write`: to stdout for -, else replacing the file once complete.

    A refusal, an error or a kill part-way leaves an existing file as it was and no
    temporary file once the next run starts (see events_app.store.atomic_files).
    """
    if output == STDOUT:
        stream = sys.stdout.buffer
        result = run_or_fail(lambda: write(stream))
        stream.flush()
        return result
    try:
        with replacing(output) as out:
            return run_or_fail(lambda: write(out))
    except OSError as error:
        raise click.ClickException(
            gettext("cannot write %(output)s: %(error)s", output=output, error=error)
        ) from None


def say_written(output: str, what: str) -> None:
    """Say what was written where: on stderr when the file itself went to stdout."""
    where = "stdout" if output == STDOUT else output
    click.echo(
        gettext("%(what)s written to %(where)s", what=what, where=where), err=output == STDOUT
    )
