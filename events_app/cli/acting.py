"""Who a CLI command acts as: an account (`--account` or LAUNCH_EVENTS_ACCOUNT) or the operator.

Without an account a command acts as the machine's operator, who may do everything (as
before roles existed: whoever runs the CLI can read the store anyway). With one, the same
check as the console's and the API's applies, and a refusal exits with status 1 and says
which permission is missing. The role is checked before the command's other arguments are
read (for any gathering), then again for the gathering the command names.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

import click
from flask import current_app
from flask.cli import ScriptInfo
from flask_babel import gettext

from domain.errors import DomainError, NotFound
from domain.roles import ANY_GATHERING, Permission
from events_app.cli.support import run_or_fail
from events_app.context import services
from events_app.services.authorisation import OPERATOR, Actor, gathering_of, require

ACCOUNT_ENV = "LAUNCH_EVENTS_ACCOUNT"
"""The environment variable naming the account CLI commands act as."""
ACTOR_KEY = "launch_events_actor"
NO_PERMISSION = "none"
"""What a command that touches no gathering's data (e.g. `languages check`) declares."""
F = TypeVar("F", bound=Callable[..., Any])


def find_actor(username: str | None) -> Actor:
    """Return the open account named `username`, or the operator when there is none."""
    if not username:
        return OPERATOR
    try:
        account = services().accounts.account(username)
    except (NotFound, DomainError):
        account = None
    if account is None or not account.is_open:
        raise click.ClickException(
            gettext("no open account named %(username)s", username=username.strip().lower())
        )
    return account


def _account_given(permission: Permission | None) -> Callable[..., None]:
    def callback(ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
        if current_app:
            _check_first(ctx, value, permission)
            return
        # a context pushed here would outlive a usage error: push one only for the check
        with ctx.ensure_object(ScriptInfo).load_app().app_context():
            _check_first(ctx, value, permission)

    return callback


def _check_first(ctx: click.Context, username: str | None, permission: Permission | None) -> None:
    actor = find_actor(username)
    ctx.meta[ACTOR_KEY] = actor
    if permission is not None:
        run_or_fail(lambda: require(actor, permission, ANY_GATHERING))


def acting(permission: Permission | None) -> Callable[[F], F]:
    """Let a command run for an actor whose role gives `permission` (None: for anyone)."""

    def decorate(command: F) -> F:
        @functools.wraps(command)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            actor = current_actor()
            if permission is not None:
                gathering = gathering_of(services().box_office, kwargs)
                run_or_fail(lambda: require(actor, permission, gathering))
            return command(*args, **kwargs)

        option = click.option(
            "--account",
            envvar=ACCOUNT_ENV,
            metavar="USERNAME",
            expose_value=False,
            is_eager=True,
            callback=_account_given(permission),
            help=f"Act as this account (default: the machine's operator; env {ACCOUNT_ENV}).",
        )
        declared = option(wrapped)
        declared.permission = permission or NO_PERMISSION  # type: ignore[attr-defined]
        return declared  # type: ignore[no-any-return]

    return decorate


def current_actor() -> Actor:
    """Return who the running command acts as."""
    return click.get_current_context().meta.get(ACTOR_KEY, OPERATOR)  # type: ignore[no-any-return]


def acting_label() -> str:
    """Return how the history names who the running command acts as ("cli": the operator)."""
    return current_actor().label
