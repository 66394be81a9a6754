"""The guest-list read model: a catch-up projection of the event store into SQL tables.

Every query first catches up with the store's notification log, inside a transaction
that holds the projection's lock, so a process always sees every event committed before
the query, including the caller's own write (read-your-writes), whichever process wrote
it. It works the same on SQLite and PostgreSQL and needs no subscription. The tables can
be dropped and rebuilt from the store at any time.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from eventsourcing.application import Application
from eventsourcing.domain import DomainEventProtocol

from events_app.projections_alerts import ALERT_HANDLERS, ALERT_SCHEMA, ALERT_TABLES
from events_app.projections_arrivals import ARRIVAL_HANDLERS, ARRIVAL_SCHEMA, ARRIVAL_TABLES
from events_app.projections_checkin import CHECK_IN_HANDLERS
from events_app.projections_corrections import CORRECTION_HANDLERS
from events_app.sql import Database, Transaction

PROJECTION = "read_model:v3"
"""The projection's name and version: a store projected by another version is rebuilt."""
BATCH = 500

SCHEMA = (
    """CREATE TABLE IF NOT EXISTS rm_positions (
        name TEXT PRIMARY KEY, position BIGINT NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS rm_registrations (
        id TEXT PRIMARY KEY, gathering_id TEXT NOT NULL, full_name TEXT NOT NULL,
        name_zh TEXT NOT NULL, organisation TEXT NOT NULL, job_title TEXT NOT NULL,
        email TEXT NOT NULL, phone TEXT NOT NULL, category TEXT NOT NULL,
        state TEXT NOT NULL, dietary TEXT NOT NULL, accessibility TEXT NOT NULL,
        capacity_overridden INTEGER NOT NULL, submitted_at TEXT NOT NULL,
        updated_at TEXT NOT NULL, waitlist_seq BIGINT, search_text TEXT NOT NULL)""",
    """CREATE INDEX IF NOT EXISTS rm_registrations_by_gathering
        ON rm_registrations (gathering_id, state, category)""",
    """CREATE TABLE IF NOT EXISTS rm_scans (
        id TEXT PRIMARY KEY, gathering_id TEXT NOT NULL, device_id TEXT NOT NULL,
        checkpoint TEXT NOT NULL, direction TEXT NOT NULL, registration_id TEXT,
        category TEXT, status TEXT NOT NULL, scanned_at TEXT NOT NULL,
        received_at TEXT NOT NULL, offline INTEGER NOT NULL, seq BIGINT NOT NULL)""",
    """CREATE INDEX IF NOT EXISTS rm_scans_by_gathering ON rm_scans (gathering_id, status)""",
    """CREATE TABLE IF NOT EXISTS rm_conflicts (
        scan_id TEXT PRIMARY KEY, gathering_id TEXT NOT NULL, registration_id TEXT NOT NULL,
        checkpoint TEXT NOT NULL, device TEXT NOT NULL, scanned_at TEXT NOT NULL,
        reason TEXT NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS rm_devices (
        id TEXT PRIMARY KEY, gathering_id TEXT NOT NULL, name TEXT NOT NULL,
        state TEXT NOT NULL, registered_at TEXT NOT NULL, setup_expires_at TEXT NOT NULL,
        enrolled_at TEXT, revoked_at TEXT, last_scan_at TEXT, scans INTEGER NOT NULL)""",
    *ARRIVAL_SCHEMA,
    *ALERT_SCHEMA,
)
TABLES = (
    "rm_registrations",
    "rm_scans",
    "rm_conflicts",
    "rm_devices",
    *ARRIVAL_TABLES,
    *ALERT_TABLES,
)

COLUMNS = (
    "id, gathering_id, full_name, name_zh, organisation, job_title, email, phone, "
    "category, state, dietary, accessibility, capacity_overridden, submitted_at, "
    "updated_at, waitlist_seq"
)


