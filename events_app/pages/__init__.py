"""Server-rendered pages: guest, door and console, and what they share (templates, CSRF, labels)."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

TEMPLATES = str(Path(__file__).with_name("templates"))
"""The pages' Jinja templates (`console/` holds the console's)."""
STATIC = str(Path(__file__).with_name("static"))
"""The stylesheets, scripts and icons of the guest and door pages."""


def init_app(app: Flask) -> None:
    """Register the guest pages, the door page and the organiser console."""
    from events_app.pages import console, door, guest, old_urls

    guest.init_app(app)
    app.register_blueprint(door.bp)
    console.init_app(app)
    app.register_blueprint(old_urls.bp)
