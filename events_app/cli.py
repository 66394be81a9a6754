"""Command-line tools for organisers: demo data, tokens, registrations, read models."""

from __future__ import annotations

import sys
from uuid import UUID

import click
from flask import Flask
from flask.cli import AppGroup

from domain.errors import DomainError
from events_app.context import services
from events_app.demo import DEMO_SLUG, create_demo_gathering

demo = AppGroup("demo", help="The demo gathering from the seed facts.")
tokens = AppGroup("tokens", help="Organiser API tokens.")
registrations = AppGroup("registrations", help="List and decide on registrations.")
read_models = AppGroup("read-models", help="The projections that serve queries.")
badges = AppGroup("badges", help="Print badges.")


@demo.command("create")
def create_demo() -> None:
    """Create the demo gathering (does nothing if it exists)."""
    created = create_demo_gathering(services().events)
    click.echo(f"{'created' if created else 'already present'}: {DEMO_SLUG}")


@tokens.command("create")
@click.option("--name", required=True, help="Who the token is for, e.g. alice.")
def create_token(name: str) -> None:
    """Create an organiser token; it is shown once and stored hashed."""
    token, credential_id = services().events.issue_organiser_token(name, actor="cli")
    click.echo(f"credential id: {credential_id}")
    click.echo(f"token (shown once): {token}")


@tokens.command("revoke")
@click.argument("credential_id", type=click.UUID)
def revoke_token(credential_id: UUID) -> None:
    """Revoke an organiser token by its credential id."""
    _run(lambda: services().events.revoke_organiser_credential(credential_id, actor="cli"))
    click.echo("revoked")


@registrations.command("list")
@click.option("--event", "slug", default=DEMO_SLUG, show_default=True)
@click.option("--state", multiple=True)
@click.option("--category", multiple=True)
@click.option("--search", default="")
def list_registrations(
    slug: str, state: tuple[str, ...], category: tuple[str, ...], search: str
) -> None:
    """Print the guest list, filtered."""
    gathering = _run(lambda: services().events.gathering(slug))
    page = services().guest_list.search(
        str(gathering.id), states=state, categories=category, text=search, limit=10_000
    )
    for row in page.rows:
        name = f"{row.full_name} {row.name_zh}".strip()
        click.echo(
            f"{row.id}  {row.state:<10} {row.category:<9} {name} <{row.email}> {row.organisation}"
        )
    click.echo(f"{page.total} registration(s)")


@registrations.command("approve")
@click.argument("registration_id", type=click.UUID)
@click.option("--override-capacity", is_flag=True, help="Confirm a VIP over capacity.")
def approve(registration_id: UUID, override_capacity: bool) -> None:
    """Approve a registration."""
    r = _run(lambda: services().events.approve(registration_id, "cli", override=override_capacity))
    click.echo(r.state.value)


@registrations.command("reject")
@click.argument("registration_id", type=click.UUID)
@click.option("--reason", default="")
def reject(registration_id: UUID, reason: str) -> None:
    """Reject a pending registration."""
    click.echo(_run(lambda: services().events.reject(registration_id, "cli", reason)).state.value)


@registrations.command("cancel")
@click.argument("registration_id", type=click.UUID)
@click.option("--reason", default="")
def cancel(registration_id: UUID, reason: str) -> None:
    """Cancel a registration."""
    click.echo(_run(lambda: services().events.cancel(registration_id, "cli", reason)).state.value)


@registrations.command("history")
@click.argument("registration_id", type=click.UUID)
def history(registration_id: UUID) -> None:
    """Print what happened to a registration, in order."""
    for entry in _run(lambda: services().events.history(registration_id)):
        click.echo(f"{entry.version:>3}  {entry.at.isoformat()}  {entry.type:<10} by {entry.actor}")


@badges.command("print")
@click.option("--event", "slug", default=DEMO_SLUG, show_default=True)
@click.option(
    "--order",
    type=click.Choice(["name", "category", "organisation"]),
    default="name",
    show_default=True,
)
@click.option("--category", multiple=True, help="Only these categories (repeatable).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), required=True)
def print_badges(slug: str, order: str, category: tuple[str, ...], output: str) -> None:
    """Write every confirmed guest's badge on A4 sheets with cut marks into one PDF."""
    from events_app.badge_print import badge_sheet, registrations_to_print

    gathering = _run(lambda: services().events.gathering(slug))
    rows = registrations_to_print(services(), gathering, order, category)
    with (
        open(output, "wb") as out,
        click.progressbar(length=len(rows), label="badges", file=sys.stderr) as bar,
    ):
        done = badge_sheet(
            services(), gathering, rows, out, progress=lambda n: bar.update(n - bar.pos)
        )
    click.echo(f"{done} badge(s) written to {output}")


@read_models.command("rebuild")
def rebuild() -> None:
    """Drop the read models and project every event in the store again."""
    position = services().guest_list.rebuild()
    click.echo(f"rebuilt up to notification {position}")


def _run(action):  # type: ignore[no-untyped-def]
    """Run an application call, turning refused commands into a clean CLI error."""
    try:
        return action()
    except DomainError as error:
        raise click.ClickException(f"{error.code}: {error.message}") from None


def init_app(app: Flask) -> None:
    """Register the command groups."""
    for group in (demo, tokens, registrations, read_models, badges):
        app.cli.add_command(group)


def main() -> None:
    """Run the Flask CLI for this app (console script `launch-events`)."""
    from flask.cli import FlaskGroup

    from events_app import create_app

    FlaskGroup(create_app=create_app)()