@dataclass(frozen=True)
class RegistrationRow:
    """One registration as the guest list shows it."""

    id: str
    gathering_id: str
    full_name: str
    name_zh: str
    organisation: str
    job_title: str
    email: str
    phone: str
    category: str
    state: str
    dietary: str
    accessibility: str
    capacity_overridden: bool
    submitted_at: str
    updated_at: str
    waitlist_seq: int | None


@dataclass(frozen=True)
class GuestListPage:
    """A filtered page of the guest list with its total."""

    rows: list[RegistrationRow]
    total: int


class GuestListView:
    """Queries on the guest list, always caught up with the event store first."""

    def __init__(self, app: Application, database: Database) -> None:
        self._app = app
        self._db = database
        with self._db.transaction(exclusive=True) as tx:
            for statement in SCHEMA:
                tx.execute(statement)
            names = {row[0] for row in tx.execute("SELECT name FROM rm_positions").all()}
        if names - {PROJECTION}:
            self.rebuild()

    # Keeping up with the store -------------------------------------------------

    def catch_up(self) -> int:
        """Apply every event recorded since the last catch-up; return the new position."""
        latest = self._app.recorder.max_notification_id() or 0
        with self._db.transaction() as tx:
            if _position(tx) >= latest:
                return latest
        with self._db.transaction(exclusive=True) as tx:
            return self._apply_from(tx, _position(tx))

    def rebuild(self) -> int:
        """Forget the read model and project every event again; return the position."""
        with self._db.transaction(exclusive=True) as tx:
            for table in TABLES:
                tx.execute(f"DELETE FROM {table}")
            tx.execute("DELETE FROM rm_positions")
            return self._apply_from(tx, 0)

    def _apply_from(self, tx: Transaction, position: int) -> int:
        while True:
            notifications = self._app.recorder.select_notifications(
                start=position, limit=BATCH, inclusive_of_start=False
            )
            if not notifications:
                break
            for notification in notifications:
                event = self._app.mapper.to_domain_event(notification)
                _project(tx, event, notification.id)
            position = notifications[-1].id
        tx.execute(
            "INSERT INTO rm_positions (name, position) VALUES (?, ?) "
            "ON CONFLICT (name) DO UPDATE SET position = excluded.position",
            (PROJECTION, position),
        )
        return position

    # Queries --------------------------------------------------------------------

    def search(
        self,
        gathering_id: str,
        *,
        states: Iterable[str] = (),
        categories: Iterable[str] = (),
        text: str = "",
        limit: int = 50,
        offset: int = 0,
    ) -> GuestListPage:
        """Return a page of the gathering's registrations, filtered and searched."""
        self.catch_up()
        where, params = _filters(gathering_id, list(states), list(categories), text)
        with self._db.transaction() as tx:
            total = tx.execute(f"SELECT COUNT(*) FROM rm_registrations WHERE {where}", params)
            count = int(total.one()[0])  # type: ignore[index]
            rows = tx.execute(
                f"SELECT {COLUMNS} FROM rm_registrations WHERE {where} "
                "ORDER BY submitted_at, id LIMIT ? OFFSET ?",
                [*params, limit, offset],
            ).all()
        return GuestListPage([_row(r) for r in rows], count)

    def counts(self, gathering_id: str) -> dict[str, dict[str, int]]:
        """Return the number of registrations by state and category."""
        self.catch_up()
        with self._db.transaction() as tx:
            rows = tx.execute(
                "SELECT state, category, COUNT(*) FROM rm_registrations "
                "WHERE gathering_id = ? GROUP BY state, category",
                (gathering_id,),
            ).all()
        by_state: dict[str, int] = {}
        by_category: dict[str, dict[str, int]] = {}
        for state, category, count in rows:
            by_state[state] = by_state.get(state, 0) + int(count)
            by_category.setdefault(category, {})[state] = int(count)
        return {"by_state": by_state, "by_category": by_category}  # type: ignore[dict-item]

    def waitlist_position(self, gathering_id: str, registration_id: str) -> int | None:
        """Return the 1-based waitlist place of a registration, if it is waitlisted."""
        self.catch_up()
        with self._db.transaction() as tx:
            mine = tx.execute(
                "SELECT waitlist_seq FROM rm_registrations WHERE id = ? AND state = 'waitlisted'",
                (registration_id,),
            ).one()
            if mine is None:
                return None
            ahead = tx.execute(
                "SELECT COUNT(*) FROM rm_registrations WHERE gathering_id = ? "
                "AND state = 'waitlisted' AND waitlist_seq < ?",
                (gathering_id, mine[0]),
            ).one()
        return int(ahead[0]) + 1  # type: ignore[index]


