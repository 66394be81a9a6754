"""No view runs SQL: the pages and the API read through the read models' queries (issue 13).

Read from the source with `ast`: a string that holds a SQL statement, or a use of the
database (its `database`, a `transaction()`, an `execute()`), anywhere in a module under
`events_app/pages` or `events_app/api` fails the test.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
VIEWS = (ROOT / "events_app" / "pages", ROOT / "events_app" / "api")
SQL = re.compile(
    r"\b(SELECT\s.+\sFROM|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM"
    r"|(CREATE|DROP|ALTER)\s+(TABLE|INDEX)|TRUNCATE\s)",
    re.DOTALL,
)
"""A SQL statement in upper case, as the project writes them."""
DATABASE_NAMES = frozenset({"database", "transaction", "execute", "execute_many"})
"""Attributes only the database and its transactions have."""
DATABASE_MODULES = ("events_app.store.sql", "sqlite3", "psycopg", "psycopg_pool")


def sql_in(path: Path) -> list[str]:
    """Return what in `path` looks like SQL or a use of the database, with its line."""
    found = []
    tree = ast.parse(path.read_text(), str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            text = "".join(
                part.value if isinstance(part, ast.Constant) else "{}" for part in node.values
            )
            if SQL.search(text):
                found.append(f"line {node.lineno}: SQL in an f-string")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            if SQL.search(node.value):
                found.append(f"line {node.lineno}: SQL {node.value[:40]!r}")
        elif isinstance(node, ast.Attribute) and node.attr in DATABASE_NAMES:
            found.append(f"line {node.lineno}: uses the database (.{node.attr})")
        elif isinstance(node, ast.Import | ast.ImportFrom):
            names = [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            names += [alias.name for alias in node.names]
            found += [
                f"line {node.lineno}: imports {name}"
                for name in names
                if name.startswith(DATABASE_MODULES)
            ]
    return found


SOURCES = sorted(path for views in VIEWS for path in views.rglob("*.py"))


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_a_view_runs_no_sql(path: Path) -> None:
    assert sql_in(path) == [], f"{path.relative_to(ROOT)}: ask a read model instead"


def test_the_check_sees_sql_and_the_database(tmp_path: Path) -> None:
    """Statements (plain or in f-strings) and database calls are seen; prose is not."""
    view = tmp_path / "view.py"
    view.write_text(
        "from events_app.store.sql import Transaction\n"
        "Q = 'SELECT id FROM rm_scans WHERE gathering_id = ?'\n"
        "def f(s, t):\n"
        "    s.database.transaction()\n"
        "    return f'UPDATE rm_devices SET {t} = ?', 'DELETE FROM rm_conflicts'\n"
        "NOTE = 'Select a category, then update the list from the form.'\n"
    )
    found = sql_in(view)
    assert [entry.split(":")[0] for entry in found].count("line 2") == 1
    assert "line 1: imports events_app.store.sql" in found
    assert "line 4: uses the database (.database)" in found
    assert "line 4: uses the database (.transaction)" in found
    assert "line 5: SQL in an f-string" in found
    assert any(entry.startswith("line 5: SQL 'DELETE FROM") for entry in found)
    assert not any(entry.startswith("line 6") for entry in found)
    assert SOURCES, "no views found"
