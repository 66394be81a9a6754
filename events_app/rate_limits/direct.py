"""Limits on the door's busiest endpoints, checked with the `limits` library directly.

Flask-Limiter resolves, filters and evaluates an endpoint's limits on every request, in
its before-request hook and again in the route's decorator: about a tenth of a
millisecond of a scan's CPU, for one counter. The scans rule needs none of that
machinery: one fixed-window hit per request on the limiter's own strategy and storage,
under the very key Flask-Limiter gives a shared limit ("LIMITER/<key>/<scope>/<limit>").
A refusal raises Refused, answered like Flask-Limiter's (429 with Retry-After); with
RATELIMIT_SWALLOW_ERRORS a broken counter store lets the request through, as there.
"""

from __future__ import annotations

import functools
import logging
import math
import time
from collections.abc import Callable
from typing import Any, TypeVar

from flask import current_app
from limits import RateLimitItem, parse
from limits.strategies import RateLimiter

F = TypeVar("F", bound=Callable[..., Any])
log = logging.getLogger(__name__)


class Refused(Exception):
    """A request over its limit; `seconds` until the limit's window ends."""

    def __init__(self, seconds: int) -> None:
        super().__init__(f"rate limited for {seconds} seconds")
        self.seconds = seconds


class DirectLimit:
    """One shared limit (a config key naming e.g. "600/minute"), counted per key and scope."""

    def __init__(
        self, strategy: RateLimiter, config_key: str, scope: str, key: Callable[[], str]
    ) -> None:
        self._strategy = strategy
        self._config_key = config_key
        self._scope = scope
        self._key = key
        self._parsed: tuple[str, RateLimitItem] | None = None

    def __call__(self, view: F) -> F:
        """Return `view` behind this limit."""

        @functools.wraps(view)
        def limited(*args: Any, **kwargs: Any) -> Any:
            self.hit()
            return view(*args, **kwargs)

        return limited  # type: ignore[return-value]

    def hit(self) -> None:
        """Count this request, or raise Refused when its key is over the limit."""
        item, identifiers = self._item(), (self._key(), self._scope)
        try:
            if self._strategy.hit(item, *identifiers):
                return
            reset_at = self._strategy.get_window_stats(item, *identifiers).reset_time
            now = getattr(self._strategy.storage, "now", time.time)()
        except Exception:
            if not current_app.config.get("RATELIMIT_SWALLOW_ERRORS"):
                raise
            log.exception("the rate limit of %s could not be counted; let through", self._scope)
            return
        left = math.ceil(reset_at - now)
        raise Refused(max(1, min(left, item.get_expiry())))

    def _item(self) -> RateLimitItem:
        """Return the configured limit, parsed again only when the setting changes."""
        text = str(current_app.config[self._config_key])
        if self._parsed is None or self._parsed[0] != text:
            self._parsed = (text, parse(text))
        return self._parsed[1]
