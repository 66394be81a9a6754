"""`flask personal-data ...`: export, erase and retain guests' data; migrate; the keys."""

from __future__ import annotations

import base64
import json
import os
from pathlib import Path
from typing import BinaryIO
from uuid import UUID

import click
from flask.cli import AppGroup
from flask_babel import gettext, ngettext

from domain.roles import Permission
from events_app.cli.acting import acting, acting_label
from events_app.cli.support import STDOUT, run_or_fail, say_written, write_output
from events_app.context import services
from events_app.schemas.personal_data import PersonalDataSchema
from events_app.services.resealing import BATCH, PersonalDataMigration
from events_app.store.atomic_files import create_once
from events_app.store.locks import Locks
from events_app.store.migration_rows import MigrationRows, MigrationRun
from events_app.store.personal_keys import KEY_BYTES, MasterKeyError, parse_master_key

personal_data = AppGroup(
    "personal-data", help="Guests' personal data: export, erasure, retention, migration, keys."
)


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


@personal_data.command("erase-invitation")
@acting(Permission.ERASE_PERSONAL_DATA)
@click.argument("invitation_id", type=click.UUID)
@click.option("--reason", required=True, help="Why (recorded in the invitation's history).")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def erase_invitation(invitation_id: UUID, reason: str, yes: bool) -> None:
    """Erase an unaccepted invitee's personal data (an open invitation is withdrawn)."""
    if not yes:
        click.confirm(
            gettext("Erase this invitee's personal data for good? It cannot be undone."),
            abort=True,
        )
    erased = run_or_fail(
        lambda: services().personal_data.erase_invitation(invitation_id, acting_label(), reason)
    )
    click.echo(gettext("erased: %(id)s", id=erased.id))


@personal_data.command("rewrap")
@acting(Permission.MAINTAIN)
@click.option(
    "--new-key-file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The new master key (base64 of 32 bytes); a new one is made there if it is absent.",
)
@click.option("--no-master-key", is_flag=True, help="Store the keys without a master key.")
def rewrap(new_key_file: Path | None, no_master_key: bool) -> None:
    """Seal every personal data key under a new master key, all at once (stop the app first)."""
    if (new_key_file is not None) == no_master_key:
        raise click.UsageError(gettext("Give --new-key-file or --no-master-key."))
    master = None if new_key_file is None else _new_master_key(new_key_file)
    keys = services().box_office.personal_keys
    try:
        count = keys.rewrap(master)
    except MasterKeyError as error:
        raise click.ClickException(str(error)) from None
    click.echo(gettext("keys sealed again: %(count)s", count=count))
    if new_key_file is not None:
        click.echo(
            gettext(
                "Start the app with LAUNCH_EVENTS_MASTER_KEY_FILE=%(path)s from now on.",
                path=new_key_file,
            )
        )


def _new_master_key(path: Path) -> bytes:
    """Return the master key in `path`, made there (readable by its owner only) if absent."""
    if create_once(path, base64.b64encode(os.urandom(KEY_BYTES)) + b"\n"):
        click.echo(gettext("new master key written to %(path)s: keep a copy safe", path=path))
    try:
        key = parse_master_key(path.read_text())
    except (OSError, MasterKeyError) as error:
        raise click.ClickException(str(error)) from None
    if key is None:
        raise click.ClickException(gettext("%(path)s is empty", path=path))
    return key


@personal_data.command("migrate")
@acting(Permission.MAINTAIN)
@click.option("--status", "show_status", is_flag=True, help="Only show what past runs did.")
@click.option(
    "--batch",
    type=click.IntRange(1, 100_000),
    default=BATCH,
    show_default=True,
    help="Events per transaction.",
)
def migrate(show_status: bool, batch: int) -> None:
    """Seal the plain personal data of earlier versions (resumable), then rebuild read models."""
    found = services()
    if found.storage.kind == "memory":
        raise click.ClickException(gettext("an in-memory store has nothing to migrate"))
    rows = MigrationRows(
        found.storage,
        found.box_office.recorder.events_table_name,
        found.box_office.snapshots.recorder.events_table_name,  # type: ignore[union-attr]
    )
    try:
        migration = PersonalDataMigration(
            found.box_office, rows, Locks(found.storage, found.database)
        )
        if not show_status:
            run_or_fail(lambda: migration.run(acting_label(), batch=batch, after_batch=echo_batch))
            found.guest_list.rebuild()
        runs = migration.runs()
    finally:
        rows.close()
    if not runs:
        click.echo(gettext("never run"))
    for run in runs:
        echo_run(run)


def echo_batch(run: MigrationRun) -> None:
    """Tell how far the migration got (after each batch), on stderr."""
    click.echo(
        gettext("batch %(n)s: up to event %(position)s", n=run.batches, position=run.position),
        err=True,
    )


def echo_run(run: MigrationRun) -> None:
    """Print what one run of the migration did."""
    finished = run.finished_at or gettext("not finished (run it again to continue)")
    click.echo(
        gettext(
            "run %(run)s by %(actor)s: started %(started)s, finished %(finished)s; "
            "%(scanned)s events read, %(rewritten)s rewritten, %(snapshots)s snapshots rewritten",
            run=run.run,
            actor=run.actor,
            started=run.started_at,
            finished=finished,
            scanned=run.scanned,
            rewritten=run.rewritten,
            snapshots=run.snapshots,
        )
    )
    for name, count in sorted(run.counts.items()):
        click.echo(f"  {name}: {count}")


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
        if expiry.invitations:
            click.echo(invitees_line(expiry.gathering.slug, len(expiry.invitations), dry_run))
            for invitation_id in expiry.invitations:
                click.echo(f"  {invitation_id}")
    if not expired:
        click.echo(gettext("No gathering's personal data are due for erasure."))


def invitees_line(slug: str, count: int, dry_run: bool) -> str:
    """Word how many unaccepted invitees' data a run erased (or would erase)."""
    if dry_run:
        return gettext(
            "%(slug)s: would erase %(num)d invitees who never accepted", slug=slug, num=count
        )
    return gettext("%(slug)s: erased %(num)d invitees who never accepted", slug=slug, num=count)


@personal_data.command("due")
@acting(Permission.VIEW)
def due() -> None:
    """List per gathering the day its guests' personal data are erased, and how many."""
    found = services()
    ids = found.guest_list.gathering_ids()
    for entry in run_or_fail(lambda: found.retention.schedule(ids, invitees=True)):
        click.echo(
            ngettext(
                "%(slug)s: %(num)d guest, erased on %(day)s (%(days)d days after the end)%(due)s",
                "%(slug)s: %(num)d guests, erased on %(day)s (%(days)d days after the end)%(due)s",
                entry.guests,
                slug=entry.gathering.slug,
                day=entry.erase_on.isoformat(),
                days=entry.gathering.retention_days,
                due=gettext(", due now") if entry.due else "",
            )
        )
        if entry.invitees:
            click.echo(
                ngettext(
                    "  and %(num)d invitee who never accepted",
                    "  and %(num)d invitees who never accepted",
                    entry.invitees,
                )
            )
