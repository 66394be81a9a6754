"""The Flask app of the launch-event backend."""

from __future__ import annotations

import os
from typing import Any

from flask import Flask

from events_app.config import instance_secret, load_settings

INSTANCE_ENV = "LAUNCH_EVENTS_INSTANCE"


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Create and configure the app."""
    configured = os.environ.get(INSTANCE_ENV)
    instance_path = os.path.abspath(os.path.expanduser(configured)) if configured else None
    app = Flask(__name__, instance_path=instance_path, instance_relative_config=True)
    os.makedirs(app.instance_path, exist_ok=True)
    app.config.from_mapping(load_settings(app.instance_path))
    if test_config is not None:
        app.config.from_mapping(test_config)
    if not app.config["SECRET_KEY"]:
        app.config["SECRET_KEY"] = instance_secret(app.instance_path)

    from events_app import (
        api,
        cli,
        consistency_http,
        context,
        languages,
        pages,
        rate_limits,
        sessions,
    )

    sessions.init_app(app)
    context.init_app(app)
    languages.init_app(app)
    consistency_http.init_app(app)
    api.init_app(app)
    pages.init_app(app)
    cli.init_app(app)
    rate_limits.init_app(app)  # last: it limits endpoints the others registered
    return app
