"""`flask accounts ...`: open, list, unlock and close organiser accounts for the console."""

from __future__ import annotations

import sys

import click
from flask.cli import AppGroup
from flask_babel import gettext

from events_app.cli.support import run_or_fail
from events_app.context import services

accounts = AppGroup("accounts", help="Organiser accounts for the web console.")
USERNAME = click.argument("username")
PASSWORD_STDIN = click.option(
    "--password-stdin", is_flag=True, help="Read the password from the first line of stdin."
)


def read_password(from_stdin: bool) -> str:
    """Return a new password, from stdin or asked twice without echo."""
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return str(click.prompt("Password", hide_input=True, confirmation_prompt=True))


@accounts.command("create")
@USERNAME
@click.option("--name", "display_name", default="", help="The name the console shows.")
@PASSWORD_STDIN
def create(username: str, display_name: str, password_stdin: bool) -> None:
    """Open an account; the password is stored only as a salted scrypt hash."""
    password = read_password(password_stdin)
    account_id = run_or_fail(
        lambda: services().accounts.open(username, display_name or username, password, "cli")
    )
    click.echo(
        gettext(
            "opened account %(username)s (%(account_id)s)",
            username=username.strip().lower(),
            account_id=account_id,
        )
    )


@accounts.command("list")
def list_accounts() -> None:
    """Print every account with its state and last sign-in."""
    now = services().box_office.clock()
    found = services().accounts.all()
    for account in found:
        state = "closed" if not account.is_open else "locked" if account.locked_at(now) else "open"
        last = account.last_sign_in_at.isoformat() if account.last_sign_in_at else "never"
        click.echo(f"{account.username:<20} {state:<7} last sign-in {last}  {account.name}")
    click.echo(gettext("%(count)s account(s)", count=len(found)))


@accounts.command("password")
@USERNAME
@PASSWORD_STDIN
def change_password(username: str, password_stdin: bool) -> None:
    """Set a new password; sessions signed in with the old one end."""
    password = read_password(password_stdin)
    run_or_fail(lambda: services().accounts.change_password(username, password, "cli"))
    click.echo(gettext("password changed"))


@accounts.command("unlock")
@USERNAME
def unlock(username: str) -> None:
    """Lift the lock-out that wrong passwords put on an account."""
    run_or_fail(lambda: services().accounts.unlock(username, "cli"))
    click.echo(gettext("unlocked"))


@accounts.command("close")
@USERNAME
def close(username: str) -> None:
    """Close an account; it cannot sign in again and its sessions end at once."""
    run_or_fail(lambda: services().accounts.close(username, "cli"))
    click.echo(gettext("closed"))
