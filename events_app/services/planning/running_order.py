"""Planning the running order: the agenda items of the day, with their speakers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from uuid import uuid4

from eventsourcing.domain import Aggregate

from domain.errors import NotFound
from domain.running_order import AgendaItem, RunningOrder
from events_app.services.planning.loading import PlanLoading, id_from, window_of
from events_app.store.application import HistoryEntry


class RunningOrderPlanning(PlanLoading):
    """What organisers do to the running order of a gathering."""

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
                self.ceremony(slug, id_from(item.ceremony_id, "ceremony_id"))
            except NotFound:
                raise NotFound(
                    "no ceremony of this gathering has this id", field="ceremony_id"
                ) from None
        return item
