"""`--gathering SLUG` names the gathering; the old `--event` still works, unlisted in --help."""

from __future__ import annotations

from flask.testing import FlaskCliRunner

from events_app.demo import DEMO_SLUG


def test_the_old_event_option_still_names_the_gathering(runner: FlaskCliRunner) -> None:
    assert runner.invoke(args=["demo", "create"]).exit_code == 0
    by_new = runner.invoke(args=["registrations", "list", "--gathering", DEMO_SLUG])
    by_old = runner.invoke(args=["registrations", "list", "--event", DEMO_SLUG])
    assert (by_new.exit_code, by_old.exit_code) == (0, 0), by_old.output
    assert by_old.output == by_new.output
    unknown = runner.invoke(args=["exhibition", "list", "--event", "nowhere"])
    assert unknown.exit_code == 1
    assert "not_found" in unknown.output


def test_help_lists_only_the_new_name(runner: FlaskCliRunner) -> None:
    for command in (["registrations", "list"], ["mail", "list"], ["documents", "programme"]):
        shown = runner.invoke(args=[*command, "--help"]).output
        assert "--gathering SLUG" in shown, command
        assert "--event" not in shown, command
