"""The JSON API under /api/v1, documented at /api/v1/openapi.json."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask_smorest import Api as SmorestApi
from werkzeug.exceptions import HTTPException

from events_app import errors
from events_app.schemas.common import ErrorSchema


class Api(SmorestApi):
    """flask-smorest's Api with the project's one error shape."""

    ERROR_SCHEMA = ErrorSchema

    def handle_http_exception(self, error: HTTPException) -> Any:
        """Answer every HTTP error in the shared JSON shape."""
        return errors.from_http_exception(error)


def init_app(app: Flask) -> None:
    """Register the API blueprints and the OpenAPI document."""
    app.config.update(
        API_TITLE="Launch events API",
        API_VERSION="v1",
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX="/api/v1",
        OPENAPI_JSON_PATH="openapi.json",
    )
    errors.init_app(app)
    api = Api(
        app,
        spec_kwargs={
            "info": {
                "description": "Registrations, approvals and guest lists of launch events. "
                "Errors share one shape: {error: {code, message, field, fields}}."
            }
        },
    )
    api.spec.components.security_scheme(
        "organiserToken", {"type": "http", "scheme": "bearer", "description": "organiser token"}
    )
    api.spec.components.security_scheme(
        "deviceToken", {"type": "http", "scheme": "bearer", "description": "door device token"}
    )
    register_blueprints(api)


def register_blueprints(api: Api) -> None:
    """Register the API's blueprints under /api/v1, in the order the OpenAPI document lists them."""
    from events_app.api import (
        arrivals,
        badges,
        checkin,
        corrections,
        documents,
        door_lists,
        gatherings,
        invitations,
        mail,
        planning,
        questions,
        registrations,
        staff_codes,
    )

    api.register_blueprint(gatherings.bp, url_prefix="/api/v1/gatherings")
    for module in (
        registrations,
        checkin,
        door_lists,
        badges,
        arrivals,
        planning,
        staff_codes,
        mail,
        documents,
        corrections,
        questions,
        invitations,
    ):
        api.register_blueprint(module.bp, url_prefix="/api/v1")
