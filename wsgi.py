"""WSGI entry point: `gunicorn wsgi:app` or `flask --app wsgi run`."""

from events_app import create_app
from printing.typefaces import warm

app = create_app()
# The fonts' character maps, before the first request (a tenth of a second).
warm()
