"""One JSON error shape for the whole API, and the one place domain errors become HTTP."""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, Response, jsonify, request
from flask_babel import gettext
from werkzeug.exceptions import HTTPException

from domain.answers import InvalidAnswers
from domain.errors import DomainError, Named, Term
from events_app.error_texts import behind_page, behind_text, validation_text
from events_app.languages import current_language
from events_app.languages.scripts import in_script
from events_app.languages.tags import DEFAULT
from events_app.read_models.consistency import ReadModelBehind

log = logging.getLogger(__name__)

HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_failed",
    429: "too_many_requests",
    500: "internal_error",
    503: "unavailable",
}


DOMAIN_STATUSES = {
    # domain.errors
    "domain_error": 409,
    "not_found": 404,
    "already_exists": 409,
    "invalid_transition": 409,
    "registration_closed": 409,
    "email_already_registered": 409,
    "unknown_category": 422,
    "override_not_allowed": 422,
    "no_seat_available": 409,
    "invalid_schedule": 422,
    "forbidden": 403,
    "role_forbidden": 403,
    "setup_code_expired": 409,
    "setup_code_used": 409,
    "device_revoked": 401,
    "invalid_value": 422,
    "slot_taken": 409,
    "firm_already_placed": 409,
    "staff_quota_exceeded": 409,
    "staff_code_invalid": 422,
    "document_locked": 409,
    "agenda_overlap": 409,
    "outside_gathering": 422,
    "capacity_below_confirmed": 409,
    "category_full": 409,
    "correction_refused": 409,
    "invalid_answers": 422,
    "invitation_expired": 409,
    "invitation_used": 409,
    "invitation_declined": 409,
    "invitation_revoked": 409,
    "by_invitation_only": 422,
    "already_erased": 409,
    # refusals the services add
    "concurrency_conflict": 409,
    "migration_running": 409,
    "changed_meanwhile": 409,
    "document_incomplete": 422,
    "ceremony_withdrawn": 409,
    "wrong_ceremony_kind": 409,
    "rows_refused": 422,
    "scanned_at_in_future": 422,
    "scanned_at_out_of_range": 422,
    "door_list_ahead": 409,
}
"""The HTTP status of each domain error code: the one place a refusal becomes HTTP."""


def refusal_text(error: DomainError) -> str:
    """Return why a command was refused, in the request's language (English if untranslated)."""
    template = gettext(error.template)
    if not error.params:
        return template
    language = current_language()
    return template % {name: _said(value, language) for name, value in error.params.items()}


def _said(value: Any, language: str) -> Any:
    """Return a refusal's parameter as the reader reads it: terms translated, names chosen."""
    if isinstance(value, DomainError):
        return refusal_text(value)
    if isinstance(value, Term):
        return gettext(value)
    if isinstance(value, Named) and language != DEFAULT:
        return in_script(value.zh, language)
    return value


def domain_status(error: DomainError) -> int:
    """Return the HTTP status a refused command answers with, in the API and on the pages."""
    return DOMAIN_STATUSES.get(error.code, DOMAIN_STATUSES[DomainError.code])


class ApiError(Exception):
    """An error a view raises to answer with the shared JSON error shape."""

    def __init__(self, status: int, code: str, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.field = field


def error_body(
    code: str,
    message: str,
    *,
    field: str | None = None,
    fields: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Return the JSON body every API error shares."""
    return {
        "error": {
            "code": code,
            "message": message,
            "field": field,
            "fields": fields or ({field: [message]} if field else {}),
        }
    }


def error_response(
    status: int, code: str, message: str, *, field: str | None = None, **extra: Any
) -> Response:
    """Return a JSON error response."""
    response = jsonify(error_body(code, message, field=field, **extra))
    response.status_code = status
    return response


def from_http_exception(error: HTTPException) -> Response:
    """Turn a werkzeug/webargs HTTP exception into the shared error shape."""
    status = error.code or 500
    data = getattr(error, "data", None) or {}
    messages = data.get("messages") or data.get("errors")
    if messages:
        fields = _flatten(messages)
        if status == 400 and "json" in messages and isinstance(messages["json"], list):
            return error_response(
                400, "malformed_json", gettext("the request body is not valid JSON")
            )
        fields = {name: [validation_text(m) for m in said] for name, said in fields.items()}
        first = next(iter(fields), None)
        message = (
            gettext("%(field)s: %(problem)s", field=first, problem=fields[first][0])
            if first
            else gettext("the request is not valid")
        )
        return error_response(status, "validation_failed", message, field=first, fields=fields)
    message = data.get("message") or error.description or error.name
    response = error_response(status, HTTP_CODES.get(status, "http_error"), gettext(message))
    for key, value in (data.get("headers") or {}).items():
        response.headers[key] = value
    return response


def from_domain_error(error: DomainError) -> Response:
    """Turn a refused domain command into the shared error shape."""
    if isinstance(error, InvalidAnswers):
        return answers_response(error)
    return error_response(domain_status(error), error.code, refusal_text(error), field=error.field)


def answer_messages(error: InvalidAnswers) -> dict[str, str]:
    """Return each faulty answer's problem in the reader's language, by question key."""
    return {key: refusal_text(problem) for key, problem in sorted(error.problems.items())}


def answers_response(error: InvalidAnswers) -> Response:
    """Answer refused answers with one message per question, as fields `answers.<key>`."""
    messages = answer_messages(error)
    fields = {f"answers.{key}": [text] for key, text in messages.items()}
    first = next(iter(fields))
    message = gettext("%(field)s: %(problem)s", field=first, problem=fields[first][0])
    return error_response(domain_status(error), error.code, message, field=first, fields=fields)


def _flatten(messages: dict[str, Any]) -> dict[str, list[str]]:
    """Return {field: [messages]} from webargs' {location: {field: [...]}} form."""
    fields: dict[str, list[str]] = {}
    for location, value in messages.items():
        if isinstance(value, dict):
            for name, problems in _flatten_nested(value).items():
                fields[name] = problems
        else:
            fields[location] = [str(v) for v in value] if isinstance(value, list) else [str(value)]
    return fields


def _flatten_nested(value: dict[str, Any], prefix: str = "") -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for key, problems in value.items():
        name = f"{prefix}{key}"
        if isinstance(problems, dict):
            out.update(_flatten_nested(problems, f"{name}."))
        else:
            out[name] = (
                [str(p) for p in problems] if isinstance(problems, list) else [str(problems)]
            )
    return out


def wants_json() -> bool:
    """Tell whether the current request is an API call (or asks for JSON)."""
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


def init_app(app: Flask) -> None:
    """Register the error handlers that keep every API error in one shape, never a bare 500."""

    @app.errorhandler(DomainError)
    def _domain(error: DomainError) -> Response:
        return from_domain_error(error)

    @app.errorhandler(ApiError)
    def _api(error: ApiError) -> Response:
        return error_response(error.status, error.code, gettext(error.message), field=error.field)

    @app.errorhandler(ReadModelBehind)
    def _behind(error: ReadModelBehind) -> Response:
        if wants_json():
            response = error_response(503, error.code, behind_text(error))
        else:
            response = Response(behind_page(error), 503, mimetype="text/html")
        response.headers["Retry-After"] = str(error.retry_after)
        return response

    @app.errorhandler(Exception)
    def _unexpected(error: Exception) -> Any:
        if isinstance(error, HTTPException):
            return from_http_exception(error) if wants_json() else error
        log.exception("unexpected error on %s %s", request.method, request.path)
        return error_response(500, "internal_error", gettext("an unexpected error occurred"))
