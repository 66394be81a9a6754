"""The `flask documents` commands: print the programme, agreements, certificates, stage sheet."""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO
from uuid import UUID

import click
from flask.cli import AppGroup

from events_app.cli_support import run_or_fail
from events_app.context import services
from events_app.demo import DEMO_SLUG
from events_app.documents import PAGE_SIZES, Documents

documents = AppGroup(
    "documents", help="Print the programme, agreements, certificates, stage sheet."
)
EVENT = click.option("--event", "slug", default=DEMO_SLUG, show_default=True)
OUTPUT = click.option(
    "-o", "--output", type=click.Path(dir_okay=False, writable=True), required=True
)
AS_OF = click.option(
    "--as-of",
    "as_of",
    default=None,
    help="Print the plan as it was then: ISO 8601 with offset, e.g. 2026-03-01T18:00+08:00.",
)


def _service() -> Documents:
    return Documents(services().events)


def _as_of(value: str | None) -> datetime | None:
    """Return the --as-of moment, or fail unless it is ISO 8601 with an offset."""
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter("not an ISO 8601 time", param_hint="--as-of") from None
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise click.BadParameter("give the UTC offset, e.g. +08:00", param_hint="--as-of")
    return moment


def _write(output: str, write: Callable[[BinaryIO], Any]) -> Any:
    """Write a PDF to a temporary file beside output, moved into place only when complete."""
    target = Path(output)
    handle, temporary = tempfile.mkstemp(dir=target.parent or Path("."), suffix=".part")
    try:
        with os.fdopen(handle, "wb") as out:
            result = run_or_fail(lambda: write(out))
        os.replace(temporary, target)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    return result


@documents.command("programme")
@EVENT
@OUTPUT
@click.option("--size", type=click.Choice(PAGE_SIZES), default="A5", show_default=True)
@AS_OF
def programme(slug: str, output: str, size: str, as_of: str | None) -> None:
    """Write the programme booklet (running order, ceremonies, exhibitors, map)."""
    moment = _as_of(as_of)
    pages = _write(output, lambda out: _service().programme(slug, out, size=size, as_of=moment))
    click.echo(f"programme ({pages} page(s)) written to {output}")


@documents.command("stage-sheet")
@EVENT
@OUTPUT
@AS_OF
def stage_sheet(slug: str, output: str, as_of: str | None) -> None:
    """Write the stage manager's sheet."""
    moment = _as_of(as_of)
    pages = _write(output, lambda out: _service().stage_sheet(slug, out, as_of=moment))
    click.echo(f"stage sheet ({pages} page(s)) written to {output}")


@documents.command("agreements")
@click.argument("ceremony_id", type=click.UUID)
@EVENT
@OUTPUT
@AS_OF
def agreements(ceremony_id: UUID, slug: str, output: str, as_of: str | None) -> None:
    """Write every agreement of a signing or pledge ceremony into one PDF."""
    moment = _as_of(as_of)
    service = _service()
    found = run_or_fail(lambda: service.agreements(slug, ceremony_id, as_of=moment))
    with click.progressbar(length=len(found), label="agreements", file=sys.stderr) as bar:
        done = _write(
            output,
            lambda out: service.write_agreements(
                found, out, progress=lambda n: bar.update(n - bar.pos)
            ),
        )
    click.echo(f"{done} agreement(s) written to {output}")


@documents.command("certificates")
@click.argument("ceremony_id", type=click.UUID)
@EVENT
@OUTPUT
@AS_OF
def certificates(ceremony_id: UUID, slug: str, output: str, as_of: str | None) -> None:
    """Write the certificates of an award ceremony, one page per recipient."""
    moment = _as_of(as_of)
    service = _service()
    found = run_or_fail(lambda: service.certificates(slug, ceremony_id, as_of=moment))
    with click.progressbar(length=len(found), label="certificates", file=sys.stderr) as bar:
        done = _write(
            output,
            lambda out: service.write_certificates(
                found, out, progress=lambda n: bar.update(n - bar.pos)
            ),
        )
    click.echo(f"{done} certificate(s) written to {output}")
