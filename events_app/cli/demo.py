"""`flask demo create`: the demo gathering, from its seed files, as an organiser would add it.

The files in events_app/demo/data/ go through the paths an organiser's input takes: the
booth slots and firms through the CSV importer of `flask exhibition import-slots` and
`import-firms`; the gathering, each ceremony and item, each agenda item and each checkpoint
through the API's schema for it, then the same service command the API calls. Times of day
in the files are the venue's, on the gathering's day.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import click
from flask.cli import AppGroup
from flask_babel import gettext

from domain.ceremony import Ceremony
from domain.checkpoint import Checkpoint
from domain.errors import AlreadyExists
from domain.questionnaire import Question
from domain.roles import Permission
from events_app.cli.acting import acting
from events_app.cli.csv_import import import_firms, import_slots
from events_app.context import services
from events_app.demo import (
    DEMO_GATHERING,
    DEMO_SLUG,
    VENUE_TZ,
    data_file,
    demo_dates,
    on_the_day,
    read_data,
)
from events_app.schemas.ceremonies import CeremonyInSchema, CeremonyItemInSchema, ceremony_item_from
from events_app.schemas.checkpoints import CheckpointSchema
from events_app.schemas.gatherings import GatheringCreateSchema
from events_app.schemas.questionnaire import QuestionCreateSchema
from events_app.schemas.running_order import AgendaItemInSchema, agenda_item_from
from events_app.services.box_office import BoxOffice
from events_app.services.checkpoints import Checkpoints
from events_app.services.planning import Planning
from events_app.services.questionnaire import Questionnaires

demo = AppGroup("demo", help="The demo gathering from the seed facts.")


@demo.command("create")
@acting(Permission.MAINTAIN)
def create_demo() -> None:
    """Create the demo gathering (does nothing if it exists)."""
    created = create_demo_gathering(services().box_office, services().planning)
    said = (
        gettext("created: %(gathering)s") if created else gettext("already present: %(gathering)s")
    )
    click.echo(said % {"gathering": DEMO_SLUG})


def create_demo_gathering(
    app: BoxOffice, planning: Planning | None = None, actor: str = "cli:demo"
) -> bool:
    """Schedule the demo gathering and plan its day; return False if all was there (idempotent).

    The plan (running order, 25 sample firms in booths, ceremonies), the checkpoints and
    the registration questions are added to a demo gathering that lacks them, e.g. one
    created before they existed.
    """
    created = schedule_demo(app, actor)
    day = app.gathering(DEMO_SLUG).starts_at.astimezone(VENUE_TZ)
    planned = plan_demo(planning or Planning(app), DEMO_SLUG, day, actor)
    doors = define_demo_checkpoints(Checkpoints(app), DEMO_SLUG, day, actor)
    asked = ask_demo_questions(Questionnaires(app), DEMO_SLUG, actor)
    return created or planned or doors or asked


def ask_demo_questions(questionnaires: Questionnaires, slug: str, actor: str) -> bool:
    """Add the demo's own registration questions while it has none; return True if added."""
    if questionnaires.questionnaire(slug).in_order(retired=True):
        return False
    for spec in read_data("questions.toml")["questions"]:
        questionnaires.add(slug, Question(**QuestionCreateSchema().load(spec)), actor)
    return True


def schedule_demo(app: BoxOffice, actor: str) -> bool:
    """Schedule the demo gathering on its next date; return False if it exists already."""
    dates = {name: moment.isoformat() for name, moment in demo_dates(app.clock()).items()}
    fields = GatheringCreateSchema().load({**DEMO_GATHERING, **dates})
    try:
        app.schedule_gathering(actor, **fields)
    except AlreadyExists:
        return False
    return True


def plan_demo(planning: Planning, slug: str, day: datetime, actor: str) -> bool:
    """Plan the demo's showcase, ceremonies and running order; return True if any was new.

    `day` is the gathering's start in venue time. Each part is planned only while it is
    empty, so running it again changes nothing.
    """
    changed = False
    exhibition = planning.exhibition(slug)
    if not exhibition.slots:
        with data_file("slots.csv") as path:
            import_slots(planning, slug, str(path), actor)
        changed = True
    if not exhibition.firms:
        with data_file("firms.csv") as path:
            import_firms(planning, slug, str(path), actor)
        changed = True
    specs = read_data("ceremonies.toml")["ceremonies"]
    ceremonies = planning.ceremonies(slug)
    if not ceremonies:
        ceremonies = [plan_ceremony(planning, slug, spec, day, actor) for spec in specs]
        changed = True
    if not planning.running_order(slug).items:
        keys = {spec["title_en"]: spec["key"] for spec in specs}
        ids = {keys[c.title_en]: str(c.id) for c in ceremonies if c.title_en in keys}
        for spec in read_data("running_order.toml")["items"]:
            schedule_item(planning, slug, spec, day, ids, actor)
        changed = True
    return changed


def plan_ceremony(
    planning: Planning, slug: str, spec: dict[str, Any], day: datetime, actor: str
) -> Ceremony:
    """Plan one ceremony of ceremonies.toml with its items, approved if it says `ready`."""
    details = {k: v for k, v in spec.items() if k not in ("key", "starts", "items", "ready")}
    fields = CeremonyInSchema().load({**details, "starts_at": on_the_day(day, spec["starts"])})
    ceremony = planning.plan_ceremony(slug, actor, **fields)
    for item in spec["items"]:
        loaded = ceremony_item_from(CeremonyItemInSchema().load(item))
        planning.add_ceremony_item(slug, ceremony.id, loaded, actor)
    if spec["ready"]:
        planning.mark_ceremony_ready(slug, ceremony.id, actor)
    return planning.ceremony(slug, ceremony.id)


def schedule_item(
    planning: Planning,
    slug: str,
    spec: dict[str, Any],
    day: datetime,
    ceremony_ids: dict[str, str],
    actor: str,
) -> None:
    """Schedule one item of running_order.toml, linked to the ceremony it names by key."""
    fields = {k: v for k, v in spec.items() if k not in ("starts", "ends", "ceremony")}
    fields["starts_at"] = on_the_day(day, spec["starts"])
    fields["ends_at"] = on_the_day(day, spec["ends"])
    if "ceremony" in spec:
        fields["ceremony_id"] = ceremony_ids[spec["ceremony"]]
    planning.schedule_item(slug, agenda_item_from(AgendaItemInSchema().load(fields)), actor)


def define_demo_checkpoints(checkpoints: Checkpoints, slug: str, day: datetime, actor: str) -> bool:
    """Add the checkpoints of checkpoints.toml the gathering lacks; return True if any was added.

    One an organiser changed or closed is left as it is.
    """
    defined = set(checkpoints.codes(slug))
    missing = [c for c in demo_checkpoints(day) if c.code not in defined]
    for checkpoint in missing:
        checkpoints.add(slug, checkpoint, actor)
    return bool(missing)


def demo_checkpoints(day: datetime) -> list[Checkpoint]:
    """Return the checkpoints of checkpoints.toml; `day` is the gathering's start at the venue."""
    found = []
    for spec in read_data("checkpoints.toml")["checkpoints"]:
        fields = {k: v for k, v in spec.items() if k != "opens"}
        if "opens" in spec:
            fields["opens_at"] = on_the_day(day, spec["opens"])
        loaded = CheckpointSchema().load(fields)
        found.append(Checkpoint(**{**loaded, "categories": tuple(loaded["categories"])}))
    return found
