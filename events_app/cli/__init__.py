"""Command-line tools for organisers: demo data, tokens, registrations, read models."""

from __future__ import annotations

import sys
from uuid import UUID
from zoneinfo import ZoneInfo

import click
from flask import Flask
from flask.cli import AppGroup
from flask_babel import gettext

from domain.roles import Permission, parse_role
from events_app.cli.accounts import accounts
from events_app.cli.acting import acting, acting_label
from events_app.cli.checkpoints import checkpoints
from events_app.cli.demo import demo
from events_app.cli.documents import documents
from events_app.cli.exhibition import exhibition
from events_app.cli.invitations import invitations
from events_app.cli.languages import languages
from events_app.cli.mail import mail
from events_app.cli.personal_data import personal_data
from events_app.cli.read_models import read_models
from events_app.cli.support import OUTPUT, gathering_option, run_or_fail, say_written, write_output
from events_app.context import services
from events_app.demo import DEMO_SLUG

tokens = AppGroup("tokens", help="Organiser API tokens.")
registrations = AppGroup("registrations", help="List and decide on registrations.")
badges = AppGroup("badges", help="Print badges.")
ceremonies = AppGroup("ceremonies", help="Signing, pledge and award ceremonies.")
agenda = AppGroup("agenda", help="The running order.")


@tokens.command("create")
@acting(Permission.MANAGE_ACCOUNTS)
@click.option("--name", required=True, help="Who the token is for, e.g. alice.")
@click.option("--role", default="owner", show_default=True, help="What the token may do.")
@click.option("--for-gathering", "gathering", default=None, metavar="SLUG", help="Only this one.")
def create_token(name: str, role: str, gathering: str | None) -> None:
    """Create an organiser token with a role; it is shown once and stored hashed."""
    given = run_or_fail(lambda: parse_role(role))
    token, credential_id = run_or_fail(
        lambda: services().box_office.issue_organiser_token(
            name, actor=acting_label(), role=given, gathering=gathering
        )
    )
    click.echo(gettext("credential id: %(credential_id)s", credential_id=credential_id))
    click.echo(gettext("token (shown once): %(token)s", token=token))


@tokens.command("revoke")
@acting(Permission.MANAGE_ACCOUNTS)
@click.argument("credential_id", type=click.UUID)
def revoke_token(credential_id: UUID) -> None:
    """Revoke an organiser token by its credential id."""
    run_or_fail(
        lambda: services().box_office.revoke_organiser_credential(
            credential_id, actor=acting_label()
        )
    )
    click.echo(gettext("revoked"))


@registrations.command("list")
@acting(Permission.VIEW)
@gathering_option(default=DEMO_SLUG, show_default=True)
@click.option("--state", multiple=True)
@click.option("--category", multiple=True)
@click.option("--search", default="")
def list_registrations(
    slug: str, state: tuple[str, ...], category: tuple[str, ...], search: str
) -> None:
    """Print the guest list, filtered."""
    gathering = run_or_fail(lambda: services().box_office.gathering(slug))
    page = services().guest_list.search(
        str(gathering.id), states=state, categories=category, text=search, limit=10_000
    )
    for row in page.rows:
        name = f"{row.full_name} {row.name_zh}".strip()
        click.echo(
            f"{row.id}  {row.state:<10} {row.category:<9} {name} <{row.email}> {row.organisation}"
        )
    click.echo(gettext("%(total)s registration(s)", total=page.total))


@registrations.command("approve")
@acting(Permission.MANAGE_REGISTRATIONS)
@click.argument("registration_id", type=click.UUID)
@click.option("--override-capacity", is_flag=True, help="Confirm a VIP over capacity.")
def approve(registration_id: UUID, override_capacity: bool) -> None:
    """Approve a registration."""
    r = run_or_fail(
        lambda: services().box_office.approve(
            registration_id, acting_label(), override=override_capacity
        )
    )
    click.echo(r.state.value)


@registrations.command("reject")
@acting(Permission.MANAGE_REGISTRATIONS)
@click.argument("registration_id", type=click.UUID)
@click.option("--reason", default="")
def reject(registration_id: UUID, reason: str) -> None:
    """Reject a pending registration."""
    r = run_or_fail(lambda: services().box_office.reject(registration_id, acting_label(), reason))
    click.echo(r.state.value)


@registrations.command("cancel")
@acting(Permission.MANAGE_REGISTRATIONS)
@click.argument("registration_id", type=click.UUID)
@click.option("--reason", default="")
def cancel(registration_id: UUID, reason: str) -> None:
    """Cancel a registration."""
    r = run_or_fail(lambda: services().box_office.cancel(registration_id, acting_label(), reason))
    click.echo(r.state.value)


