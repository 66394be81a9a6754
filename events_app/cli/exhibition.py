"""The exhibition's command group: booth slots and firms from CSV files, listings, history."""

from __future__ import annotations

from collections.abc import Callable
from uuid import UUID

import click
from flask.cli import AppGroup
from flask_babel import gettext

from domain.roles import Permission
from events_app.cli.acting import acting, acting_label
from events_app.cli.csv_import import (
    FIRM_COLUMNS_HELP,
    SLOT_COLUMNS_HELP,
    ImportRefused,
    import_firms,
    import_slots,
)
from events_app.cli.support import gathering_option, run_or_fail
from events_app.context import services
from events_app.demo import DEMO_SLUG
from events_app.errors import refusal_text

exhibition = AppGroup("exhibition", help="Booth slots and exhibiting firms.")


GATHERING = gathering_option(default=DEMO_SLUG, show_default=True)
CSV_FILE = click.argument("path", type=click.Path(exists=True, dir_okay=False))
DRY_RUN = click.option("--dry-run", is_flag=True, help="Check every row, write nothing.")


@exhibition.command("import-slots", epilog=SLOT_COLUMNS_HELP)
@acting(Permission.PLAN)
@CSV_FILE
@GATHERING
@click.option("--add-sectors", is_flag=True, help="Add sectors the file names that are new.")
@DRY_RUN
def import_slots_command(path: str, slug: str, add_sectors: bool, dry_run: bool) -> None:
    """Define booth slots from a CSV file (all rows or none)."""
    count = _import(
        lambda: import_slots(
            services().planning,
            slug,
            path,
            acting_label(),
            add_sectors=add_sectors,
            dry_run=dry_run,
        )
    )
    said = (
        gettext("checked %(count)s slot(s) into %(gathering)s", count=count, gathering=slug)
        if dry_run
        else gettext("imported %(count)s slot(s) into %(gathering)s", count=count, gathering=slug)
    )
    click.echo(said)


@exhibition.command("import-firms", epilog=FIRM_COLUMNS_HELP)
@acting(Permission.PLAN)
@CSV_FILE
@GATHERING
@DRY_RUN
def import_firms_command(path: str, slug: str, dry_run: bool) -> None:
    """Take in exhibiting firms from a CSV file, allocating slots it names (all rows or none)."""
    count = _import(
        lambda: import_firms(services().planning, slug, path, acting_label(), dry_run=dry_run)
    )
    said = (
        gettext("checked %(count)s firm(s) into %(gathering)s", count=count, gathering=slug)
        if dry_run
        else gettext("imported %(count)s firm(s) into %(gathering)s", count=count, gathering=slug)
    )
    click.echo(said)


def _import(action: Callable[[], int]) -> int:
    """Run an import; print each refused row and fail (exit 1) when any was refused."""
    try:
        return run_or_fail(action)
    except ImportRefused as refused:
        for problem in refused.problems:
            where = (
                gettext("line %(number)s:", number=problem.number)
                if problem.number
                else f"{refused.path}:"
            )
            field = f" {problem.field}:" if problem.field else ""
            said = refusal_text(problem.refusal) if problem.refusal else problem.message
            click.echo(f"{where}{field} {said}", err=True)
        raise click.ClickException(
            gettext(
                "nothing written: %(count)s problem(s) in %(path)s",
                count=len(refused.problems),
                path=refused.path,
            )
        ) from None


@exhibition.command("list")
@acting(Permission.VIEW)
@GATHERING
def list_exhibition(slug: str) -> None:
    """Print the booth slots with their firms, then every firm with its staff badges."""
    show = run_or_fail(lambda: services().planning.exhibition(slug))
    click.echo(gettext("sectors: %(items)s", items=", ".join(show.sectors)))
    for code in sorted(show.slots):
        slot = show.slots[code]
        holder = show.firm_in(code)
        firm = show.firm(holder) if holder else None
        name = f"{firm['name_en']} {firm['name_zh']}".strip() if firm else gettext("(free)")
        place = f"{slot['zone']} {slot['floor']}".strip()
        click.echo(f"{code:<6} {slot['sector']:<24} {place:<24} {name}")
    for firm in sorted(show.firms.values(), key=lambda f: f["name_en"].casefold()):
        taken = len(show.staff_of(UUID(firm["id"])))
        click.echo(
            f"{UUID(firm['id'])}  {firm['state']:<9} {firm['slot'] or '-':<6} "
            f"staff {taken}/{firm['staff_quota']}  {firm['name_en']} {firm['name_zh']}".rstrip()
        )
    click.echo(
        gettext(
            "%(slots)s slot(s), %(firms)s firm(s)", slots=len(show.slots), firms=len(show.firms)
        )
    )


@exhibition.command("history")
@acting(Permission.VIEW)
@GATHERING
@click.option("--slot", "code", default=None, help="A booth code, e.g. B07.")
@click.option("--firm", "firm_id", type=click.UUID, default=None, help="A firm's id.")
def exhibition_history(slug: str, code: str | None, firm_id: UUID | None) -> None:
    """Print who changed a booth slot or a firm, and when."""
    from events_app.presenters.planning import history_data

    if (code is None) == (firm_id is None):
        raise click.UsageError(gettext("name either --slot or --firm"))
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
