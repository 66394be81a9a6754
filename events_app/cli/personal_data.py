"""`flask personal-data ...`: export what is held about a guest; erase it for good (owners)."""

from __future__ import annotations

import json
from typing import BinaryIO
from uuid import UUID

import click
from flask.cli import AppGroup
from flask_babel import gettext

from domain.roles import Permission
from events_app.cli.acting import acting, acting_label
from events_app.cli.support import STDOUT, run_or_fail, say_written, write_output
from events_app.context import services
from events_app.schemas.personal_data import PersonalDataSchema

personal_data = AppGroup("personal-data", help="Guests' personal data: export and erasure.")


@personal_data.command("export")
@acting(Permission.EXPORT_PERSONAL_DATA)
@click.argument("registration_id", type=click.UUID)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, writable=True, allow_dash=True),
    default=STDOUT,
    help="The JSON file to write, replaced only once complete; - (default) writes to stdout.",
)
def export(registration_id: UUID, output: str) -> None:
    """Write everything held about a guest as JSON (their request of access)."""
    record = run_or_fail(lambda: services().personal_export.gather(registration_id))
    data = PersonalDataSchema().dump(record.as_data())
    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"

    def write(out: BinaryIO) -> None:
        out.write(text.encode())

    write_output(output, write)
    say_written(output, gettext("personal data of %(id)s", id=registration_id))


@personal_data.command("erase")
@acting(Permission.ERASE_PERSONAL_DATA)
@click.argument("registration_id", type=click.UUID)
@click.option("--reason", required=True, help="Why (recorded in the registration's history).")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def erase(registration_id: UUID, reason: str, yes: bool) -> None:
    """Erase a guest's personal data: it cannot be undone; counts and check-ins stay."""
    if not yes:
        click.confirm(
            gettext("Erase this guest's personal data for good? It cannot be undone."), abort=True
        )
    erased = run_or_fail(
        lambda: services().personal_data.erase(registration_id, acting_label(), reason)
    )
    click.echo(gettext("erased: %(id)s", id=erased.id))