@registrations.command("history")
@acting(Permission.VIEW)
@click.argument("registration_id", type=click.UUID)
def history(registration_id: UUID) -> None:
    """Print what happened to a registration, in order."""
    for entry in run_or_fail(lambda: services().box_office.history(registration_id)):
        click.echo(f"{entry.version:>3}  {entry.at.isoformat()}  {entry.type:<10} by {entry.actor}")


@badges.command("print")
@acting(Permission.PRINT)
@gathering_option(default=DEMO_SLUG, show_default=True)
@click.option(
    "--order",
    type=click.Choice(["name", "category", "organisation"]),
    default="name",
    show_default=True,
)
@click.option("--category", multiple=True, help="Only these categories (repeatable).")
@OUTPUT
def print_badges(slug: str, order: str, category: tuple[str, ...], output: str) -> None:
    """Write every confirmed guest's badge on A4 sheets with cut marks into one PDF."""
    from events_app.services.badge_print import badge_sheet, registrations_to_print

    gathering = run_or_fail(lambda: services().box_office.gathering(slug))
    rows = registrations_to_print(services(), gathering, order, category)
    if not rows:
        if category:
            raise click.ClickException(
                gettext(
                    "no badge to print: no confirmed guest among %(categories)s in %(gathering)s; "
                    "%(output)s not written",
                    categories=", ".join(category),
                    gathering=slug,
                    output=output,
                )
            )
        raise click.ClickException(
            gettext(
                "no badge to print: no confirmed guest in %(gathering)s; %(output)s not written",
                gathering=slug,
                output=output,
            )
        )
    with click.progressbar(length=len(rows), label="badges", file=sys.stderr) as bar:
        done = write_output(
            output,
            lambda out: badge_sheet(
                services(), gathering, rows, out, progress=lambda n: bar.update(n - bar.pos)
            ),
        )
    say_written(output, gettext("%(count)s badge(s)", count=done))


GATHERING = gathering_option(default=DEMO_SLUG, show_default=True)


@ceremonies.command("list")
@acting(Permission.VIEW)
@GATHERING
def list_ceremonies(slug: str) -> None:
    """Print the ceremonies by time, with their items and parties."""
    gathering = run_or_fail(lambda: services().box_office.gathering(slug))
    zone = ZoneInfo(gathering.timezone)
    found = services().planning.ceremonies(slug)
    for ceremony in found:
        click.echo(
            f"{ceremony.starts_at.astimezone(zone):%Y-%m-%d %H:%M}  {ceremony.kind.value:<8} "
            f"{ceremony.state.value:<9} {ceremony.title_en} {ceremony.title_zh}  [{ceremony.id}]"
        )
        for item in ceremony.items:
            people = "; ".join(f"{p['name_en']} {p['name_zh']}".strip() for p in item["people"])
            click.echo(f"    {item['reference']:<20} {item['title_en']}")
            click.echo(f"    {'':<20} parties: {', '.join(item['parties'])}")
            if people:
                click.echo(f"    {'':<20} people: {people}")
    click.echo(gettext("%(count)s ceremony(ies)", count=len(found)))


@agenda.command("list")
@acting(Permission.VIEW)
@GATHERING
def list_agenda(slug: str) -> None:
    """Print the running order by start time, in the gathering's time zone."""
    gathering = run_or_fail(lambda: services().box_office.gathering(slug))
    zone = ZoneInfo(gathering.timezone)
    items = services().planning.running_order(slug).in_order()
    for item in items:
        when = (
            f"{item['starts_at'].astimezone(zone):%H:%M}-{item['ends_at'].astimezone(zone):%H:%M}"
        )
        speaker = f" ({item['speaker_name']})" if item["speaker_name"] else ""
        parallel = " [parallel]" if item["parallel"] else ""
        click.echo(
            f"{when}  {item['kind']:<10} {item['location']:<28} "
            f"{item['title_en']} {item['title_zh']}{speaker}{parallel}"
        )
    click.echo(
        gettext(
            "%(count)s item(s), times in %(timezone)s",
            count=len(items),
            timezone=gathering.timezone,
        )
    )


def init_app(app: Flask) -> None:
    """Register the command groups."""
    for group in (demo, tokens, registrations, read_models, badges, exhibition, ceremonies, agenda):
        app.cli.add_command(group)
    app.cli.add_command(accounts)
    app.cli.add_command(mail)
    app.cli.add_command(documents)
    app.cli.add_command(checkpoints)
    app.cli.add_command(languages)
    app.cli.add_command(invitations)
    app.cli.add_command(personal_data)


def main() -> None:
    """Run the Flask CLI for this app (console script `launch-events`)."""
    from flask.cli import FlaskGroup

    from events_app import create_app

    FlaskGroup(create_app=create_app)()
