"""The `flask checkpoints` commands: list, define, edit, close a gathering's checkpoints."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import click
from flask.cli import AppGroup
from flask_babel import gettext

from domain.checkpoint import Checkpoint
from domain.gathering import Gathering
from domain.gathering_categories import GuestCategory
from domain.roles import Permission
from events_app.cli.acting import acting, acting_label
from events_app.cli.support import run_or_fail
from events_app.context import services
from events_app.services.checkpoints import Checkpoints, describe, summarise

CATEGORIES = [c.value for c in GuestCategory]
checkpoints = AppGroup("checkpoints", help="Where door staff scan badges, for whom, and when.")
SLUG = click.argument("slug")
CODE = click.argument("code")
TIME_HELP = "ISO 8601, e.g. 2026-03-02T08:45+08:00; without an offset, in the gathering's time zone"


def checkpoint_options(required: bool) -> Callable[[Any], Any]:
    """Return the options that describe a checkpoint (all optional for `edit`)."""
    options = [
        click.option("--name-en", required=required, help="Name in English."),
        click.option("--name-zh", required=required, help="Name in Chinese."),
        click.option(
            "--category",
            "categories",
            multiple=True,
            type=click.Choice(CATEGORIES),
            help="A guest category admitted here (repeat for several).",
        ),
        click.option(
            "--note",
            "notes",
            multiple=True,
            help='What door staff should know, e.g. --note "vip=escort to the front row".',
        ),
        click.option("--opens-at", help=f"When it opens ({TIME_HELP}); default: with the event."),
        click.option("--closes-at", help=f"When it closes ({TIME_HELP}); default: with the event."),
    ]

    def decorate(command: Any) -> Any:
        for option in reversed(options):
            command = option(command)
        return command

    return decorate


def _service() -> Checkpoints:
    return Checkpoints(services().box_office)


def _time(value: str | None, zone: ZoneInfo, option: str) -> datetime | None:
    """Return the time an option gives, read in the gathering's zone without an offset."""
    if value is None or value.strip() in ("", "event", "gathering"):
        return None
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        raise click.BadParameter(
            gettext("not a time: %(value)r (%(hint)s)", value=value, hint=TIME_HELP),
            param_hint=option,
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=zone)


def _notes(raw: tuple[str, ...]) -> dict[str, str]:
    """Return the --note options as {category: note}; CATEGORY= with no text drops one."""
    notes: dict[str, str] = {}
    for item in raw:
        category, equals, text = (part.strip() for part in item.partition("="))
        if category not in CATEGORIES or not equals:
            raise click.BadParameter(
                gettext(
                    "%(note)r: write CATEGORY=NOTE, CATEGORY one of %(categories)s",
                    note=item,
                    categories=", ".join(CATEGORIES),
                ),
                param_hint="--note",
            )
        if text:
            notes[category] = text
        else:
            notes.pop(category, None)
    return notes


def _build(gathering: Gathering, code: str, values: dict[str, Any]) -> Checkpoint:
    """Return the checkpoint the options describe, or fail naming the wrong value."""
    zone = ZoneInfo(gathering.timezone)
    return run_or_fail(
        lambda: Checkpoint(
            code=code,
            name_en=values["name_en"].strip(),
            name_zh=values["name_zh"].strip(),
            categories=tuple(values["categories"]),
            opens_at=_time(values["opens_at"], zone, "--opens-at"),
            closes_at=_time(values["closes_at"], zone, "--closes-at"),
            category_notes=_notes(values["notes"]),
        )
    )


