"""`flask accounts ...`: open, list, change the password of, unlock and close accounts."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskCliRunner

from tests.conftest import FakeClock, services_of


def test_create_list_and_close_an_account(app: Flask, runner: FlaskCliRunner) -> None:
    created = runner.invoke(
        args=["accounts", "create", "Olivia", "--name", "Olivia Chan 陳"],
        input="a long enough password\na long enough password\n",
    )
    assert created.exit_code == 0, created.output
    assert "opened account olivia" in created.output
    assert "a long enough password" not in created.output  # prompted without echo
    listed = runner.invoke(args=["accounts", "list"])
    assert "olivia" in listed.output
    assert "open" in listed.output
    assert "Olivia Chan 陳" in listed.output
    assert "1 account(s)" in listed.output
    assert services_of(app).accounts.sign_in("olivia", "a long enough password").account
    closed = runner.invoke(args=["accounts", "close", "olivia"])
    assert closed.exit_code == 0, closed.output
    assert "closed" in runner.invoke(args=["accounts", "list"]).output
    again = runner.invoke(args=["accounts", "close", "olivia"])
    assert again.exit_code == 1
    assert "invalid_transition" in again.output


def test_weak_duplicate_or_malformed_accounts_are_refused(
    app: Flask, runner: FlaskCliRunner
) -> None:
    short = runner.invoke(args=["accounts", "create", "bob", "--password-stdin"], input="short\n")
    assert short.exit_code == 1
    assert "at least 10 characters" in short.output
    same = runner.invoke(
        args=["accounts", "create", "bobbybobby", "--password-stdin"], input="BobbyBobby\n"
    )
    assert same.exit_code == 1
    assert "must not be the username" in same.output
    bad_name = runner.invoke(
        args=["accounts", "create", "bob smith", "--password-stdin"], input="long password 1\n"
    )
    assert bad_name.exit_code == 1
    assert "username must be" in bad_name.output
    first = runner.invoke(
        args=["accounts", "create", "bob", "--password-stdin"], input="long password 1\n"
    )
    assert first.exit_code == 0, first.output
    twice = runner.invoke(
        args=["accounts", "create", "BOB", "--password-stdin"], input="long password 2\n"
    )
    assert twice.exit_code == 1
    assert "already_exists" in twice.output
    assert services_of(app).accounts.sign_in("bob", "long password 1").account
    assert [a.username for a in services_of(app).accounts.all()] == ["bob"]


def test_password_change_and_unlock(app: Flask, runner: FlaskCliRunner, clock: FakeClock) -> None:
    accounts = services_of(app).accounts
    runner.invoke(
        args=["accounts", "create", "carol", "--password-stdin"], input="first password\n"
    )
    for _ in range(5):
        accounts.sign_in("carol", "wrong password")
    assert "locked" in runner.invoke(args=["accounts", "list"]).output
    changed = runner.invoke(
        args=["accounts", "password", "carol", "--password-stdin"], input="second password\n"
    )
    assert changed.exit_code == 0, changed.output
    assert accounts.sign_in("carol", "first password").account is None
    assert accounts.sign_in("carol", "second password").account is not None
    missing = runner.invoke(args=["accounts", "unlock", "nobody"])
    assert missing.exit_code == 1
    assert "not_found" in missing.output
