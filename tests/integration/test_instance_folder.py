from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from events_app import INSTANCE_ENV, create_app
from events_app.store.locks import Locks


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


def test_an_in_memory_sqlite_store_leaves_no_lock_files_where_it_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(INSTANCE_ENV, str(tmp_path / "instance"))
    app = create_app({"SECRET_KEY": "x", "DATABASE_URL": "sqlite:///:memory:"})
    services = app.extensions["launch_events"]
    locks = Locks(services.storage, services.database)

    def try_hold() -> bool:
        with locks.hold("read-model", blocking=False) as held:
            return held

    assert try_hold()
    with locks.hold("read-model"), ThreadPoolExecutor(1) as pool:
        assert not pool.submit(try_hold).result()  # another thread is kept out, as before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["instance"]