def _echo(gathering: Gathering, code: str) -> None:
    """Print one checkpoint: state, names, hours in the venue's zone, categories, notes."""
    shown = describe(gathering, gathering.checkpoint(code))
    zone = ZoneInfo(gathering.timezone)
    opens, closes = (shown[k].astimezone(zone) for k in ("opens_at", "closes_at"))
    hours = f"{opens:%Y-%m-%d %H:%M}-{closes:%H:%M}"
    own = (
        "" if not (shown["opens_with_gathering"] and shown["closes_with_gathering"]) else " (event)"
    )
    state = "CLOSED" if shown["closed"] else "open"
    click.echo(
        f"{code}  [{state}]  {shown['name_en']} {shown['name_zh']}  {hours}{own}  "
        f"admits: {', '.join(shown['categories'])}"
    )
    for category, note in shown["category_notes"].items():
        click.echo(f"    {category}: {note}")


@checkpoints.command("list")
@acting(Permission.VIEW)
@SLUG
def list_checkpoints(slug: str) -> None:
    """List a gathering's checkpoints with their hours (venue time), categories and notes."""
    gathering = run_or_fail(lambda: services().box_office.gathering(slug))
    for code in gathering.checkpoints:
        _echo(gathering, code)
    click.echo(
        gettext(
            "%(count)s checkpoint(s), times in %(timezone)s",
            count=len(gathering.checkpoints),
            timezone=gathering.timezone,
        )
    )


@checkpoints.command("define")
@acting(Permission.MANAGE_DEVICES)
@SLUG
@CODE
@checkpoint_options(required=True)
def define(slug: str, code: str, **values: Any) -> None:
    """Add a new checkpoint CODE (e.g. main-entrance); use `edit` to change one."""
    gathering = run_or_fail(lambda: services().box_office.gathering(slug))
    if not values["categories"]:
        raise click.BadParameter(gettext("name at least one --category"), param_hint="--category")
    checkpoint = _build(gathering, code, values)
    _echo(run_or_fail(lambda: _service().add(slug, checkpoint, acting_label())), code)


@checkpoints.command("edit")
@acting(Permission.MANAGE_DEVICES)
@SLUG
@CODE
@checkpoint_options(required=False)
def edit(slug: str, code: str, **values: Any) -> None:
    """Change a checkpoint (and reopen it if closed); options not given stay as they are.

    --category options replace the admitted categories; --note options change one note
    each (--note vip= drops it); --opens-at event (--closes-at event) opens (closes) it
    with the gathering again.
    """
    gathering = run_or_fail(lambda: services().box_office.gathering(slug))
    current = run_or_fail(lambda: gathering.checkpoint(code))
    zone = ZoneInfo(gathering.timezone)
    kept = {
        "name_en": current.name_en,
        "name_zh": current.name_zh,
        "categories": current.categories,
        "opens_at": current.opens_at.astimezone(zone).isoformat() if current.opens_at else None,
        "closes_at": current.closes_at.astimezone(zone).isoformat() if current.closes_at else None,
    }
    given = {k: v for k, v in values.items() if v not in (None, ())}
    admitted = given.get("categories", current.categories)
    kept_notes = [f"{c}={n}" for c, n in current.category_notes.items() if c in admitted]
    given["notes"] = (*kept_notes, *values["notes"])
    checkpoint = _build(gathering, code, {**kept, **given})
    _echo(run_or_fail(lambda: _service().change(slug, checkpoint, acting_label())), code)


@checkpoints.command("close")
@acting(Permission.MANAGE_DEVICES)
@SLUG
@CODE
def close(slug: str, code: str) -> None:
    """Close a checkpoint: every scan there is refused until it is edited (reopened)."""
    _echo(run_or_fail(lambda: _service().close(slug, code, acting_label())), code)


@checkpoints.command("history")
@acting(Permission.VIEW)
@SLUG
@CODE
def history(slug: str, code: str) -> None:
    """Print every change of a checkpoint, oldest first, with who made it."""
    changes = run_or_fail(lambda: _service().history(slug, code))
    zone = ZoneInfo(services().box_office.gathering(slug).timezone)
    for change in changes:
        when = f"{change.at.astimezone(zone):%Y-%m-%d %H:%M:%S}"
        click.echo(f"{when}  {change.actor}  {summarise(change, zone)}")
