"""`flask read-models ...`: see how far the projections are, follow the store, rebuild them."""

from __future__ import annotations

import sys
import time

import click
from flask.cli import AppGroup
from flask_babel import gettext

from domain.roles import Permission
from events_app.cli.acting import acting
from events_app.context import services

read_models = AppGroup("read-models", help="The projections that serve queries.")


@read_models.command("status")
@acting(Permission.VIEW)
def status() -> None:
    """Say how far the read models are behind the store."""
    projector = services().guest_list.projector
    position, latest = projector.position(), projector.latest()
    click.echo(
        gettext(
            "at event %(position)s of %(latest)s: %(left)s to apply",
            position=position,
            latest=latest,
            left=latest - position,
        )
    )


@read_models.command("rebuild")
@acting(Permission.MAINTAIN)
def rebuild() -> None:
    """Drop the read models and project every event in the store again, batch by batch."""
    view = services().guest_list
    latest = view.projector.latest()
    started = time.monotonic()
    with click.progressbar(length=latest, label="projecting", file=sys.stderr) as bar:
        position = view.rebuild(progress=lambda at: bar.update(at - bar.pos))
    seconds = time.monotonic() - started
    rate = position / seconds if seconds else 0.0
    click.echo(
        gettext(
            "rebuilt up to event %(position)s in %(seconds)s s (%(rate)s events/s)",
            position=position,
            seconds=format(seconds, ".1f"),
            rate=format(rate, ",.0f"),
        )
    )


@read_models.command("follow")
@acting(Permission.MAINTAIN)
@click.option("--idle", default=0.2, show_default=True, help="Seconds between looks when idle.")
def follow(idle: float) -> None:
    """Keep the read models current until stopped (a process of its own, beside the workers)."""
    projector = services().guest_list.projector
    click.echo(
        gettext("following from event %(position)s (Ctrl-C stops)", position=projector.position())
    )
    try:
        while True:
            before = projector.position()
            after = projector.step(blocking=True) if before < projector.latest() else before
            if after is None or after == before:
                time.sleep(idle)
    except KeyboardInterrupt:
        click.echo(gettext("stopped at event %(position)s", position=projector.position()))
