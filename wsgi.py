"""WSGI entry point: `gunicorn wsgi:app` or `flask --app wsgi run`."""

from events_app import create_app

app = create_app()
