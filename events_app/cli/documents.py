"""The `flask documents` commands: print the programme, agreements, certificates, stage sheet."""

from __future__ import annotations

import sys
from datetime import datetime
from typing import Any
from uuid import UUID

import click
from flask.cli import AppGroup
from flask_babel import gettext

from domain.roles import Permission
from events_app.cli.acting import acting
from events_app.cli.support import (
    OUTPUT,
    gathering_option,
    run_or_fail,
    say_written,
    write_output,
)
from events_app.context import services
from events_app.demo import DEMO_SLUG
from events_app.services.documents import PAGE_SIZES, Documents
from events_app.services.print_wording import SIMPLIFIED, TRADITIONAL

documents = AppGroup(
    "documents", help="Print the programme, agreements, certificates, stage sheet."
)
GATHERING = gathering_option(default=DEMO_SLUG, show_default=True)
AS_OF = click.option(
    "--as-of",
    "as_of",
    default=None,
    help="Print the plan as it was then: ISO 8601 with offset, e.g. 2026-03-01T18:00+08:00.",
)
LANGUAGE = click.option(
    "--language",
    type=click.Choice((TRADITIONAL, SIMPLIFIED)),
    default=TRADITIONAL,
    show_default=True,
    help="The Chinese printed beside the English: Traditional (Hong Kong) or Simplified.",
)


def _service() -> Documents:
    return Documents(services().box_office)


def _as_of(value: str | None) -> datetime | None:
    """Return the --as-of moment, or fail unless it is ISO 8601 with an offset."""
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(gettext("not an ISO 8601 time"), param_hint="--as-of") from None
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise click.BadParameter(gettext("give the UTC offset, e.g. +08:00"), param_hint="--as-of")
    return moment


def _refuse_nothing(found: list[Any], message: str) -> None:
    """Fail with `message`, touching no file, when a batch selects nothing to print."""
    if not found:
        raise click.ClickException(message)


@documents.command("programme")
@acting(Permission.VIEW_DOCUMENTS)
@GATHERING
@OUTPUT
@click.option("--size", type=click.Choice(PAGE_SIZES), default="A5", show_default=True)
@AS_OF
@LANGUAGE
def programme(slug: str, output: str, size: str, as_of: str | None, language: str) -> None:
    """Write the programme booklet (running order, ceremonies, exhibitors, map)."""
    moment = _as_of(as_of)
    pages = write_output(
        output,
        lambda out: _service().programme(slug, out, size=size, as_of=moment, language=language),
    )
    say_written(output, gettext("programme (%(pages)s page(s))", pages=pages))


@documents.command("stage-sheet")
@acting(Permission.VIEW_DOCUMENTS)
@GATHERING
@OUTPUT
@AS_OF
@LANGUAGE
def stage_sheet(slug: str, output: str, as_of: str | None, language: str) -> None:
    """Write the stage manager's sheet."""
    moment = _as_of(as_of)
    pages = write_output(
        output, lambda out: _service().stage_sheet(slug, out, as_of=moment, language=language)
    )
    say_written(output, gettext("stage sheet (%(pages)s page(s))", pages=pages))


@documents.command("agreements")
@acting(Permission.VIEW_DOCUMENTS)
@click.argument("ceremony_id", type=click.UUID)
@GATHERING
@OUTPUT
@AS_OF
@LANGUAGE
def agreements(ceremony_id: UUID, slug: str, output: str, as_of: str | None, language: str) -> None:
    """Write every agreement of a signing or pledge ceremony into one PDF."""
    moment = _as_of(as_of)
    service = _service()
    found = run_or_fail(
        lambda: service.agreements(slug, ceremony_id, as_of=moment, language=language)
    )
    _refuse_nothing(
        found,
        gettext(
            "no agreement to print: the ceremony has no items; %(output)s not written",
            output=output,
        ),
    )
    with click.progressbar(length=len(found), label="agreements", file=sys.stderr) as bar:
        done = write_output(
            output,
            lambda out: service.write_agreements(
                found, out, progress=lambda n: bar.update(n - bar.pos), language=language
            ),
        )
    say_written(output, gettext("%(count)s agreement(s)", count=done))


@documents.command("certificates")
@acting(Permission.VIEW_DOCUMENTS)
@click.argument("ceremony_id", type=click.UUID)
@GATHERING
@OUTPUT
@AS_OF
@LANGUAGE
def certificates(
    ceremony_id: UUID, slug: str, output: str, as_of: str | None, language: str
) -> None:
    """Write the certificates of an award ceremony, one page per recipient."""
    moment = _as_of(as_of)
    service = _service()
    found = run_or_fail(
        lambda: service.certificates(slug, ceremony_id, as_of=moment, language=language)
    )
    _refuse_nothing(
        found,
        gettext(
            "no certificate to print: the ceremony names no recipients; %(output)s not written",
            output=output,
        ),
    )
    with click.progressbar(length=len(found), label="certificates", file=sys.stderr) as bar:
        done = write_output(
            output,
            lambda out: service.write_certificates(
                found, out, progress=lambda n: bar.update(n - bar.pos), language=language
            ),
        )
    say_written(output, gettext("%(count)s certificate(s)", count=done))
