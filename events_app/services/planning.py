"""Planning services: the exhibition, ceremonies and the running order of a gathering.

Each command loads the aggregate it changes, runs one domain command and saves it through
`BoxOffice.execute`, which serialises writers of one gathering within a process and
retries on a concurrent write from another process (optimistic concurrency), so two
organisers allocating one slot at once cannot both succeed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, Generic, TypeVar
from uuid import UUID, uuid4

from eventsourcing.domain import Aggregate

from domain.ceremony import Ceremony, CeremonyItem
from domain.errors import DomainError, InvalidValue, NotFound
from domain.exhibition import BoothSlot, Exhibition, FirmProfile, FirmState
from domain.gathering import Gathering
from domain.gathering_day import GatheringDay
from domain.registration import Registration
from domain.running_order import AgendaItem, RunningOrder
from events_app.services.box_office import BoxOffice
from events_app.store.application import HistoryEntry

A = TypeVar("A", bound=Aggregate)
R = TypeVar("R")


@dataclass(frozen=True)
class Row(Generic[R]):
    """One row of an import: its number in the file and what it asks for."""

    number: int
    value: R


@dataclass(frozen=True)
class FirmRow:
    """A firm to import: its profile, and optionally the slot it gets and its confirmation."""

    profile: FirmProfile
    slot: str = ""
    confirmed: bool = False


@dataclass(frozen=True)
class RowProblem:
    """Why one row of an import was refused."""

    number: int
    field: str | None
    code: str
    message: str


class RowsRefused(DomainError):
    """Some rows of an import were refused, so nothing of it was written."""

    code = "rows_refused"
    status = 422

    def __init__(self, problems: Sequence[RowProblem]) -> None:
        first = problems[0]
        super().__init__(
            f"{len(problems)} row(s) refused; row {first.number}: {first.message}",
            field=first.field,
        )
        self.problems = list(problems)


class Planning:
    """What organisers do to plan the showcase, the ceremonies and the running order."""

    def __init__(self, app: BoxOffice) -> None:
        self._app = app

    # Loading -----------------------------------------------------------------------

    def exhibition(self, slug: str) -> Exhibition:
        """Return the exhibition of a gathering (an empty one if nothing was planned yet)."""
        gathering = self._app.gathering(slug)
        return self._exhibition(gathering)

    def _exhibition(self, gathering: Gathering) -> Exhibition:
        try:
            return self._app.load(Exhibition, Exhibition.create_id(gathering.id), "exhibition")
        except NotFound:
            return Exhibition(gathering_id=gathering.id)

    def running_order(self, slug: str) -> RunningOrder:
        """Return the running order of a gathering (an empty one if nothing was planned yet)."""
        gathering = self._app.gathering(slug)
        return self._running_order(gathering)

    def _running_order(self, gathering: Gathering) -> RunningOrder:
        try:
            return self._app.load(
                RunningOrder, RunningOrder.create_id(gathering.id), "running order"
            )
        except NotFound:
            return RunningOrder(gathering_id=gathering.id)

    def ceremony(self, slug: str, ceremony_id: UUID) -> Ceremony:
        """Return one ceremony of the gathering."""
        gathering = self._app.gathering(slug)
        ceremony = self._app.load(Ceremony, ceremony_id, "ceremony")
        if ceremony.gathering_id != gathering.id:
            raise NotFound("ceremony not found")
        return ceremony

    def ceremonies(self, slug: str) -> list[Ceremony]:
        """Return the ceremonies of a gathering in time order (withdrawn ones included)."""
        gathering = self._app.gathering(slug)
        ids = self._running_order(gathering).ceremony_ids
        ceremonies = [self._app.load(Ceremony, UUID(i), "ceremony") for i in ids]
        return sorted(ceremonies, key=lambda c: (c.starts_at, c.title_en))

    # Exhibition ----------------------------------------------------------------------

    def _change_exhibition(
        self, slug: str, change: Callable[[Exhibition, datetime], None]
    ) -> Exhibition:
        gathering = self._app.gathering(slug)

        def command() -> tuple[Exhibition, list[Aggregate]]:
            exhibition = self._exhibition(gathering)
            change(exhibition, self._app.clock())
            return exhibition, [exhibition]

        return self._app.execute(gathering.id, command)

    def add_sector(self, slug: str, sector: str, actor: str) -> Exhibition:
        """Offer another sector."""
        return self._change_exhibition(slug, lambda e, at: e.add_sector(sector, at, actor))

    def define_slot(self, slug: str, slot: BoothSlot, actor: str) -> Exhibition:
        """Add or change a booth slot."""
        return self._change_exhibition(slug, lambda e, at: e.define_slot(slot, at, actor))

    def remove_slot(self, slug: str, code: str, actor: str) -> Exhibition:
        """Take away a free booth slot."""
        return self._change_exhibition(slug, lambda e, at: e.remove_slot(code, at, actor))

    def apply(self, slug: str, profile: FirmProfile, actor: str) -> tuple[UUID, Exhibition]:
        """Take in a firm's application; return its id."""
        firm_id = uuid4()
        exhibition = self._change_exhibition(
            slug, lambda e, at: e.apply(firm_id, profile, at, actor)
        )
        return firm_id, exhibition

    def change_profile(
        self, slug: str, firm_id: UUID, profile: FirmProfile, actor: str
    ) -> Exhibition:
        """Change what the showcase says about a firm."""
        return self._change_exhibition(
            slug, lambda e, at: e.change_profile(firm_id, profile, at, actor)
        )

    def allocate(self, slug: str, firm_id: UUID, slot: str, actor: str) -> Exhibition:
        """Give a firm a free slot."""
        return self._change_exhibition(slug, lambda e, at: e.allocate(firm_id, slot, at, actor))

    def confirm(self, slug: str, firm_id: UUID, actor: str) -> Exhibition:
        """Record that a firm accepts its slot."""
        return self._change_exhibition(slug, lambda e, at: e.confirm(firm_id, at, actor))

    def move(self, slug: str, firm_id: UUID, slot: str, actor: str) -> Exhibition:
        """Move a firm to a free slot."""
        return self._change_exhibition(slug, lambda e, at: e.move(firm_id, slot, at, actor))

    def swap(self, slug: str, first: UUID, second: UUID, actor: str) -> Exhibition:
        """Exchange two firms' slots."""
        return self._change_exhibition(slug, lambda e, at: e.swap(first, second, at, actor))

    def withdraw_firm(self, slug: str, firm_id: UUID, reason: str, actor: str) -> Exhibition:
        """Withdraw a firm; its slot is freed and its staff registrations are cancelled."""
        gathering = self._app.gathering(slug)

        def command() -> tuple[Exhibition, list[Aggregate]]:
            exhibition = self._exhibition(gathering)
            at = self._app.clock()
            staff = exhibition.staff_of(firm_id) + exhibition.requests_of(firm_id)
            exhibition.withdraw(firm_id, reason, at, actor)
            changed = self._app.cancel_many(
                gathering.id, staff, actor, f"exhibitor withdrawn: {reason}".strip(": "), at
            )
            return exhibition, [exhibition, *changed]

        return self._app.execute(gathering.id, command)

    def staff_code(self, slug: str, firm_id: UUID) -> str:
        """Return the firm's current staff code (for its contact and the pre-filled link)."""
        exhibition = self.exhibition(slug)
        generation = exhibition.staff_code_generation(firm_id)
        return self._app.staff_codes.code_for(firm_id, generation)

    def renew_staff_code(self, slug: str, firm_id: UUID, actor: str) -> Exhibition:
        """Give a firm a new staff code; the old one (and its link) stops working."""
        return self._change_exhibition(slug, lambda e, at: e.renew_staff_code(firm_id, at, actor))

    def history_of_slot(self, slug: str, code: str) -> list[HistoryEntry]:
        """Return every change that touched a booth slot (also a removed one), oldest first."""
        key = code.strip().upper()
        exhibition = self.exhibition(slug)
        changes = [c for c in self._history(exhibition.id) if key in _slots_named(c.data)]
        if not changes:
            exhibition.slot(key)  # raises NotFound
        return changes

    def history_of_firm(self, slug: str, firm_id: UUID) -> list[HistoryEntry]:
        """Return every change that touched an exhibiting firm, oldest first."""
        exhibition = self.exhibition(slug)
        exhibition.firm(firm_id)
        return [c for c in self._history(exhibition.id) if firm_id.hex in _firms_named(c.data)]

    def firms_taking_staff(self, slug: str) -> list[dict[str, Any]]:
        """Return the firms whose staff may register (allocated or confirmed), by name."""
        exhibition = self.exhibition(slug)
        placed = [
            {
                **firm,
                "id": str(UUID(firm["id"])),
                "staff_taken": len(exhibition.staff_of(UUID(firm["id"]))),
            }
            for firm in exhibition.firms.values()
            if firm["state"] in (FirmState.ALLOCATED, FirmState.CONFIRMED)
        ]
        return sorted(placed, key=lambda f: (f["name_en"].casefold(), f["name_zh"]))

    def import_slots(
        self,
        slug: str,
        rows: Sequence[Row[BoothSlot]],
        actor: str,
        *,
        add_sectors: bool = False,
        dry_run: bool = False,
    ) -> Exhibition:
        """Define many slots in one write: every row is checked, and one refusal writes none.

        With `add_sectors`, a sector no slot had before is added first; with `dry_run`
        the rows are only checked. Raises RowsRefused naming each refused row.
        """

        def define(exhibition: Exhibition, slot: BoothSlot, at: datetime) -> None:
            sector = slot.sector.strip()
            if add_sectors and sector and sector not in exhibition.sectors:
                exhibition.add_sector(sector, at, actor)
            exhibition.define_slot(slot, at, actor)

        return self._import(slug, rows, define, dry_run=dry_run)

    def import_firms(
        self, slug: str, rows: Sequence[Row[FirmRow]], actor: str, *, dry_run: bool = False
    ) -> Exhibition:
        """Take in many firms (each with the slot it is allocated, if any) in one write.

        Every row is checked, and one refusal writes none (RowsRefused names each row).
        """

        def take_in(exhibition: Exhibition, row: FirmRow, at: datetime) -> None:
            firm_id = uuid4()
            exhibition.apply(firm_id, row.profile, at, actor)
            if row.slot:
                exhibition.allocate(firm_id, row.slot, at, actor)
            if row.confirmed:
                exhibition.confirm(firm_id, at, actor)

        return self._import(slug, rows, take_in, dry_run=dry_run)

    def _import(
        self,
        slug: str,
        rows: Sequence[Row[R]],
        take: Callable[[Exhibition, R, datetime], None],
        *,
        dry_run: bool,
    ) -> Exhibition:
        gathering = self._app.gathering(slug)

        def command() -> tuple[Exhibition, list[Aggregate]]:
            exhibition = self._exhibition(gathering)
            at = self._app.clock()
            problems = []
            for row in rows:
                try:
                    take(exhibition, row.value, at)
                except DomainError as error:
                    problems.append(RowProblem(row.number, error.field, error.code, error.message))
            if problems:
                raise RowsRefused(problems)
            return exhibition, [exhibition]

        if dry_run:
            return command()[0]
        return self._app.execute(gathering.id, command)

    # Ceremonies ------------------------------------------------------------------------

    def plan_ceremony(self, slug: str, actor: str, **fields: Any) -> Ceremony:
        """Plan a ceremony of the gathering."""
        gathering = self._app.gathering(slug)

        def command() -> tuple[Ceremony, list[Aggregate]]:
            ceremony = Ceremony.plan(
                gathering_id=gathering.id,
                window=window_of(gathering),
                at=self._app.clock(),
                actor=actor,
                **fields,
            )
            running_order = self._running_order(gathering)
            running_order.list_ceremony(ceremony.id)
            return ceremony, [ceremony, running_order]

        return self._app.execute(gathering.id, command)

    def _change_ceremony(
        self, slug: str, ceremony_id: UUID, change: Callable[[Ceremony, datetime], None]
    ) -> Ceremony:
        gathering = self._app.gathering(slug)

        def command() -> tuple[Ceremony, list[Aggregate]]:
            ceremony = self.ceremony(slug, ceremony_id)
            change(ceremony, self._app.clock())
            return ceremony, [ceremony]

        return self._app.execute(gathering.id, command)

    def change_ceremony(self, slug: str, ceremony_id: UUID, actor: str, **fields: Any) -> Ceremony:
        """Change a ceremony's title, time or place."""
        window = window_of(self._app.gathering(slug))
        return self._change_ceremony(
            slug,
            ceremony_id,
            lambda c, at: c.change_details(window=window, at=at, actor=actor, **fields),
        )

    def add_ceremony_item(
        self, slug: str, ceremony_id: UUID, item: CeremonyItem, actor: str
    ) -> tuple[str, Ceremony]:
        """Add an agreement, pledge or award to a ceremony; return its id."""
        self._check_people(slug, item)
        item_id = uuid4().hex
        ceremony = self._change_ceremony(
            slug, ceremony_id, lambda c, at: c.add_item(item_id, item, at, actor)
        )
        return item_id, ceremony

    def change_ceremony_item(
        self, slug: str, ceremony_id: UUID, item_id: str, item: CeremonyItem, actor: str
    ) -> Ceremony:
        """Replace one item of a ceremony."""
        self._check_people(slug, item)
        return self._change_ceremony(
            slug, ceremony_id, lambda c, at: c.change_item(item_id, item, at, actor)
        )

    def remove_ceremony_item(
        self, slug: str, ceremony_id: UUID, item_id: str, actor: str
    ) -> Ceremony:
        """Take an item out of a ceremony."""
        return self._change_ceremony(
            slug, ceremony_id, lambda c, at: c.remove_item(item_id, at, actor)
        )

    def reorder_ceremony_items(
        self, slug: str, ceremony_id: UUID, order: list[str], actor: str
    ) -> Ceremony:
        """Put a ceremony's items in a new order."""
        return self._change_ceremony(
            slug, ceremony_id, lambda c, at: c.reorder_items(order, at, actor)
        )

    def mark_ceremony_ready(self, slug: str, ceremony_id: UUID, actor: str) -> Ceremony:
        """Approve a ceremony's documents."""
        return self._change_ceremony(slug, ceremony_id, lambda c, at: c.mark_ready(at, actor))

    def complete_ceremony(
        self, slug: str, ceremony_id: UUID, happened_at: datetime | None, actor: str
    ) -> Ceremony:
        """Record that a ceremony took place (signed, or awarded), on the gathering's day."""
        day = day_of(self._app.gathering(slug))
        return self._change_ceremony(
            slug, ceremony_id, lambda c, at: c.complete(happened_at or at, at, actor, day=day)
        )

    def withdraw_ceremony(self, slug: str, ceremony_id: UUID, reason: str, actor: str) -> Ceremony:
        """Call a ceremony off."""
        return self._change_ceremony(slug, ceremony_id, lambda c, at: c.withdraw(reason, at, actor))

    def history_of_ceremony(self, slug: str, ceremony_id: UUID) -> list[HistoryEntry]:
        """Return every change of a ceremony, oldest first."""
        self.ceremony(slug, ceremony_id)
        return self._history(ceremony_id)

    # Running order ---------------------------------------------------------------------

    def _change_running_order(
        self, slug: str, change: Callable[[RunningOrder, tuple[datetime, datetime], datetime], None]
    ) -> RunningOrder:
        gathering = self._app.gathering(slug)

        def command() -> tuple[RunningOrder, list[Aggregate]]:
            running_order = self._running_order(gathering)
            change(running_order, window_of(gathering), self._app.clock())
            return running_order, [running_order]

        return self._app.execute(gathering.id, command)

    def schedule_item(self, slug: str, item: AgendaItem, actor: str) -> tuple[str, RunningOrder]:
        """Add an item to the running order; return its id."""
        linked = self._linked(slug, item)
        item_id = uuid4().hex
        running_order = self._change_running_order(
            slug, lambda r, window, at: r.schedule(item_id, linked, window, at, actor)
        )
        return item_id, running_order

    def change_item(self, slug: str, item_id: str, item: AgendaItem, actor: str) -> RunningOrder:
        """Replace an item of the running order."""
        linked = self._linked(slug, item)
        return self._change_running_order(
            slug, lambda r, window, at: r.change(item_id, linked, window, at, actor)
        )

    def remove_item(self, slug: str, item_id: str, actor: str) -> RunningOrder:
        """Take an item out of the running order."""
        return self._change_running_order(slug, lambda r, window, at: r.remove(item_id, at, actor))

    def history_of_item(self, slug: str, item_id: str) -> list[HistoryEntry]:
        """Return every change of one agenda item (also a removed one), oldest first."""
        running_order = self.running_order(slug)
        changes = [
            c
            for c in self._history(running_order.id)
            if c.data.get("item_id") == item_id or (c.data.get("item") or {}).get("id") == item_id
        ]
        if not changes:
            running_order.item(item_id)  # raises NotFound
        return changes

    def _linked(self, slug: str, item: AgendaItem) -> AgendaItem:
        """Check the speaker's registration and the ceremony an item names (same gathering).

        A speaker named only by registration gets the registration's names.
        """
        if item.speaker_registration_id:
            registration = self._registration_of(
                slug, item.speaker_registration_id, "speaker_registration_id"
            )
            if not item.speaker_name.strip():
                details = registration.details
                name = f"{details['full_name']} {details.get('name_zh', '')}".strip()
                item = replace(item, speaker_name=name)
        if item.ceremony_id:
            try:
                self.ceremony(slug, _uuid(item.ceremony_id, "ceremony_id"))
            except NotFound:
                raise NotFound(
                    "no ceremony of this gathering has this id", field="ceremony_id"
                ) from None
        return item

    def _check_people(self, slug: str, item: CeremonyItem) -> None:
        for person in item.people:
            if person.registration_id:
                self._registration_of(slug, person.registration_id, "people")

    def _registration_of(self, slug: str, registration_id: str, field: str) -> Registration:
        gathering = self._app.gathering(slug)
        try:
            registration = self._app.registration(_uuid(registration_id, field))
        except NotFound:
            registration = None
        if registration is None or registration.gathering_id != gathering.id:
            raise NotFound("no registration of this gathering has this id", field=field)
        return registration

    # History -----------------------------------------------------------------------------

    def _history(self, aggregate_id: UUID) -> list[HistoryEntry]:
        return self._app.changes(aggregate_id)


def window_of(gathering: Gathering) -> tuple[datetime, datetime]:
    """Return the gathering's start and end."""
    return gathering.starts_at, gathering.ends_at


def day_of(gathering: Gathering) -> GatheringDay:
    """Return the gathering's day, within which its ceremonies are recorded."""
    return GatheringDay(gathering.starts_at, gathering.ends_at, gathering.timezone)


def _uuid(value: str, field: str) -> UUID:
    try:
        return UUID(str(value))
    except ValueError:
        raise InvalidValue("not a valid id", field=field) from None


def _slots_named(data: dict[str, Any]) -> set[str]:
    """Return the slot codes an exhibition event names (SlotDefined holds the whole slot)."""
    names = [data.get(k) for k in ("slot", "from_slot", "to_slot", "first_slot", "second_slot")]
    if isinstance(data.get("slot"), dict):
        names.append(data["slot"].get("code"))
    return {n for n in names if isinstance(n, str)}


def _firms_named(data: dict[str, Any]) -> set[str]:
    return {
        str(data[k]) for k in ("firm_id", "first_firm", "second_firm") if data.get(k) is not None
    }
