"""Command-line tools for organisers: demo data, tokens, registrations, read models."""

from __future__ import annotations

import sys
from collections.abc import Callable
from uuid import UUID
from zoneinfo import ZoneInfo

import click
from flask import Flask
from flask.cli import AppGroup

from events_app.cli.accounts import accounts
from events_app.cli.checkpoints import checkpoints
from events_app.cli.csv_import import (
    FIRM_COLUMNS_HELP,
    SLOT_COLUMNS_HELP,
    ImportRefused,
    import_firms,
    import_slots,
)
from events_app.cli.demo import demo
from events_app.cli.documents import documents
from events_app.cli.languages import languages
from events_app.cli.mail import mail
from events_app.cli.read_models import read_models
from events_app.cli.support import OUTPUT, gathering_option, run_or_fail, say_written, write_output
from events_app.context import services
from events_app.demo import DEMO_SLUG

tokens = AppGroup("tokens", help="Organiser API tokens.")
registrations = AppGroup("registrations", help="List and decide on registrations.")
badges = AppGroup("badges", help="Print badges.")
exhibition = AppGroup("exhibition", help="Booth slots and exhibiting firms.")
ceremonies = AppGroup("ceremonies", help="Signing, pledge and award ceremonies.")
agenda = AppGroup("agenda", help="The running order.")


@tokens.command("create")
@click.option("--name", required=True, help="Who the token is for, e.g. alice.")
def create_token(name: str) -> None:
    """Create an organiser token; it is shown once and stored hashed."""
    token, credential_id = services().box_office.issue_organiser_token(name, actor="cli")
    click.echo(f"credential id: {credential_id}")
    click.echo(f"token (shown once): {token}")


@tokens.command("revoke")
@click.argument("credential_id", type=click.UUID)
def revoke_token(credential_id: UUID) -> None:
    """Revoke an organiser token by its credential id."""
    run_or_fail(
        lambda: services().box_office.revoke_organiser_credential(credential_id, actor="cli")
    )
    click.echo("revoked")


@registrations.command("list")
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
    click.echo(f"{page.total} registration(s)")


@registrations.command("approve")
@click.argument("registration_id", type=click.UUID)
@click.option("--override-capacity", is_flag=True, help="Confirm a VIP over capacity.")
def approve(registration_id: UUID, override_capacity: bool) -> None:
    """Approve a registration."""
    r = run_or_fail(
        lambda: services().box_office.approve(registration_id, "cli", override=override_capacity)
    )
    click.echo(r.state.value)


@registrations.command("reject")
@click.argument("registration_id", type=click.UUID)
@click.option("--reason", default="")
def reject(registration_id: UUID, reason: str) -> None:
    """Reject a pending registration."""
    r = run_or_fail(lambda: services().box_office.reject(registration_id, "cli", reason))
    click.echo(r.state.value)


@registrations.command("cancel")
@click.argument("registration_id", type=click.UUID)
@click.option("--reason", default="")
def cancel(registration_id: UUID, reason: str) -> None:
    """Cancel a registration."""
    r = run_or_fail(lambda: services().box_office.cancel(registration_id, "cli", reason))
    click.echo(r.state.value)


@registrations.command("history")
@click.argument("registration_id", type=click.UUID)
def history(registration_id: UUID) -> None:
    """Print what happened to a registration, in order."""
    for entry in run_or_fail(lambda: services().box_office.history(registration_id)):
        click.echo(f"{entry.version:>3}  {entry.at.isoformat()}  {entry.type:<10} by {entry.actor}")


@badges.command("print")
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
        among = f" among {', '.join(category)}" if category else ""
        raise click.ClickException(
            f"no badge to print: no confirmed guest{among} in {slug}; {output} not written"
        )
    with click.progressbar(length=len(rows), label="badges", file=sys.stderr) as bar:
        done = write_output(
            output,
            lambda out: badge_sheet(
                services(), gathering, rows, out, progress=lambda n: bar.update(n - bar.pos)
            ),
        )
    say_written(output, f"{done} badge(s)")


GATHERING = gathering_option(default=DEMO_SLUG, show_default=True)
CSV_FILE = click.argument("path", type=click.Path(exists=True, dir_okay=False))
DRY_RUN = click.option("--dry-run", is_flag=True, help="Check every row, write nothing.")


