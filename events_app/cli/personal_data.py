"""`flask personal-data ...`: erase a guest's personal data for good (owners only)."""

from __future__ import annotations

from uuid import UUID

import click
from flask.cli import AppGroup
from flask_babel import gettext

from domain.roles import Permission
from events_app.cli.acting import acting, acting_label
from events_app.cli.support import run_or_fail
from events_app.context import services

personal_data = AppGroup("personal-data", help="Guests' personal data: erasure.")


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
