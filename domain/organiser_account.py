"""Organiser accounts: a username and a password hash for the web console, with lock-out."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.common import check_text, derived_id
from domain.errors import InvalidTransition, InvalidValue
from domain.roles import Grant, Permission, Role, check_grant, grants_allow

MAX_FAILURES = 5
"""Wrong passwords in a row that lock an account."""
LOCK_FOR = timedelta(minutes=15)
"""How long a locked account refuses every sign-in."""
USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{1,39}")


def normalise_username(username: str) -> str:
    """Return the form of a username used to find its account, or raise InvalidValue."""
    name = username.strip().lower()
    if not USERNAME.fullmatch(name):
        raise InvalidValue(
            "username must be 2 to 40 letters, digits, dots, dashes or underscores",
            field="username",
        )
    return name


class OrganiserAccount(Aggregate):
    """A person who signs in to the organiser console with a username and password."""

    @staticmethod
    def create_id(username: str) -> UUID:
        """Return the id of the account with this username."""
        return derived_id("organiser-account", normalise_username(username))

    @event("Opened")
    def __init__(
        self,
        username: str,
        display_name: str,
        password_hash: str,
        at: datetime,
        actor: str,
        role: str = Role.OWNER,
        gathering: str | None = None,
    ) -> None:
        self.grants = frozenset({check_grant(Role(role), gathering)})
        self.username = normalise_username(username)
        self.display_name = check_text(display_name, "display_name", limit=80)
        self.password_hash = password_hash
        self.password_changed_at = at
        self.password_serial = 1
        self.failures = 0
        self.locked_until: datetime | None = None
        self.last_sign_in_at: datetime | None = None
        self.closed_at: datetime | None = None
        self.sign_ins = 0
        self.signed_out: dict[int, datetime] = {}

    @property
    def is_open(self) -> bool:
        """Tell whether the account may still sign in."""
        return self.closed_at is None

    @property
    def label(self) -> str:
        """Return how the account is named in the history of what it did."""
        return f"organiser:{self.username}"

    @property
    def name(self) -> str:
        """Return the name shown on the console's pages."""
        return self.display_name

    def may(self, permission: Permission, gathering: str | None) -> bool:
        """Tell whether the account's roles give `permission` for `gathering`."""
        return self.is_open and grants_allow(self.grants, permission, gathering)

    @property
    def is_owner(self) -> bool:
        """Tell whether the account is an owner (always of every gathering)."""
        return Grant(Role.OWNER, None) in self.grants

    def grant_role(self, role: Role, gathering: str | None, at: datetime, actor: str) -> None:
        """Give the account `role` for one gathering (its slug) or for all (None)."""
        self.check_open()
        grant = check_grant(role, gathering)
        if grant in self.grants:
            raise InvalidTransition("the account already has this role", field="role")
        self._grant(role=str(role), gathering=gathering, at=at, actor=actor)

    @event("RoleGranted")
    def _grant(self, role: str, gathering: str | None, at: datetime, actor: str) -> None:
        self.grants = self.grants | {Grant(Role(role), gathering)}

    def remove_role(self, role: Role, gathering: str | None, at: datetime, actor: str) -> None:
        """Take `role` (for that gathering, or for all) away from the account."""
        self.check_open()
        if Grant(role, gathering) not in self.grants:
            raise InvalidTransition("the account does not have this role", field="role")
        self._remove(role=str(role), gathering=gathering, at=at, actor=actor)

    @event("RoleRemoved")
    def _remove(self, role: str, gathering: str | None, at: datetime, actor: str) -> None:
        self.grants = self.grants - {Grant(Role(role), gathering)}

    def locked_at(self, now: datetime) -> bool:
        """Tell whether too many wrong passwords keep the account locked at `now`."""
        return self.locked_until is not None and now < self.locked_until

    def check_open(self) -> None:
        """Refuse commands on a closed account."""
        if not self.is_open:
            raise InvalidTransition("the account is closed", field="username")

    def record_failed_sign_in(self, at: datetime) -> None:
        """Count a wrong password; the MAX_FAILURES-th in a row locks the account."""
        self.check_open()
        failures = self.failures + 1
        locked_until = at + LOCK_FOR if failures >= MAX_FAILURES else None
        self._fail(at=at, failures=failures % MAX_FAILURES, locked_until=locked_until)

    @event("SignInFailed")
    def _fail(self, at: datetime, failures: int, locked_until: datetime | None) -> None:
        self.failures = failures
        if locked_until is not None:
            self.locked_until = locked_until

    def record_sign_in(self, at: datetime) -> None:
        """Note a successful sign-in; it clears the count of wrong passwords."""
        self.check_open()
        self._sign_in(at=at)

    @event("SignedIn")
    def _sign_in(self, at: datetime) -> None:
        self.failures = 0
        self.locked_until = None
        self.last_sign_in_at = at
        self.sign_ins += 1

    def session_is_live(self, session: object) -> bool:
        """Tell whether the session of sign-in number `session` was not signed out."""
        return (
            isinstance(session, int)
            and 1 <= session <= self.sign_ins
            and session not in self.signed_out
        )

    def sign_out(self, session: int, at: datetime, forget_before: datetime) -> None:
        """End the session of sign-in number `session` (replayed copies of its cookie too).

        Sign-outs before `forget_before` are forgotten: pass a time before which every
        session has ended anyway (now minus the idle limit), so the record stays small.
        """
        if not self.session_is_live(session):
            raise InvalidTransition("this session has already ended", field="session")
        self._sign_out(session=session, at=at, forget_before=forget_before)

    @event("SignedOut")
    def _sign_out(self, session: int, at: datetime, forget_before: datetime) -> None:
        kept = {n: when for n, when in self.signed_out.items() if when >= forget_before}
        self.signed_out = {**kept, session: at}

    def change_password(self, password_hash: str, at: datetime, actor: str) -> None:
        """Replace the password (ending every session signed in with the old one); unlock."""
        self.check_open()
        self._change_password(password_hash=password_hash, at=at, actor=actor)

    @event("PasswordChanged")
    def _change_password(self, password_hash: str, at: datetime, actor: str) -> None:
        self.password_hash = password_hash
        self.password_changed_at = at
        self.password_serial += 1
        self.failures = 0
        self.locked_until = None

    def unlock(self, at: datetime, actor: str) -> None:
        """Lift a lock-out before it runs out."""
        self.check_open()
        self._unlock(at=at, actor=actor)

    @event("Unlocked")
    def _unlock(self, at: datetime, actor: str) -> None:
        self.failures = 0
        self.locked_until = None

    def close(self, at: datetime, actor: str) -> None:
        """Stop the account from signing in; its sessions end at once."""
        self.check_open()
        self._close(at=at, actor=actor)

    @event("Closed")
    def _close(self, at: datetime, actor: str) -> None:
        self.closed_at = at
