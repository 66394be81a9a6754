"""`flask invitations`: import (all rows or none), invite, remind once, expire, list."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask.testing import FlaskCliRunner

from tests.conftest import SLUG, FakeClock

GOOD = (
    "full_name,name_zh,organisation,title,email,category,language\n"
    "Official One,官員一,Gov,Secretary,o1@example.org,guest,zh-Hans-CN\n"
    "Official Two,官員二,Gov,Director,o2@example.org,vip,en\n"
)


def run(runner: FlaskCliRunner, *args: str) -> Any:
    """Invoke `flask invitations ARGS`."""
    return runner.invoke(args=["invitations", *args, "--gathering", SLUG])


def test_import_with_bad_lines_writes_nothing_and_names_each_line(
    runner: FlaskCliRunner, gathering: dict[str, Any], tmp_path: Path
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(GOOD + "X,,Gov,Clerk,nope,guest,en\nY,,Gov,Clerk,y@example.org,dogs,fr\n")
    refused = run(
        runner, "import", str(bad), "--batch", "b1", "--deadline", "2026-02-20T18:00+0800"
    )
    assert refused.exit_code == 1
    assert "line 4 (email)" in refused.output
    assert "line 5 (category)" in refused.output
    assert "line 5 (language)" in refused.output
    assert "0 invitation" not in run(runner, "list").output
    assert "@example.org" not in run(runner, "list").output


def test_import_invite_remind_expire_list(
    runner: FlaskCliRunner, gathering: dict[str, Any], tmp_path: Path, clock: FakeClock
) -> None:
    good = tmp_path / "good.csv"
    good.write_text(GOOD)
    made = run(runner, "import", str(good), "--batch", "b1", "--deadline", "2026-02-20T18:00+0800")
    assert made.exit_code == 0, made.output
    assert "2 invitation(s) made" in made.output
    one = run(
        runner,
        "invite",
        "--name",
        "Three",
        "--email",
        "o3@example.org",
        "--category",
        "guest",
        "--batch",
        "b1",
    )
    assert one.exit_code == 0, one.output
    clock.advance(days=18)
    assert "3 reminder(s) sent" in run(runner, "remind").output
    assert "0 reminder(s) sent" in run(runner, "remind").output
    clock.advance(days=2)
    assert "3 invitation(s) expired" in run(runner, "expire").output
    listed = run(runner, "list").output
    assert listed.count("expired ") == 3
    assert "guest: invited: 0, accepted: 0, declined: 0, expired: 2" in listed


def test_invite_refuses_a_new_batch_without_a_deadline(
    runner: FlaskCliRunner, gathering: dict[str, Any]
) -> None:
    refused = run(
        runner,
        "invite",
        "--name",
        "X",
        "--email",
        "x@example.org",
        "--category",
        "guest",
        "--batch",
        "fresh",
    )
    assert refused.exit_code == 1
    assert "(deadline)" in refused.output
    assert "a new batch needs a deadline" in refused.output
