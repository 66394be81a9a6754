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

personal_data = AppGroup("personal-data", help="Guests' personal data: erasure and retention.")


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


@personal_data.command("expire")
@acting(Permission.ERASE_PERSONAL_DATA)
@click.option("--dry-run", is_flag=True, help="List whom it would erase; erase no one.")
def expire(dry_run: bool) -> None:
    """Erase the personal data of every gathering whose retention has run out."""
    found = services()
    expired = run_or_fail(
        lambda: found.retention.expire(found.guest_list.gathering_ids(), dry_run=dry_run)
    )
    for expiry in expired:
        count = len(expiry.erased)
        if dry_run:
            line = gettext(
                "%(slug)s: would erase %(num)d guests", slug=expiry.gathering.slug, num=count
            )
        else:
            line = gettext("%(slug)s: erased %(num)d guests", slug=expiry.gathering.slug, num=count)
        click.echo(line)
        for registration_id in expiry.erased:
            click.echo(f"  {registration_id}")
    if not expired:
        click.echo(gettext("No gathering's personal data are due for erasure."))


@personal_data.command("due")
@acting(Permission.VIEW)
def due() -> None:
    """List per gathering the day its guests' personal data are erased, and how many."""
    found = services()
    for entry in run_or_fail(lambda: found.retention.schedule(found.guest_list.gathering_ids())):
        click.echo(
            gettext(
                "%(slug)s: %(num)d guests, erased on %(day)s (%(days)d days after the end)%(due)s",
                slug=entry.gathering.slug,
                num=entry.guests,
                day=entry.erase_on.isoformat(),
                days=entry.gathering.retention_days,
                due=gettext(", due now") if entry.due else "",
            )
        )