def _position(tx: Transaction) -> int:
    row = tx.execute("SELECT position FROM rm_positions WHERE name = ?", (PROJECTION,)).one()
    return int(row[0]) if row else 0


def _filters(
    gathering_id: str, states: list[str], categories: list[str], text: str
) -> tuple[str, list[Any]]:
    clauses = ["gathering_id = ?"]
    params: list[Any] = [gathering_id]
    if states:
        clauses.append(f"state IN ({', '.join('?' * len(states))})")
        params.extend(states)
    if categories:
        clauses.append(f"category IN ({', '.join('?' * len(categories))})")
        params.extend(categories)
    if text.strip():
        clauses.append("search_text LIKE ? ESCAPE '\\'")
        params.append(f"%{escape_like(text.strip().lower())}%")
    return " AND ".join(clauses), params


def escape_like(text: str) -> str:
    """Return `text` with LIKE's wildcards escaped by a backslash (see the ESCAPE clause)."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _row(values: tuple[Any, ...]) -> RegistrationRow:
    row = list(values)
    row[12] = bool(row[12])
    return RegistrationRow(*row)


def _iso(value: datetime) -> str:
    return value.isoformat()


def _project(tx: Transaction, event: DomainEventProtocol[Any], seq: int) -> None:
    """Apply one domain event to the read model tables."""
    name = type(event).__qualname__
    rid = str(event.originator_id)
    if name in ARRIVAL_HANDLERS:
        ARRIVAL_HANDLERS[name](tx, event, seq)
    if name in ALERT_HANDLERS:
        ALERT_HANDLERS[name](tx, event, seq)
    if name in CORRECTION_HANDLERS:
        CORRECTION_HANDLERS[name](tx, event, seq)
    if name in CHECK_IN_HANDLERS:
        CHECK_IN_HANDLERS[name](tx, event, seq)
    elif name == "Registration.Submitted":
        _insert_registration(tx, event, rid, seq)
    elif name in STATE_AFTER:
        state = STATE_AFTER[name]
        tx.execute(
            "UPDATE rm_registrations SET state = ?, updated_at = ?, waitlist_seq = ? WHERE id = ?",
            (state, _iso(event.at), seq if state == "waitlisted" else None, rid),
        )
        if name == "Registration.Approved":
            tx.execute(
                "UPDATE rm_registrations SET capacity_overridden = ? WHERE id = ?",
                (int(event.capacity_override), rid),
            )


STATE_AFTER = {
    "Registration.Approved": "confirmed",
    "Registration.Promoted": "confirmed",
    "Registration.Waitlisted": "waitlisted",
    "Registration.Rejected": "rejected",
    "Registration.Cancelled": "cancelled",
}


def _insert_registration(tx: Transaction, event: Any, rid: str, seq: int) -> None:
    details = event.details
    search_text = " ".join(
        str(details.get(key, ""))
        for key in ("full_name", "name_zh", "email", "organisation", "job_title")
    ).lower()
    tx.execute(
        f"INSERT INTO rm_registrations ({COLUMNS}, search_text) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            rid,
            str(event.gathering_id),
            details["full_name"],
            details.get("name_zh", ""),
            details["organisation"],
            details["job_title"],
            details["email"],
            details.get("phone", ""),
            event.category,
            event.state,
            details.get("dietary", ""),
            details.get("accessibility", ""),
            0,
            _iso(event.at),
            _iso(event.at),
            seq if event.state == "waitlisted" else None,
            search_text,
        ),
    )
