from __future__ import annotations

from pathlib import Path

import pytest

from events_app import INSTANCE_ENV, create_app


def test_the_instance_folder_is_chosen_by_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "site" / "instance"
    monkeypatch.setenv(INSTANCE_ENV, str(folder))
    monkeypatch.delenv("EVENTS_SECRET_KEY", raising=False)
    app = create_app({"DATABASE_URL": "sqlite:///:memory:"})
    assert Path(app.instance_path) == folder
    assert (folder / "secret_key").exists()  # the generated secret is kept there


def test_a_relative_instance_folder_is_made_absolute(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(INSTANCE_ENV, "here")
    app = create_app({"SECRET_KEY": "x", "DATABASE_URL": "sqlite:///:memory:"})
    assert Path(app.instance_path) == tmp_path / "here"
