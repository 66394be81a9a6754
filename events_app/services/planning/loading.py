"""Loading what a gathering's plan is made of: its exhibition, ceremonies and running order.

Every part of `Planning` starts from here; an exhibition or running order nobody planned
yet loads as an empty one.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from domain.ceremony import Ceremony
from domain.errors import InvalidValue, NotFound
from domain.exhibition import Exhibition
from domain.gathering import Gathering
from domain.gathering_day import GatheringDay
from domain.registration import Registration
from domain.running_order import RunningOrder
from events_app.services.box_office import BoxOffice
from events_app.store.application import HistoryEntry


class PlanLoading:
    """Loads the aggregates of a gathering's plan, and their histories."""

    def __init__(self, app: BoxOffice) -> None:
        self._app = app

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

    def _registration_of(self, slug: str, registration_id: str, field: str) -> Registration:
        gathering = self._app.gathering(slug)
        try:
            registration = self._app.registration(id_from(registration_id, field))
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


def id_from(value: str, field: str) -> UUID:
    """Return the id `value` names, or refuse it as the value of `field`."""
    try:
        return UUID(str(value))
    except ValueError:
        raise InvalidValue("not a valid id", field=field) from None
