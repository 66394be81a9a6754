r"""The one JSON reader of the API: refuses bodies too deep to handle and unencodable text.

Every `@bp.arguments` of the API's blueprints parses through `SafeParser`, so a body nested
deeper than MAX_DEPTH answers 400 `malformed_json`, and a lone UTF-16 surrogate ("\ud800",
which no store or JSON encoder can write) in any string or key answers 422 naming the field,
before any schema or service sees it.
"""

from __future__ import annotations

from typing import Any

import flask_smorest
from flask import Request
from webargs import core
from webargs.flaskparser import FlaskParser, abort

from domain.common import N_

MAX_DEPTH = 32
"""Deepest nesting of arrays and objects a request body may have (the API's use 3)."""
SURROGATE = N_("must be valid Unicode text (it holds a lone surrogate code point)")


class TooDeep(ValueError):
    """The body nests arrays and objects deeper than MAX_DEPTH."""


def has_surrogate(text: str) -> bool:
    """Tell whether `text` holds a lone surrogate, which UTF-8 cannot encode."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def surrogate_path(data: Any) -> str | None:
    """Return the dotted path of the first string (or key) with a lone surrogate, or None.

    Walks without recursion and raises TooDeep past MAX_DEPTH levels.
    """
    stack: list[tuple[Any, str, int]] = [(data, "", 0)]
    while stack:
        value, path, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise TooDeep(f"the body nests deeper than {MAX_DEPTH} levels")
        if isinstance(value, str):
            if has_surrogate(value):
                return path or "_schema"
        elif isinstance(value, dict):
            for key, item in value.items():
                name = f"{path}.{key}" if path else str(key)
                if has_surrogate(str(key)):
                    return path or "_schema"
                stack.append((item, name, depth + 1))
        elif isinstance(value, list):
            for i, item in enumerate(value):
                stack.append((item, f"{path}.{i}" if path else str(i), depth + 1))
    return None


class SafeParser(FlaskParser):
    """webargs' Flask parser with the depth and surrogate checks on every JSON body."""

    def _raw_load_json(self, req: Request) -> Any:
        try:
            data = super()._raw_load_json(req)
        except RecursionError:
            abort(400, messages={"json": [f"the body nests deeper than {MAX_DEPTH} levels"]})
        if data is core.missing:
            return data
        try:
            path = surrogate_path(data)
        except TooDeep as error:
            abort(400, messages={"json": [str(error)]})
        if path is not None:
            abort(422, messages={"json": {path: [SURROGATE]}})
        return data


class Blueprint(flask_smorest.Blueprint):
    """flask-smorest's Blueprint reading its arguments through SafeParser."""

    ARGUMENTS_PARSER = SafeParser()

    def arguments(self, schema: Any, **kwargs: Any) -> Any:
        """Read arguments as flask-smorest does, with a schema class made once, not per request.

        Given a class, webargs makes an instance of it for every request (a deep copy of
        each declared field: about 0.1 ms for a registration's); the schemas keep no state.
        """
        return super().arguments(schema() if isinstance(schema, type) else schema, **kwargs)
