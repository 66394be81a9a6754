"""Flask wiring of the outbox: settings from the app's config, links, the sender thread."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from urllib.parse import urlsplit

from flask import Flask

from events_app.mail.outbox import Outbox
from events_app.mail.settings import LinkFor, MailSettings, mail_settings


def settings_for(app: Flask) -> MailSettings:
    """Return the mail settings of `app`: links from its URL rules, words from its catalogues."""
    settings = mail_settings(app.config, app.instance_path, testing=app.testing)
    return replace(
        settings, link_for=link_builder(app, settings.base_url), app_context=app.app_context
    )


def link_builder(app: Flask, base_url: str) -> LinkFor:
    """Return a function that builds the guest's confirmation link under `base_url`."""
    parts = urlsplit(base_url)

    def link(slug: str, token: str) -> str:
        adapter = app.url_map.bind(
            parts.netloc, script_name=parts.path or "/", url_scheme=parts.scheme or "http"
        )
        return adapter.build(
            "web.confirmation", {"slug": slug, "token": token}, force_external=True
        )

    return link


def start_sender_with_first_request(app: Flask, outbox: Callable[[], Outbox]) -> None:
    """Start the process's sender thread with its first request, if MAIL_SENDER_THREAD is on.

    Only processes that serve requests (gunicorn workers, `flask run`) send by themselves;
    a CLI command never leaves a half-sent mail behind when it exits.
    """
    started = False

    @app.before_request
    def start_mail_sender() -> None:
        nonlocal started
        if started:
            return
        started = True
        box = outbox()
        if box.settings.sender_thread:
            box.start_sender()
