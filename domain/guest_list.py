"""The guest list of one gathering: who holds which e-mail, seat and waitlist place.

It is the consistency boundary for the rules that span registrations: one active
registration per e-mail, never more confirmed guests than seats, and a first-come,
first-served waitlist. Every registration command changes it in the same atomic save
as the registration, so two concurrent commands cannot both take the last seat.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Any, NoReturn
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.common import derived_id, normalise_email
from domain.errors import (
    CategoryFull,
    EmailAlreadyRegistered,
    OverrideNotAllowed,
)
from domain.gathering import Capacity
from domain.gathering_categories import GuestCategory, category_term
from domain.personal import EmailHasher
from domain.seat_limits import check_limits, no_seat

CONFIRMED_OVER_CAPACITY = "confirmed_over_capacity"


def email_key(email: str, hasher: EmailHasher) -> str:
    """Return the key a guest list keeps for an e-mail address: its keyed hash ("": none)."""
    normalised = normalise_email(email)
    return hasher(normalised) if normalised else ""


class GuestList(Aggregate):
    """Seats, waitlist and e-mail addresses in use for one gathering.

    `emails` keys each address by its keyed hash (`hasher`, which the caller passes):
    lists kept before hold normalised addresses, which are still found until migrated.
    """

    held = MappingProxyType({})  # each event replaces it: never changed in place
    """Seats held (for invitations, or a pending invitee): holder's id -> [category, seats].

    Lists opened before invitations had none; held seats count against capacity.
    """

    @staticmethod
    def create_id(gathering_id: UUID) -> UUID:
        """Return the id of the guest list of the gathering `gathering_id`."""
        return derived_id("guest-list", gathering_id.hex)

    @event("Opened")
    def __init__(self, gathering_id: UUID) -> None:
        self.gathering_id = gathering_id
        self.emails: dict[str, str] = {}
        self.pending: dict[str, str] = {}
        self.confirmed: dict[str, str] = {}
        self.waitlist: list[list[str]] = []
        self.limits: dict[str, list[int | None]] = {}

    # Queries ---------------------------------------------------------------

    def confirmed_count(self, category: str | None = None) -> int:
        """Return how many guests (of `category`, if given) hold a seat."""
        if category is None:
            return len(self.confirmed)
        return sum(1 for c in self.confirmed.values() if c == category)

    def held_count(self, category: str | None = None) -> int:
        """Return how many seats (of `category`, if given) are held for invited guests."""
        return sum(int(n) for c, n in self.held.values() if category is None or c == category)

    def taken_count(self, category: str | None = None) -> int:
        """Return the seats (of `category`, if given) taken: confirmed guests and held seats."""
        return self.confirmed_count(category) + self.held_count(category)

    def has_seat(self, category: str, capacity: Capacity, seats: int = 1) -> bool:
        """Tell whether `seats` guests of `category` could be confirmed (or held) now."""
        if self.taken_count() + seats > capacity.overall:
            return False
        return capacity.category is None or self.taken_count(category) + seats <= capacity.category

    def seat_shortage(self, category: str, capacity: Capacity) -> dict[str, Any]:
        """Return which limit keeps a guest of `category` from a seat, as a refusal's params.

        `{"count": 20}` when every seat is taken, else `{"count": 3, "category": "VIP"}`.
        """
        if self.taken_count() >= capacity.overall:
            return {"count": capacity.overall}
        return {"count": capacity.category, "category": category_term(category)}

    def refuse_seat(self, category: str, capacity: Capacity) -> NoReturn:
        """Raise NoSeatAvailable naming the limit that keeps the guest waiting."""
        raise no_seat(self.seat_shortage(category, capacity))

    def state_of(self, registration_id: UUID) -> str | None:
        """Return whether a registration is pending, confirmed or waitlisted here (else None)."""
        rid = registration_id.hex
        if rid in self.confirmed:
            return "confirmed"
        if rid in self.pending:
            return "pending"
        return "waitlisted" if self.waitlist_position(registration_id) else None

    def waitlist_position(self, registration_id: UUID) -> int | None:
        """Return the 1-based place of a registration on the waitlist, if it is on it."""
        for index, (rid, _category) in enumerate(self.waitlist, start=1):
            if rid == registration_id.hex:
                return index
        return None

    def holder_of(self, email: str, hasher: EmailHasher) -> str | None:
        """Return the id (hex) of the active registration holding `email`, if any."""
        key = email_key(email, hasher)
        if not key:
            return None
        return self.emails.get(key) or self.emails.get(normalise_email(email))

    def check_email_free(self, email: str, hasher: EmailHasher) -> None:
        """Raise EmailAlreadyRegistered if an active registration holds `email` (none: free)."""
        if self.holder_of(email, hasher) is not None:
            raise EmailAlreadyRegistered(
                "this e-mail address is already registered for this gathering", field="email"
            )

    def next_promotions(self, capacity_of: dict[str, Capacity]) -> list[UUID]:
        """Return the waitlisted registrations to confirm now, first come first served."""
        taken = self.taken_count()
        in_category = {name: self.taken_count(name) for name in capacity_of}
        chosen: list[UUID] = []
        for rid, category in self.waitlist:
            capacity = capacity_of[category]
            if taken >= capacity.overall:
                break
            if capacity.category is None or in_category[category] < capacity.category:
                taken += 1
                in_category[category] += 1
                chosen.append(UUID(rid))
        return chosen

    # Commands --------------------------------------------------------------

    def admit(
        self,
        registration_id: UUID,
        email: str,
        category: str,
        capacity: Capacity,
        *,
        approval_required: bool,
        hasher: EmailHasher,
    ) -> str:
        """Take in a new registration and return its first state."""
        self.check_email_free(email, hasher)
        if approval_required:
            standing = "pending"
        elif self.has_seat(category, capacity):
            standing = "confirmed"
        else:
            standing = "waitlisted"
        self._join(
            registration_id=registration_id.hex,
            email=email_key(email, hasher),
            category=category,
            standing=standing,
        )
        return standing

    @event("Joined")
    def _join(self, registration_id: str, email: str, category: str, standing: str) -> None:
        if email:
            self.emails[email] = registration_id
        if standing == "pending":
            self.pending[registration_id] = category
        elif standing == "confirmed":
            self.confirmed[registration_id] = category
        else:
            self.waitlist.append([registration_id, category])

    def decide(
        self,
        registration_id: UUID,
        category: str,
        capacity: Capacity,
        *,
        override: bool = False,
    ) -> str:
        """Give an approved registration a seat, or a waitlist place; return which.

        "confirmed_over_capacity" when the seat needed the override; an override given
        while a seat is free is not used (nor recorded).
        """
        if override and category != GuestCategory.VIP:
            raise OverrideNotAllowed(
                "capacity can be overridden for VIP guests only", field="override_capacity"
            )
        if registration_id.hex in self.held or self.has_seat(category, capacity):
            self._seat(registration_id=registration_id.hex, category=category, override=False)
            return "confirmed"
        if override:
            self._seat(registration_id=registration_id.hex, category=category, override=True)
            return CONFIRMED_OVER_CAPACITY
        if self.waitlist_position(registration_id) is not None:
            self.refuse_seat(category, capacity)
        self._queue(registration_id=registration_id.hex, category=category)
        return "waitlisted"

    def promote(self, registration_id: UUID) -> None:
        """Give a seat to a waitlisted registration."""
        for rid, category in self.waitlist:
            if rid == registration_id.hex:
                self._seat(registration_id=rid, category=category, override=False)
                return
        raise ValueError(f"{registration_id} is not on the waitlist")

    @event("Seated")
    def _seat(self, registration_id: str, category: str, override: bool) -> None:
        self.held = {k: v for k, v in self.held.items() if k != registration_id}
        self.pending.pop(registration_id, None)
        self.waitlist = [entry for entry in self.waitlist if entry[0] != registration_id]
        self.confirmed[registration_id] = category

    @event("Queued")
    def _queue(self, registration_id: str, category: str) -> None:
        self.pending.pop(registration_id, None)
        self.waitlist.append([registration_id, category])

    def release(self, registration_id: UUID) -> None:
        """Free the e-mail, seat or waitlist place a rejected or cancelled registration held."""
        self._leave(registration_id=registration_id.hex)

    @event("Left")
    def _leave(self, registration_id: str) -> None:
        self.held = {k: v for k, v in self.held.items() if k != registration_id}
        self.emails = {e: r for e, r in self.emails.items() if r != registration_id}
        self.pending.pop(registration_id, None)
        self.confirmed.pop(registration_id, None)
        self.waitlist = [entry for entry in self.waitlist if entry[0] != registration_id]

    # Held seats (invitations) ---------------------------------------------------

    def hold(self, holder_id: UUID, category: str, seats: int, capacity: Capacity) -> None:
        """Hold `seats` seats of `category` for an invitation, or refuse when too few are free."""
        if not self.has_seat(category, capacity, seats):
            self.refuse_seat(category, capacity)
        self._hold(holder_id=holder_id.hex, category=category, seats=seats)

    @event("SeatsHeld")
    def _hold(self, holder_id: str, category: str, seats: int) -> None:
        self.held = {**self.held, holder_id: [category, seats]}

    def seats_held_by(self, holder_id: UUID) -> int:
        """Return how many seats are held for `holder_id` (0: none)."""
        entry = self.held.get(holder_id.hex)
        return int(entry[1]) if entry else 0

    def unhold(self, holder_id: UUID) -> None:
        """Give back every seat held for `holder_id` (nothing happens if none is held)."""
        if holder_id.hex in self.held:
            self._unhold(holder_id=holder_id.hex)

    @event("SeatsReleased")
    def _unhold(self, holder_id: str) -> None:
        self.held = {k: v for k, v in self.held.items() if k != holder_id}

    def admit_held(
        self,
        registration_id: UUID,
        email: str,
        holder_id: UUID,
        category: str,
        capacity: Capacity,
        *,
        approval_required: bool,
        hasher: EmailHasher,
    ) -> str:
        """Take in an invited registration, in a seat held for `holder_id` if one is left.

        Confirmed, or pending (keeping the seat held for it) when its category needs
        approval; without a held seat it is admitted as any registration is.
        """
        if not self.seats_held_by(holder_id):
            return self.admit(
                registration_id,
                email,
                category,
                capacity,
                approval_required=approval_required,
                hasher=hasher,
            )
        self.check_email_free(email, hasher)
        self._join_held(
            registration_id=registration_id.hex,
            email=email_key(email, hasher),
            holder_id=holder_id.hex,
            category=category,
            standing="pending" if approval_required else "confirmed",
        )
        return "pending" if approval_required else "confirmed"

    @event("JoinedInHeldSeat")
    def _join_held(
        self, registration_id: str, email: str, holder_id: str, category: str, standing: str
    ) -> None:
        held = dict(self.held)
        left = int(held[holder_id][1]) - 1
        if left:
            held[holder_id] = [held[holder_id][0], left]
        else:
            del held[holder_id]
        if standing == "pending":
            held[registration_id] = [category, 1]
            self.pending[registration_id] = category
        else:
            self.confirmed[registration_id] = category
        self.held = held
        if email:
            self.emails[email] = registration_id

    # Corrections -------------------------------------------------------------

    def resize(self, old: dict[str, Capacity], new: dict[str, Capacity]) -> None:
        """Take new seat limits, after checking them; recorded even when no one moves.

        Recording it makes a concurrent command that saves the guest list fail and run
        again on the new limits, in this process or in another.
        """
        check_limits(self, old, new)
        self._resize(limits={name: [c.overall, c.category] for name, c in new.items()})

    @event("Resized")
    def _resize(self, limits: dict[str, list[int | None]]) -> None:
        self.limits = limits

    def change_email(self, registration_id: UUID, email: str, hasher: EmailHasher) -> None:
        """Give an active registration a new e-mail address, still unique in the gathering."""
        new = email_key(email, hasher)
        old = [e for e, rid in self.emails.items() if rid == registration_id.hex]
        if old in ([new], [normalise_email(email)]) or (not old and not new):
            return
        self.check_email_free(email, hasher)
        self._change_email(registration_id=registration_id.hex, email=new)

    @event("EmailChanged")
    def _change_email(self, registration_id: str, email: str) -> None:
        self.emails = {e: r for e, r in self.emails.items() if r != registration_id}
        if email:
            self.emails[email] = registration_id

    def forget_email(self, registration_id: UUID) -> None:
        """Free the e-mail address of a registration whose personal data are erased."""
        if registration_id.hex in self.emails.values():
            self._forget_email(registration_id=registration_id.hex)

    @event("EmailForgotten")
    def _forget_email(self, registration_id: str) -> None:
        self.emails = {e: r for e, r in self.emails.items() if r != registration_id}

    def move(self, registration_id: UUID, category: str, capacity: Capacity) -> None:
        """Move an active registration to another category; a confirmed one needs a seat there."""
        rid = registration_id.hex
        taken = self.confirmed_count(category)
        if rid in self.confirmed and capacity.category is not None and taken >= capacity.category:
            raise CategoryFull(
                "no %(category)s seat is free: all %(count)s %(category)s seats are taken",
                field="category",
                category=category_term(category),
                count=capacity.category,
            )
        self._move(registration_id=rid, category=category)

    @event("Moved")
    def _move(self, registration_id: str, category: str) -> None:
        if registration_id in self.confirmed:
            self.confirmed[registration_id] = category
        if registration_id in self.pending:
            self.pending[registration_id] = category
        self.waitlist = [[r, category if r == registration_id else c] for r, c in self.waitlist]
