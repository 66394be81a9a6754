"""Where events and read models live: chosen by one setting, DATABASE_URL.

- unset or ``sqlite:///path`` -> an SQLite file (default: ``events.sqlite`` in the instance folder);
  ``?synchronous=full`` makes every commit wait for the disk (the default, ``normal``, is
  SQLite's recommended setting in WAL mode: safe from corruption, and a commit survives a
  crash of the app, though the last ones may be lost if the machine loses power);
- ``postgresql://user:password@host:port/dbname?schema=name`` -> PostgreSQL;
- ``memory://`` -> in memory (unit tests).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

SQLITE_SYNCHRONOUS = ("NORMAL", "FULL", "EXTRA")
FLUSHED_RECORDER = "events_app.store.postgres_writes:FlushedPostgresRecorder"


class StorageConfigError(ValueError):
    """DATABASE_URL names a store this app cannot use."""


@dataclass(frozen=True)
class Storage:
    """A parsed DATABASE_URL."""

    kind: str
    sqlite_path: str = ""
    sqlite_synchronous: str = "NORMAL"
    postgres: dict[str, str] = field(default_factory=dict)

    @property
    def schema(self) -> str:
        """Return the PostgreSQL schema the tables live in."""
        return self.postgres.get("schema", "public")

    def eventsourcing_env(self) -> dict[str, str]:
        """Return the eventsourcing settings that select this store."""
        if self.kind == "memory":
            return {"PERSISTENCE_MODULE": "eventsourcing.popo"}
        if self.kind == "sqlite":
            return {
                "PERSISTENCE_MODULE": "eventsourcing.sqlite",
                "SQLITE_DBNAME": self.sqlite_path,
                "SQLITE_LOCK_TIMEOUT": "30",
                "SQLITE_SYNCHRONOUS": self.sqlite_synchronous,
            }
        return {
            "PERSISTENCE_MODULE": "eventsourcing.postgres",
            "POSTGRES_DBNAME": self.postgres["dbname"],
            "POSTGRES_HOST": self.postgres["host"],
            "POSTGRES_PORT": self.postgres["port"],
            "POSTGRES_USER": self.postgres["user"],
            "POSTGRES_PASSWORD": self.postgres["password"],
            "POSTGRES_SCHEMA": self.schema,
            "POSTGRES_CONNECT_TIMEOUT": "5",
            "POSTGRES_LOCK_TIMEOUT": "10",
            # Inserts that hold the events table's lock without waiting for the disk.
            "APPLICATION_RECORDER_TOPIC": FLUSHED_RECORDER,
        }


def parse_database_url(url: str | None, instance_path: str) -> Storage:
    """Return the store that `url` names (None means the default SQLite file)."""
    if not url:
        return Storage("sqlite", sqlite_path=str(Path(instance_path) / "events.sqlite"))
    parsed = urlparse(url)
    if parsed.scheme == "memory":
        return Storage("memory")
    if parsed.scheme == "sqlite":
        path = unquote(parsed.path)[1:]  # sqlite:///rel.db or sqlite:////abs/file.db
        if not path:
            raise StorageConfigError("sqlite URL needs a file path, e.g. sqlite:////abs/file.db")
        synchronous = parse_qs(parsed.query).get("synchronous", ["normal"])[0].upper()
        if synchronous not in SQLITE_SYNCHRONOUS:
            raise StorageConfigError(
                f"synchronous must be one of {', '.join(SQLITE_SYNCHRONOUS).lower()}"
            )
        return Storage("sqlite", sqlite_path=path, sqlite_synchronous=synchronous)
    if parsed.scheme in {"postgres", "postgresql"}:
        query = parse_qs(parsed.query)
        return Storage(
            "postgres",
            postgres={
                "dbname": parsed.path.lstrip("/") or "postgres",
                "host": parsed.hostname or "127.0.0.1",
                "port": str(parsed.port or 5432),
                "user": unquote(parsed.username or "postgres"),
                "password": unquote(parsed.password or ""),
                "schema": query.get("schema", ["public"])[0],
            },
        )
    raise StorageConfigError(f"unsupported DATABASE_URL scheme {parsed.scheme!r}")
