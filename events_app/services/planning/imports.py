"""What a planning import takes in and how it refuses rows: nothing is written on a refusal."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Generic, TypeVar
from uuid import uuid4

from eventsourcing.domain import Aggregate

from domain.common import N_
from domain.errors import DomainError
from domain.exhibition import BoothSlot, Exhibition, FirmProfile
from events_app.services.planning.loading import PlanLoading

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
    refusal: DomainError | None = None
    """The domain's refusal of the row, to say again in the reader's language (None: a file's)."""


class RowsRefused(DomainError):
    """Some rows of an import were refused, so nothing of it was written."""

    code = "rows_refused"

    def __init__(self, problems: Sequence[RowProblem]) -> None:
        first = problems[0]
        super().__init__(
            N_("%(count)s row(s) refused; row %(number)s: %(problem)s"),
            field=first.field,
            count=len(problems),
            number=first.number,
            problem=first.refusal or first.message,
        )
        self.problems = list(problems)


class ExhibitionImports(PlanLoading):
    """Booth slots and firms taken in many at a time, in one write."""

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
                    problems.append(
                        RowProblem(row.number, error.field, error.code, error.message, error)
                    )
            if problems:
                raise RowsRefused(problems)
            return exhibition, [exhibition]

        if dry_run:
            return command()[0]
        return self._app.execute(gathering.id, command)
