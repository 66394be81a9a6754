"""The personal data master key comes from the environment or from a file, never both."""

from __future__ import annotations

from pathlib import Path

import pytest

from events_app.config import load_settings

KEY = "q83vEjRWeJq8UXcd6oFHzGzZ3mXUmD7yb0N0Ab5u9+A="


def test_unset_means_no_master_key(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("LAUNCH_EVENTS_MASTER_KEY", raising=False)
    monkeypatch.delenv("LAUNCH_EVENTS_MASTER_KEY_FILE", raising=False)
    assert load_settings(str(tmp_path))["PERSONAL_DATA_MASTER_KEY"] == ""


def test_the_key_is_read_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("LAUNCH_EVENTS_MASTER_KEY", KEY)
    monkeypatch.delenv("LAUNCH_EVENTS_MASTER_KEY_FILE", raising=False)
    assert load_settings(str(tmp_path))["PERSONAL_DATA_MASTER_KEY"] == KEY


def test_the_key_is_read_from_a_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    path = tmp_path / "master.key"
    path.write_text(KEY + "\n")
    monkeypatch.delenv("LAUNCH_EVENTS_MASTER_KEY", raising=False)
    monkeypatch.setenv("LAUNCH_EVENTS_MASTER_KEY_FILE", str(path))
    assert load_settings(str(tmp_path))["PERSONAL_DATA_MASTER_KEY"] == KEY


@pytest.mark.parametrize("content", [None, ""])
def test_a_missing_or_empty_file_stops_the_start(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, content: str | None
) -> None:
    path = tmp_path / "master.key"
    if content is not None:
        path.write_text(content)
    monkeypatch.delenv("LAUNCH_EVENTS_MASTER_KEY", raising=False)
    monkeypatch.setenv("LAUNCH_EVENTS_MASTER_KEY_FILE", str(path))
    with pytest.raises(RuntimeError, match="LAUNCH_EVENTS_MASTER_KEY_FILE"):
        load_settings(str(tmp_path))


def test_both_set_is_refused(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    path = tmp_path / "master.key"
    path.write_text(KEY)
    monkeypatch.setenv("LAUNCH_EVENTS_MASTER_KEY", KEY)
    monkeypatch.setenv("LAUNCH_EVENTS_MASTER_KEY_FILE", str(path))
    with pytest.raises(RuntimeError, match="not both"):
        load_settings(str(tmp_path))
