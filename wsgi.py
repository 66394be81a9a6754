"""WSGI entry point: `gunicorn wsgi:app` or `flask --app wsgi run`."""

from events_app import create_app
from printing.fonts import warm

app = create_app()
# The CJK font's metrics, before the first request: read from the font cache in a few
# milliseconds, or measured from the source face once (about a second) on a fresh install.
warm()
