"""Exports of personal data are handed over, never kept: no file is left behind by the product.

The console's CSV files are streamed downloads (not cached, nothing written to disk); the
CLI writes a file only where the operator names it (-o), which is then theirs to keep or
delete; no copy or unfinished temporary stays in the instance folder.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from tests.conftest import SLUG, guest

EXPORTS = f"/organiser/gatherings/{SLUG}/exports"
EMAIL = "thaddeus.oyelaran-vance@example.org"
NAME = "Thaddeus Oyelaran-Vance"
STORE_FILES = ("events.sqlite", "events.sqlite-wal", "events.sqlite-shm")
"""The store itself, whose bytes the erasure tests search."""


def files_with(folders: list[Path], text: str) -> list[Path]:
    """Return the files (hidden ones too) under the folders that hold `text`, store aside."""
    needles = [text.encode(e) for e in ("utf-8", "utf-16-le", "utf-16-be")]
    return [
        path
        for folder in folders
        if folder.exists()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
        and path.name not in STORE_FILES
        and any(n in path.read_bytes() for n in needles)
    ]


def register(client: FlaskClient) -> dict[str, Any]:
    response = client.post(
        f"/api/v1/gatherings/{SLUG}/registrations",
        json=guest(1, full_name=NAME, email=EMAIL),
    )
    assert response.status_code == 201, response.json
    return dict(response.json)


def test_the_console_csv_exports_are_streamed_and_leave_no_file(
    app: Flask, console: FlaskClient, gathering: dict[str, Any], tmp_path: Path
) -> None:
    register(console)
    folders = [Path(app.instance_path), tmp_path]
    for name in ("guest-list.csv", "check-ins.csv"):
        response = console.get(f"{EXPORTS}/{name}")
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "no-store"
        assert response.headers["Content-Disposition"].startswith("attachment;")
        if name == "guest-list.csv":
            assert EMAIL in response.get_data(as_text=True)  # the check below can fail
    assert files_with(folders, EMAIL) == []
    assert files_with(folders, NAME) == []


def test_a_cli_export_goes_only_where_the_operator_names_it(
    app: Flask,
    runner: FlaskCliRunner,
    console: FlaskClient,
    gathering: dict[str, Any],
    tmp_path: Path,
) -> None:
    register(console)
    handed = tmp_path / "handed-over"
    handed.mkdir()
    out = handed / "badges.pdf"
    result = runner.invoke(args=["badges", "print", "--gathering", SLUG, "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert [p.name for p in handed.iterdir()] == ["badges.pdf"]  # no temporary left
    listed = runner.invoke(args=["registrations", "list", "--gathering", SLUG])
    assert EMAIL in listed.output  # printed, not written
    assert files_with([Path(app.instance_path), tmp_path], EMAIL) == []