@exhibition.command("import-slots", epilog=SLOT_COLUMNS_HELP)
@CSV_FILE
@GATHERING
@click.option("--add-sectors", is_flag=True, help="Add sectors the file names that are new.")
@DRY_RUN
def import_slots_command(path: str, slug: str, add_sectors: bool, dry_run: bool) -> None:
    """Define booth slots from a CSV file (all rows or none)."""
    count = _import(
        lambda: import_slots(
            services().planning, slug, path, "cli", add_sectors=add_sectors, dry_run=dry_run
        )
    )
    click.echo(f"{'checked' if dry_run else 'imported'} {count} slot(s) into {slug}")


@exhibition.command("import-firms", epilog=FIRM_COLUMNS_HELP)
@CSV_FILE
@GATHERING
@DRY_RUN
def import_firms_command(path: str, slug: str, dry_run: bool) -> None:
    """Take in exhibiting firms from a CSV file, allocating slots it names (all rows or none)."""
    count = _import(lambda: import_firms(services().planning, slug, path, "cli", dry_run=dry_run))
    click.echo(f"{'checked' if dry_run else 'imported'} {count} firm(s) into {slug}")


def _import(action: Callable[[], int]) -> int:
    """Run an import; print each refused row and fail (exit 1) when any was refused."""
    try:
        return run_or_fail(action)
    except ImportRefused as refused:
        for problem in refused.problems:
            where = f"line {problem.number}:" if problem.number else f"{refused.path}:"
            field = f" {problem.field}:" if problem.field else ""
            click.echo(f"{where}{field} {problem.message}", err=True)
        raise click.ClickException(
            f"nothing written: {len(refused.problems)} problem(s) in {refused.path}"
        ) from None


@exhibition.command("list")
@GATHERING
def list_exhibition(slug: str) -> None:
    """Print the booth slots with their firms, then every firm with its staff badges."""
    show = run_or_fail(lambda: services().planning.exhibition(slug))
    click.echo(f"sectors: {', '.join(show.sectors)}")
    for code in sorted(show.slots):
        slot = show.slots[code]
        holder = show.firm_in(code)
        firm = show.firm(holder) if holder else None
        name = f"{firm['name_en']} {firm['name_zh']}".strip() if firm else "(free)"
        place = f"{slot['zone']} {slot['floor']}".strip()
        click.echo(f"{code:<6} {slot['sector']:<24} {place:<24} {name}")
    for firm in sorted(show.firms.values(), key=lambda f: f["name_en"].casefold()):
        taken = len(show.staff_of(UUID(firm["id"])))
        click.echo(
            f"{UUID(firm['id'])}  {firm['state']:<9} {firm['slot'] or '-':<6} "
            f"staff {taken}/{firm['staff_quota']}  {firm['name_en']} {firm['name_zh']}".rstrip()
        )
    click.echo(f"{len(show.slots)} slot(s), {len(show.firms)} firm(s)")


@exhibition.command("history")
@GATHERING
@click.option("--slot", "code", default=None, help="A booth code, e.g. B07.")
@click.option("--firm", "firm_id", type=click.UUID, default=None, help="A firm's id.")
def exhibition_history(slug: str, code: str | None, firm_id: UUID | None) -> None:
    """Print who changed a booth slot or a firm, and when."""
    from events_app.presenters.planning import history_data

    if (code is None) == (firm_id is None):
        raise click.UsageError("name either --slot or --firm")
    planning = services().planning
    changes = run_or_fail(
        lambda: (
            planning.history_of_slot(slug, code)
            if code is not None
            else planning.history_of_firm(slug, firm_id)
        )  # type: ignore[arg-type]
    )
    for entry in history_data("", changes, planning.exhibition(slug))["events"]:
        click.echo(f"{entry['at'].isoformat()}  {entry['actor']:<28} {entry['summary']}")


@ceremonies.command("list")
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
    click.echo(f"{len(found)} ceremony(ies)")


@agenda.command("list")
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
    click.echo(f"{len(items)} item(s), times in {gathering.timezone}")


def init_app(app: Flask) -> None:
    """Register the command groups."""
    for group in (demo, tokens, registrations, read_models, badges, exhibition, ceremonies, agenda):
        app.cli.add_command(group)
    app.cli.add_command(accounts)
    app.cli.add_command(mail)
    app.cli.add_command(documents)
    app.cli.add_command(checkpoints)
    app.cli.add_command(languages)


def main() -> None:
    """Run the Flask CLI for this app (console script `launch-events`)."""
    from flask.cli import FlaskGroup

    from events_app import create_app

    FlaskGroup(create_app=create_app)()
