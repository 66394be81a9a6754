"""Organiser accounts: open them (CLI), check passwords with lock-out, end sessions."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from uuid import UUID

from eventsourcing.domain import Aggregate
from werkzeug.security import check_password_hash, generate_password_hash

from domain.errors import AlreadyExists, InvalidTransition, InvalidValue, NotFound
from domain.organiser_account import OrganiserAccount, normalise_username
from domain.roles import Grant, Role, check_grant
from events_app.services.authorisation import Actor, require_grantable
from events_app.services.box_office import BoxOffice

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 200
_UNUSED_HASH = generate_password_hash("an unused password, checked to keep timing equal")


class SignInRefusal(StrEnum):
    """Why a sign-in was refused; all but `locked` read the same to the person."""

    WRONG = "wrong_password"
    LOCKED = "locked"
    CLOSED = "closed"


@dataclass(frozen=True)
class SignInResult:
    """The account signed in to, or why there is none."""

    account: OrganiserAccount | None
    refusal: SignInRefusal | None = None
    locked_until: datetime | None = None


def check_password(password: str, username: str) -> str:
    """Return the password if it is acceptable, else raise InvalidValue naming `password`."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidValue(
            "the password must have at least %(limit)s characters",
            field="password",
            limit=MIN_PASSWORD_LENGTH,
        )
    if len(password) > MAX_PASSWORD_LENGTH:
        raise InvalidValue(
            "the password must have at most %(limit)s characters",
            field="password",
            limit=MAX_PASSWORD_LENGTH,
        )
    if password.strip().lower() == username.strip().lower():
        raise InvalidValue("the password must not be the username", field="password")
    return password


class OrganiserAccounts:
    """What the CLI and the sign-in form do with organiser accounts."""

    def __init__(self, app: BoxOffice) -> None:
        self._app = app

    def open(
        self,
        username: str,
        display_name: str,
        password: str,
        actor: str,
        *,
        role: Role = Role.OWNER,
        gathering: str | None = None,
    ) -> UUID:
        """Open an account with one role; the password is kept only as a salted scrypt hash."""
        name = normalise_username(username)
        check_password(password, name)
        check_grant(role, gathering)
        account = OrganiserAccount(
            username=name,
            display_name=display_name,
            password_hash=generate_password_hash(password),
            at=self._app.clock(),
            actor=actor,
            role=str(role),
            gathering=gathering,
        )

        def command() -> tuple[OrganiserAccount, list[Aggregate]]:
            if self._exists(account.id):  # checked again when a concurrent save wins
                raise AlreadyExists(
                    "an account named %(name)s already exists", field="username", name=name
                )
            return account, [account]

        return self._app.execute(account.id, command).id

    def _exists(self, account_id: UUID) -> bool:
        try:
            self._app.load(OrganiserAccount, account_id, "account")
        except NotFound:
            return False
        return True

    def account(self, username: str) -> OrganiserAccount:
        """Return the account with this username, or raise NotFound."""
        return self._app.load(
            OrganiserAccount, OrganiserAccount.create_id(username), "organiser account"
        )

    def by_id(self, account_id: UUID) -> OrganiserAccount | None:
        """Return the open account with this id (up to date), else None.

        Every console request asks this, so it reads through the process's shared copy,
        which replays only the events since it was kept (sign-ins add one each).
        """
        try:
            account = self._app.read(OrganiserAccount, account_id, "organiser account")
        except NotFound:
            return None
        return account if account.is_open else None

    def all(self) -> list[OrganiserAccount]:
        """Return every account, open or closed, by username."""
        ids = self._app.ids_created_as(OrganiserAccount.Opened)  # type: ignore[attr-defined]
        accounts = [self._app.load(OrganiserAccount, i, "account") for i in ids]
        return sorted(accounts, key=lambda a: a.username)

    def sign_in(self, username: str, password: str) -> SignInResult:
        """Check a password; count wrong ones and lock the account after too many."""
        try:
            account = self.account(username)
        except (NotFound, InvalidValue):
            check_password_hash(_UNUSED_HASH, password)  # the same time as a real check
            return SignInResult(None, SignInRefusal.WRONG)
        now = self._app.clock()
        if not account.is_open:
            return SignInResult(None, SignInRefusal.CLOSED)
        if account.locked_at(now):
            return SignInResult(None, SignInRefusal.LOCKED, account.locked_until)
        if not check_password_hash(account.password_hash, password):
            locked = self._change(account.id, lambda a: a.record_failed_sign_in(now))
            if locked.locked_at(now):
                return SignInResult(None, SignInRefusal.LOCKED, locked.locked_until)
            return SignInResult(None, SignInRefusal.WRONG)
        return SignInResult(self._change(account.id, lambda a: a.record_sign_in(now)))

    def sign_out(self, account_id: UUID, session: int, forget_before: datetime) -> None:
        """End one session of an account, in every worker at once; a dead one is left be."""
        at = self._app.clock()
        account = self.by_id(account_id)
        if account is not None and account.session_is_live(session):
            self._change(account_id, lambda a: a.sign_out(session, at, forget_before))

    def change_password(self, username: str, password: str, actor: str) -> None:
        """Set a new password; sessions signed in with the old one end."""
        check_password(password, normalise_username(username))
        digest = generate_password_hash(password)
        at = self._app.clock()
        self._change(self.account(username).id, lambda a: a.change_password(digest, at, actor))

    def unlock(self, username: str, actor: str) -> None:
        """Lift a lock-out."""
        at = self._app.clock()
        self._change(self.account(username).id, lambda a: a.unlock(at, actor))

    def close(self, username: str, actor: str, *, keep_an_owner: bool = True) -> None:
        """Close an account; its sessions end at once.

        The last owner's account stays open unless `keep_an_owner` is False (the machine's
        operator, who can open another owner from the CLI at any time).
        """
        at = self._app.clock()
        account = self.account(username)
        if account.is_owner and keep_an_owner:
            self._check_not_last_owner(account)
        self._change(account.id, lambda a: a.close(at, actor))

    def grant_role(self, username: str, role: Role, gathering: str | None, by: Actor) -> None:
        """Give an account a role, for one gathering (its slug) or for all (None).

        Only owners grant; anyone else (an organiser granting owner) gets RoleForbidden.
        """
        require_grantable(by, role, gathering)
        if gathering is not None:
            self._app.gathering(gathering)  # NotFound for a gathering that does not exist
        at = self._app.clock()
        self._change(
            self.account(username).id, lambda a: a.grant_role(role, gathering, at, by.label)
        )

    def remove_role(self, username: str, role: Role, gathering: str | None, by: Actor) -> None:
        """Take a role away from an account (owners only); the last owner keeps theirs."""
        require_grantable(by, role, gathering)
        at = self._app.clock()
        account = self.account(username)
        if Grant(role, gathering) == Grant(Role.OWNER, None):
            self._check_not_last_owner(account)
        self._change(account.id, lambda a: a.remove_role(role, gathering, at, by.label))

    def _check_not_last_owner(self, account: OrganiserAccount) -> None:
        others = [a for a in self.all() if a.is_open and a.is_owner and a.id != account.id]
        if not others:
            raise InvalidTransition(
                "%(username)s is the last owner: make another account owner first",
                field="role",
                username=account.username,
            )

    def _change(
        self, account_id: UUID, change: Callable[[OrganiserAccount], None]
    ) -> OrganiserAccount:
        def command() -> tuple[OrganiserAccount, list[Aggregate]]:
            account = self._app.load(OrganiserAccount, account_id, "organiser account")
            change(account)
            return account, [account]

        return self._app.execute(account_id, command)
