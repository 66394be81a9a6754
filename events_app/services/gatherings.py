"""Commands and reads of gatherings and their guest lists."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from uuid import UUID

from eventsourcing.persistence import IntegrityError

from domain.errors import AlreadyExists
from domain.gathering import Capacity, CategoryPolicy, Gathering
from domain.guest_list import GuestList
from events_app.store.application import EventSourcedApplication


class GatheringCommands(EventSourcedApplication):
    """Schedule gatherings and read them, with their limits and guest lists."""

    def schedule_gathering(self, actor: str, **fields: Any) -> Gathering:
        """Create a gathering and its empty guest list."""
        categories = {
            name: CategoryPolicy(**policy) for name, policy in fields.pop("categories").items()
        }
        gathering = Gathering.schedule(
            categories=categories, at=self.clock(), actor=actor, **fields
        )
        guest_list = GuestList(gathering_id=gathering.id)
        try:
            self.save(gathering, guest_list)
        except IntegrityError:
            raise AlreadyExists(
                "a gathering with slug %(slug)r exists already", field="slug", slug=gathering.slug
            ) from None
        return gathering

    def gathering(self, slug: str) -> Gathering:
        """Return the gathering with this slug."""
        return self.load(Gathering, Gathering.create_id(slug), "gathering")

    def gathering_by_id(self, gathering_id: UUID) -> Gathering:
        """Return the gathering with this id."""
        return self.load(Gathering, gathering_id, "gathering")

    def gatherings(self, ids: Iterable[UUID]) -> list[Gathering]:
        """Return the gatherings of these ids (the read model lists them), soonest first."""
        found = [self.gathering_by_id(gathering_id) for gathering_id in ids]
        return sorted(found, key=lambda gathering: (gathering.starts_at, gathering.slug))

    def limits_of(self, gathering_id: UUID, category: str) -> tuple[CategoryPolicy, Capacity]:
        """Return a category's policy and seat limits as the store has them now.

        Read them after the guest list they are checked against (see `register_placed`).
        """
        gathering = self.gathering_by_id(gathering_id)
        return gathering.policy(category), gathering.capacity_for(category)

    def guest_list(self, gathering_id: UUID) -> GuestList:
        """Return the guest list of a gathering."""
        return self.load(GuestList, GuestList.create_id(gathering_id), "guest list")
