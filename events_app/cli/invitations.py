"""`flask invitations ...`: invite, import a CSV file, remind, expire and list invitations."""

from __future__ import annotations

from datetime import datetime, timedelta

import click
from flask.cli import AppGroup
from flask_babel import gettext

from domain.roles import Permission
from events_app.cli.acting import acting, acting_label
from events_app.cli.support import gathering_option, run_or_fail
from events_app.context import services
from events_app.presenters.invitations import problem_text, shown_state
from events_app.schemas.invitation_csv import read_invitees
from events_app.services.invitations import Invitee
from events_app.services.planning import Row, RowsRefused

invitations = AppGroup("invitations", help="Invitations: held seats answered by personal link.")
DEADLINE = click.DateTime(["%Y-%m-%dT%H:%M%z", "%Y-%m-%d %H:%M%z", "%Y-%m-%dT%H:%M:%S%z"])


def aware(deadline: datetime | None) -> datetime | None:
    """Return a deadline given on the command line, which must carry its UTC offset."""
    if deadline is not None and deadline.tzinfo is None:
        raise click.BadParameter(
            gettext("give the UTC offset, e.g. +08:00"), param_hint="--deadline"
        )
    return deadline


def refuse(refused: RowsRefused) -> click.ClickException:
    """Return the CLI error listing every refused line; nothing was written."""
    lines = [
        gettext("line %(number)s", number=p.number) + f" ({p.field or '-'}): {problem_text(p)}"
        for p in sorted(refused.problems, key=lambda p: p.number)
    ]
    head = gettext("%(count)s problem(s); nothing was imported", count=len(lines))
    return click.ClickException("\n".join([head, *lines]))


@invitations.command("import")
@acting(Permission.MANAGE_REGISTRATIONS)
@gathering_option(required=True)
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--batch", default="", help="The batch of rows that name none.")
@click.option("--deadline", type=DEADLINE, default=None, help="A new batch's deadline.")
def import_invitations(slug: str, path: str, batch: str, deadline: datetime | None) -> None:
    """Invite every guest of a CSV file (UTF-8), or none if any line is refused."""
    try:
        with open(path, encoding="utf-8-sig") as file:
            text = file.read()
    except UnicodeDecodeError:
        raise click.ClickException(gettext("the file is not UTF-8 text")) from None
    try:
        rows = read_invitees(text, batch, aware(deadline))
        made = run_or_fail(lambda: services().invitations.invite_many(slug, rows, acting_label()))
    except RowsRefused as refused:
        raise refuse(refused) from None
    click.echo(gettext("%(count)s invitation(s) made", count=len(made)))


@invitations.command("invite")
@acting(Permission.MANAGE_REGISTRATIONS)
@gathering_option(required=True)
@click.option("--name", "full_name", required=True)
@click.option("--email", required=True)
@click.option("--category", required=True)
@click.option("--batch", required=True)
@click.option("--deadline", type=DEADLINE, default=None)
@click.option("--name-zh", default="")
@click.option("--organisation", default="")
@click.option("--title", "job_title", default="")
@click.option("--language", type=click.Choice(["en", "zh_Hant_HK", "zh_Hans_CN"]), default=None)
@click.option("--companions", type=click.IntRange(0, 10), default=0)
@click.option("--reserve-companions", is_flag=True)
def invite(
    slug: str, deadline: datetime | None, companions: int, reserve_companions: bool, **fields: str
) -> None:
    """Invite one guest: a seat is held for them until they answer."""
    invitee = Invitee(
        deadline=aware(deadline),
        companions_allowed=companions,
        companions_reserved=reserve_companions,
        **fields,
    )
    try:
        made = run_or_fail(
            lambda: services().invitations.invite_many(slug, [Row(1, invitee)], acting_label())
        )
    except RowsRefused as refused:
        raise refuse(refused) from None
    click.echo(f"{made[0].id}  {services().invitations.token(made[0])}")


@invitations.command("remind")
@acting(Permission.MANAGE_REGISTRATIONS)
@gathering_option(required=True)
@click.option("--within-hours", type=click.IntRange(1, 24 * 30), default=48)
def remind(slug: str, within_hours: int) -> None:
    """Remind unanswered invitees whose deadline is near (once per invitation)."""
    count = run_or_fail(lambda: services().invitations.remind(slug, timedelta(hours=within_hours)))
    click.echo(gettext("%(count)s reminder(s) sent", count=count))


@invitations.command("expire")
@acting(Permission.MANAGE_REGISTRATIONS)
@gathering_option(required=True)
def expire(slug: str) -> None:
    """Expire invitations past their deadline; their seats go to waitlisted guests."""
    count = run_or_fail(lambda: services().invitations.sweep(slug))
    click.echo(gettext("%(count)s invitation(s) expired", count=count))


@invitations.command("list")
@acting(Permission.VIEW)
@gathering_option(required=True)
def list_invitations(slug: str) -> None:
    """Print the invitations with their state, and the counts per category."""
    found = run_or_fail(lambda: services().invitations.of_gathering(slug))
    at = services().box_office.clock()
    for invitation in found:
        click.echo(
            f"{invitation.id}  {shown_state(invitation, at):<9} {invitation.category:<9} "
            f"{invitation.batch}  {invitation.email}  {invitation.details['full_name']}"
        )
    for category, counts in services().invitations.counts(slug).items():
        said = ", ".join(f"{state}: {n}" for state, n in counts.items())
        click.echo(f"{category}: {said}")
