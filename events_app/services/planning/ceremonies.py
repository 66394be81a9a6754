"""Planning the ceremonies: signings, pledges and awards, each on the gathering's day."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from uuid import UUID, uuid4

from eventsourcing.domain import Aggregate

from domain.ceremony import Ceremony, CeremonyItem
from events_app.services.planning.loading import PlanLoading, day_of, window_of
from events_app.store.application import HistoryEntry


class CeremonyPlanning(PlanLoading):
    """What organisers do to a gathering's ceremonies and their items."""

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

    def _check_people(self, slug: str, item: CeremonyItem) -> None:
        for group in ("people", "presenters"):
            for person in getattr(item, group):
                if person.registration_id:
                    self._registration_of(slug, person.registration_id, group)
