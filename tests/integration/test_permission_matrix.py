"""Every console route, API route and CLI command against every role and against no sign-in.

The routes are read from `app.url_map` and the commands from `app.cli`, so a new one that
declares no permission fails here, named. Each is then asked as each role (a signed-in
account on the console, a token on the API, `--account` on the CLI) and without one:
a role whose permissions lack the declared one gets 403 (`role_forbidden` on the CLI),
any other role is let through (the answer is then not 401 or 403; a 404 or 422 for the
placeholder ids and empty bodies is fine). Built once per store to stay fast.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import click
import pytest
from flask import Flask
from flask.cli import ScriptInfo
from flask.testing import FlaskClient
from werkzeug.routing import Rule

from domain.roles import PERMISSIONS, Permission, Role
from events_app.cli.acting import NO_PERMISSION
from events_app.demo import DEMO_SLUG
from events_app.services.authorisation import DEVICE, PUBLIC, declared_access
from tests.conftest import POSTGRES_URL, FakeClock, make_app, require_postgres, services_of
from tests.console_helpers import PASSWORD, csrf_from, sign_in

SERVED_BY_FLASK = {"static", "console.static", "web.static", "api-docs.openapi_json"}
"""Endpoints Flask and flask-smorest serve themselves (files, the OpenAPI document)."""
FLASK_SMOREST_COMMANDS = {"openapi"}
"""Command groups flask-smorest adds (they print the OpenAPI document, touch no data)."""
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
ANONYMOUS = "no sign-in"


@dataclass
class Matrix:
    """One app with an account, a signed-in client and a token for each role."""

    app: Flask
    consoles: dict[str, FlaskClient]
    csrf: dict[str, str]
    tokens: dict[str, str]


def undeclared(app: Flask) -> list[str]:
    """Return each route that declares neither a permission nor public/device access."""
    missing = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint in SERVED_BY_FLASK:
            continue
        if declared_access(app.view_functions[rule.endpoint]) is None:
            methods = ",".join(sorted(set(rule.methods or ()) & set(METHODS)))
            missing.append(f"{methods} {rule.rule} (endpoint {rule.endpoint})")
    return missing


def leaf_commands(group: click.Group, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    """Yield the path of every command under `group` (e.g. ('accounts', 'grant'))."""
    for name, command in sorted(group.commands.items()):
        if not path and name in FLASK_SMOREST_COMMANDS:
            continue
        if isinstance(command, click.Group):
            yield from leaf_commands(command, (*path, name))
        else:
            yield (*path, name)


def command_at(app: Flask, path: tuple[str, ...]) -> click.Command:
    """Return the command at `path`."""
    command: click.Command = app.cli
    for name in path:
        assert isinstance(command, click.Group)
        command = command.commands[name]
    return command


def test_every_route_and_command_declares_its_permission() -> None:
    app = make_app("memory://", FakeClock(datetime(2026, 2, 1, 9, 0, tzinfo=UTC)))
    missing = undeclared(app)
    assert not missing, (
        "routes without a declared permission (use organiser_required(Permission.X), "
        "organiser_page(Permission.X) or public): " + "; ".join(missing)
    )
    commands = [
        " ".join(path)
        for path in leaf_commands(app.cli)
        if getattr(command_at(app, path).callback, "permission", None) is None
    ]
    assert not commands, "CLI commands without @acting(Permission.X): " + "; ".join(commands)


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def matrix(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Matrix]:
    """The demo gathering with one account and one token per role, on each store."""
    schema = None
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('matrix') / 'events.sqlite'}"
    else:
        require_postgres()
        schema = f"t_{uuid.uuid4().hex[:12]}"
        url = f"{POSTGRES_URL}?schema={schema}"
    app = make_app(url, FakeClock(datetime(2026, 2, 1, 9, 0, tzinfo=UTC)))
    assert app.test_cli_runner().invoke(args=["demo", "create"]).exit_code == 0
    found = services_of(app)
    consoles, csrf, tokens = {}, {}, {}
    for role in Role:
        username = f"matrix-{role.value.replace('_', '-')}"
        found.accounts.open(username, username, PASSWORD, "test", role=role)
        client = app.test_client()
        assert sign_in(client, username).status_code == 303
        consoles[role.value] = client
        csrf[role.value] = csrf_from(client.get("/organiser/").get_data(as_text=True))
        tokens[role.value] = found.box_office.issue_organiser_token(username, "test", role=role)[0]
    consoles[ANONYMOUS] = app.test_client()
    yield Matrix(app, consoles, csrf, tokens)
    found.close()
    if schema is not None:
        import psycopg

        with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


def placeholder_path(rule: Rule) -> str:
    """Return the rule's path with the demo's slug and placeholder values filled in."""

    def value(match: re.Match[str]) -> str:
        converter, name = match.group(1), match.group(2)
        if name == "slug":
            return DEMO_SLUG
        if converter == "uuid" or name.endswith("_id"):
            return str(uuid.UUID(int=1))
        return "pdf" if name == "fmt" else "x"

    return re.sub(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>", value, rule.rule)


def routes(app: Flask, prefix: str) -> Iterator[tuple[str, str, Any]]:
    """Yield (method, path, declared access) of each route under `prefix`."""
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if rule.endpoint in SERVED_BY_FLASK or not rule.rule.startswith(prefix):
            continue
        for method in sorted(set(rule.methods or ()) & set(METHODS)):
            yield method, placeholder_path(rule), declared_access(app.view_functions[rule.endpoint])


def expected(access: Any, who: str) -> str:
    """Return 'allowed', 'refused' (403) or 'unauthorised' for `who` on a route."""
    if who == ANONYMOUS:
        return "unauthorised"
    if access == DEVICE:
        return "device only"
    return "allowed" if Permission(access) in PERMISSIONS[Role(who)] else "refused"


WHO = [*(role.value for role in Role), ANONYMOUS]


@pytest.mark.parametrize("who", WHO)
def test_console_routes_answer_each_role_by_its_permissions(matrix: Matrix, who: str) -> None:
    wrong = []
    client = matrix.consoles[who]
    for method, path, access in routes(matrix.app, "/organiser/"):
        if access == PUBLIC:
            continue
        data = {"csrf_token": matrix.csrf.get(who, "")} if method != "GET" else None
        status = client.open(path, method=method, data=data).status_code
        want = expected(access, who)
        if want == "unauthorised":  # sent to sign in; a post without a session's CSRF: 400
            ok = status in (303, 401) or (method != "GET" and status == 400)
        else:
            ok = status == 403 if want == "refused" else status not in (401, 403)
        if not ok:
            wrong.append(f"{method} {path} needs {access}: {who} got {status}, expected {want}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("who", WHO)
def test_api_routes_answer_each_role_by_its_permissions(matrix: Matrix, who: str) -> None:
    wrong = []
    client = matrix.app.test_client()
    token = matrix.tokens.get(who)
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    for method, path, access in routes(matrix.app, "/api/"):
        if access == PUBLIC:
            continue
        body = None if method == "GET" else {}
        response = client.open(path, method=method, json=body, headers=headers)
        want = expected(access, who)
        if want == "unauthorised":
            ok = response.status_code == 401
        elif want == "device only":  # an organiser token is no device token
            ok = response.status_code in (401, 403)
        elif want == "refused":
            code = (response.get_json(silent=True) or {}).get("error", {}).get("code")
            ok = response.status_code == 403 and code in ("role_forbidden", "forbidden")
        else:
            ok = response.status_code not in (401, 403)
        if not ok:
            wrong.append(
                f"{method} {path} needs {access}: {who} got {response.status_code}, expected {want}"
            )
    assert not wrong, "\n".join(wrong)


def check_command(app: Flask, path: tuple[str, ...], username: str | None) -> str:
    """Parse a command as the CLI would (its role check included); return what happened.

    Parsing runs the `--account` check before the command's own arguments are read, and
    never runs the command, so a mail sender or a follower does not start here.
    """
    command = command_at(app, path)
    args = ["--account", username] if username else []
    root = click.Context(app.cli, info_name="flask", obj=ScriptInfo(create_app=lambda: app))
    try:
        with app.app_context():
            command.make_context(path[-1], args, parent=root)
    except click.UsageError:
        return "allowed"  # past the role check, then a missing argument
    except click.ClickException as error:
        return "refused" if "role_forbidden" in error.format_message() else error.format_message()
    return "allowed"


@pytest.mark.parametrize("who", WHO)
def test_cli_commands_answer_each_role_by_its_permissions(matrix: Matrix, who: str) -> None:
    wrong = []
    for path in leaf_commands(matrix.app.cli):
        declared = command_at(matrix.app, path).callback.permission  # type: ignore[union-attr]
        if who == ANONYMOUS or declared == NO_PERMISSION:
            want = "allowed"  # the machine's operator, or a command for anyone
        else:
            want = "allowed" if Permission(declared) in PERMISSIONS[Role(who)] else "refused"
        username = None if who == ANONYMOUS else f"matrix-{who.replace('_', '-')}"
        got = check_command(matrix.app, path, username)
        if got != want:
            wrong.append(f"flask {' '.join(path)} needs {declared}: {who} got {got}, want {want}")
    assert not wrong, "\n".join(wrong)


def test_a_route_left_bare_is_named_by_the_check_and_open_to_owners_only() -> None:
    from flask import Blueprint

    from events_app.api.auth import organiser_required
    from events_app.pages.sessions import organiser_page

    app = make_app("memory://", FakeClock(datetime(2026, 2, 1, 9, 0, tzinfo=UTC)))
    late = Blueprint("late", __name__)

    @late.get("/api/v1/late")
    @organiser_required  # type: ignore[arg-type]  # as a branch written before roles would
    def late_api() -> str:
        return "late"

    @late.get("/organiser/late")
    @organiser_page  # type: ignore[arg-type]
    def late_page() -> str:
        return "late"

    app.register_blueprint(late)
    missing = undeclared(app)
    assert "GET /api/v1/late (endpoint late.late_api)" in missing
    assert "GET /organiser/late (endpoint late.late_page)" in missing
    found = services_of(app)
    viewer = found.box_office.issue_organiser_token("v", "test", role=Role.VIEWER)[0]
    owner = found.box_office.issue_organiser_token("o", "test", role=Role.OWNER)[0]
    client = app.test_client()
    assert (
        client.get("/api/v1/late", headers={"Authorization": f"Bearer {viewer}"}).status_code == 403
    )
    assert (
        client.get("/api/v1/late", headers={"Authorization": f"Bearer {owner}"}).status_code == 200
    )
