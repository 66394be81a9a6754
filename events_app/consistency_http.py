"""Carrying each visitor's own write position from request to request (see consistency)."""

from __future__ import annotations

from flask import Flask, Response, request, session

from events_app.read_models import consistency

WRITTEN = "written_position"
"""The session key holding the position of the visitor's latest write."""
POSITION_HEADER = "X-Position"
MIN_POSITION_HEADER = "X-Min-Position"
BEHIND_HEADER = "X-Read-Model-Behind"
MAX_POSITION = 2**62


def _position(value: object) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool) and 0 < value < MAX_POSITION:
        return value
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) < 19:
        return int(value) or None
    return None


def init_app(app: Flask) -> None:
    """Carry each visitor's own write position from request to request."""

    @app.before_request
    def _start() -> None:
        wanted = _position(request.headers.get(MIN_POSITION_HEADER, ""))
        if wanted is None and not request.path.startswith("/api/"):
            wanted = _position(session.get(WRITTEN)) if session else None
        consistency.start_request(wanted)

    @app.after_request
    def _finish(response: Response) -> Response:
        position = consistency.written()
        if position is not None:
            response.headers[POSITION_HEADER] = str(position)
            if not request.path.startswith("/api/"):
                session[WRITTEN] = max(position, _position(session.get(WRITTEN)) or 0)
        late = consistency.behind()
        if late:
            response.headers[BEHIND_HEADER] = str(late)
        return response

    @app.teardown_request
    def _end(_error: BaseException | None) -> None:
        consistency.end_request()
