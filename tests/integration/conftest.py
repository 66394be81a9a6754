"""Integration tests: real servers, processes and threads on SQLite and PostgreSQL.

gunicorn with several workers, the mail sender process, SMTP, concurrent doors and
organisers, kill -9 in the middle of a batch, a year of history. They need the PostgreSQL
server of the root conftest (they fail, never skip, with CI=true) and take minutes, not
seconds: `pytest -m "not integration"` leaves them out while working.
"""
