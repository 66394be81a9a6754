"""`flask accounts ...`: open, list, unlock and close console accounts; grant and remove roles."""

from __future__ import annotations

import sys

import click
from flask.cli import AppGroup
from flask_babel import gettext

from domain.organiser_account import OrganiserAccount
from domain.roles import Permission, Role, in_order, parse_role
from events_app.cli.acting import acting, acting_label, current_actor
from events_app.cli.support import run_or_fail
from events_app.context import services
from events_app.services.authorisation import Operator

accounts = AppGroup("accounts", help="Organiser accounts for the web console.")
USERNAME = click.argument("username")
PASSWORD_STDIN = click.option(
    "--password-stdin", is_flag=True, help="Read the password from the first line of stdin."
)
ROLE = click.argument("role", metavar="ROLE")
FOR_GATHERING = click.option(
    "--for-gathering",
    "gathering",
    default=None,
    metavar="SLUG",
    help="Only for this gathering (default: every gathering).",
)


def role_named(value: str) -> Role:
    """Return the role a command names, or fail with the roles there are."""
    return run_or_fail(lambda: parse_role(value))


def describe_roles(account: OrganiserAccount) -> str:
    """Return an account's roles as `role` or `role@gathering`, in a stable order."""
    return ", ".join(
        f"{g.role}@{g.gathering}" if g.gathering else str(g.role) for g in in_order(account.grants)
    )


def read_password(from_stdin: bool) -> str:
    """Return a new password, from stdin or asked twice without echo."""
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return str(click.prompt("Password", hide_input=True, confirmation_prompt=True))


@accounts.command("create")
@acting(Permission.MANAGE_ACCOUNTS)
@USERNAME
@click.option("--name", "display_name", default="", help="The name the console shows.")
@click.option("--role", default="owner", show_default=True, help="The account's first role.")
@FOR_GATHERING
@PASSWORD_STDIN
def create(
    username: str, display_name: str, role: str, gathering: str | None, password_stdin: bool
) -> None:
    """Open an account with one role; the password is stored only as a salted scrypt hash."""
    first = role_named(role)
    password = read_password(password_stdin)
    account_id = run_or_fail(
        lambda: services().accounts.open(
            username,
            display_name or username,
            password,
            acting_label(),
            role=first,
            gathering=gathering,
        )
    )
    click.echo(
        gettext(
            "opened account %(username)s (%(account_id)s)",
            username=username.strip().lower(),
            account_id=account_id,
        )
    )


@accounts.command("list")
@acting(Permission.MANAGE_ACCOUNTS)
def list_accounts() -> None:
    """Print every account with its state and last sign-in."""
    now = services().box_office.clock()
    found = services().accounts.all()
    for account in found:
        state = "closed" if not account.is_open else "locked" if account.locked_at(now) else "open"
        last = account.last_sign_in_at.isoformat() if account.last_sign_in_at else "never"
        click.echo(
            f"{account.username:<20} {state:<7} last sign-in {last}  {account.name}"
            f"  [{describe_roles(account)}]"
        )
    click.echo(gettext("%(count)s account(s)", count=len(found)))


@accounts.command("password")
@acting(Permission.MANAGE_ACCOUNTS)
@USERNAME
@PASSWORD_STDIN
def change_password(username: str, password_stdin: bool) -> None:
    """Set a new password; sessions signed in with the old one end."""
    password = read_password(password_stdin)
    run_or_fail(lambda: services().accounts.change_password(username, password, acting_label()))
    click.echo(gettext("password changed"))


@accounts.command("unlock")
@acting(Permission.MANAGE_ACCOUNTS)
@USERNAME
def unlock(username: str) -> None:
    """Lift the lock-out that wrong passwords put on an account."""
    run_or_fail(lambda: services().accounts.unlock(username, acting_label()))
    click.echo(gettext("unlocked"))


@accounts.command("close")
@acting(Permission.MANAGE_ACCOUNTS)
@USERNAME
def close(username: str) -> None:
    """Close an account; it cannot sign in again and its sessions end at once."""
    operator = isinstance(current_actor(), Operator)
    run_or_fail(
        lambda: services().accounts.close(username, acting_label(), keep_an_owner=not operator)
    )
    click.echo(gettext("closed"))


@accounts.command("grant")
@acting(Permission.MANAGE_ACCOUNTS)
@USERNAME
@ROLE
@FOR_GATHERING
def grant(username: str, role: str, gathering: str | None) -> None:
    """Give an account a role (owner, organiser, door_supervisor, viewer)."""
    given = role_named(role)
    run_or_fail(lambda: services().accounts.grant_role(username, given, gathering, current_actor()))
    click.echo(gettext("granted"))


@accounts.command("remove-role")
@acting(Permission.MANAGE_ACCOUNTS)
@USERNAME
@ROLE
@FOR_GATHERING
def remove_role(username: str, role: str, gathering: str | None) -> None:
    """Take a role away from an account; the last owner keeps theirs."""
    taken = role_named(role)
    run_or_fail(
        lambda: services().accounts.remove_role(username, taken, gathering, current_actor())
    )
    click.echo(gettext("removed"))


@accounts.command("roles")
@acting(Permission.MANAGE_ACCOUNTS)
@click.argument("username", required=False)
def list_roles(username: str | None) -> None:
    """Print the roles of one account, or of every account."""
    found = (
        [run_or_fail(lambda: services().accounts.account(username))]
        if username
        else (services().accounts.all())
    )
    for account in found:
        click.echo(f"{account.username:<20} {describe_roles(account)}")
