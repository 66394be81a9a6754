"""No flooding: rate limits per door device and per client address, shared by every process.

Flask-Limiter checks each limited endpoint before its view runs; the scans, the busiest,
are counted with its `limits` strategy directly (``events_app.rate_limits.direct``). The
counters live where RATELIMIT_STORAGE_URI says (e.g. ``redis://127.0.0.1:6379``); unset,
they live in the app's own database (``events_app.rate_limits.storage``), so every
gunicorn worker and machine on that database shares them; an in-memory app (tests) keeps
them in memory. A refusal is 429 with Retry-After: the API's error shape with code
``rate_limited``, or the page again with a bilingual notice.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Flask, current_app, request
from flask_limiter import Limiter
from limits import parse
from limits.strategies import FixedWindowRateLimiter
from werkzeug.middleware.proxy_fix import ProxyFix

from events_app.rate_limits import storage as _storage  # registers the db+ schemes
from events_app.rate_limits.direct import DirectLimit
from events_app.services.devices import TOKEN_PREFIX
from events_app.services.invalid_scans import InvalidScans

EXTENSION = "launch_events_limiter"
DEFAULTS = {
    # A door scans at most about 2 badges a second (120 a minute); an offline upload is
    # one hit (its size is capped at 500 scans). Shared by single, batch and manual scans.
    "RATELIMIT_SCANS": "600/minute",
    # 200 guests registering behind the venue Wi-Fi's one address: a few a minute, in bursts.
    "RATELIMIT_REGISTRATIONS": "60/minute",
    # A door asks for its list's changes every 5 s (12 a minute); a whole list of 50,000
    # guests costs the server about a second, so a stolen token cannot keep it busy.
    "RATELIMIT_DOOR_LISTS": "60/minute",
    "RATELIMIT_ENROLMENTS": "30/minute",
    "RATELIMIT_SIGN_INS": "30/minute",
    # A guest erasing their data posts twice (the tick, then the yes); more is someone probing.
    "RATELIMIT_GUEST_ERASURES": "10/minute",
    # Invalid badges a device scans: the first ones in each window are kept as scans.
    "INVALID_SCAN_SAMPLES": "20/2 minutes",
    "INVALID_SCAN_FLUSH_SECONDS": 10.0,
    "RATELIMIT_SWALLOW_ERRORS": True,  # a storage outage must not stop the door
    # Reverse proxies in front of the app whose X-Forwarded-For is trusted (nginx: 1), so
    # the limits count the client's address, not the proxy's.
    "TRUSTED_PROXIES": 0,
}


@dataclass(frozen=True)
class Rule:
    """A limit on some endpoints: its config key and whom it counts (device or address)."""

    scope: str
    config_key: str
    endpoints: tuple[str, ...]
    per_device: bool = False
    direct: bool = False
    """Checked with `limits` itself (events_app.rate_limits.direct), for the busiest door."""


RULES = (
    Rule(
        "scans",
        "RATELIMIT_SCANS",
        ("checkin.scan", "checkin.scan_batch", "checkin.check_in_found_guest"),
        per_device=True,
        direct=True,
    ),
    Rule(
        "registrations",
        "RATELIMIT_REGISTRATIONS",
        ("gatherings.register", "web.submit_registration"),
    ),
    Rule("door-lists", "RATELIMIT_DOOR_LISTS", ("door_lists.door_list",), per_device=True),
    Rule("enrolments", "RATELIMIT_ENROLMENTS", ("checkin.enrol_device",)),
    Rule("sign-ins", "RATELIMIT_SIGN_INS", ("organiser.submit_sign_in",)),
    Rule("guest-erasures", "RATELIMIT_GUEST_ERASURES", ("guest_data.erase",)),
)
"""The limited endpoints; the endpoints of a rule share one counter (per device or address)."""


def client_address() -> str:
    """Return the address a request comes from (behind proxies: TRUSTED_PROXIES)."""
    return f"addr:{request.remote_addr or 'unknown'}"


def device_key() -> str:
    """Return the door device a bearer token names (its address if it names none)."""
    _, _, token = request.headers.get("Authorization", "").partition(" ")
    token = token.strip()
    if token.startswith(TOKEN_PREFIX):
        device_hex = token[len(TOKEN_PREFIX) :].partition("_")[0]
        if len(device_hex) == 32 and device_hex.isascii() and device_hex.isalnum():
            return f"device:{device_hex.lower()}"
    return client_address()


def storage_uri(app: Flask) -> str:
    """Return where the counters live: RATELIMIT_STORAGE_URI, else the app's database."""
    configured = app.config.get("RATELIMIT_STORAGE_URI")
    if configured:
        return str(configured)
    stored = _services(app).storage
    if stored.kind == "memory":
        return "memory://"
    if stored.kind == "sqlite":
        return f"db+sqlite:///{stored.sqlite_path}"
    return f"db+{app.config['DATABASE_URL']}"


def init_app(app: Flask) -> None:
    """Limit the endpoints of RULES and count invalid badges beyond the samples compactly."""
    for key, value in DEFAULTS.items():
        app.config.setdefault(key, value)
    proxies = int(app.config["TRUSTED_PROXIES"])
    if proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies)  # type: ignore[method-assign]
    uri = storage_uri(app)
    options = {"clock": app.config["CLOCK"]} if uri.startswith("db+") else {}
    limiter = Limiter(client_address, storage_uri=uri, storage_options=options)
    limiter.init_app(app)
    app.extensions[EXTENSION] = limiter
    if not limiter.enabled:  # RATELIMIT_ENABLED=False: no limits, every scan recorded
        return
    if isinstance(limiter.storage, _storage.DatabaseStorage):
        _services(app).closing.append(limiter.storage.close)
    for rule in RULES:
        key = device_key if rule.per_device else client_address
        limit: Callable[[Any], Any] = (
            DirectLimit(limiter.limiter, rule.config_key, rule.scope, key)
            if rule.direct
            else limiter.shared_limit(_configured(rule.config_key), scope=rule.scope, key_func=key)
        )
        for endpoint in rule.endpoints:
            app.view_functions[endpoint] = limit(app.view_functions[endpoint])
    from events_app.rate_limits.responses import register_handler

    register_handler(app)
    _count_invalid_scans(app, limiter)


def _configured(config_key: str) -> Callable[[], str]:
    return lambda: str(current_app.config[config_key])


def _services(app: Flask) -> Any:
    from events_app.context import EXTENSION as SERVICES

    return app.extensions[SERVICES]


def _count_invalid_scans(app: Flask, limiter: Limiter) -> None:
    services = _services(app)
    services.checkin.invalid_scans = InvalidScans(
        services.box_office,
        FixedWindowRateLimiter(limiter.storage),
        parse(str(app.config["INVALID_SCAN_SAMPLES"])),
        float(app.config["INVALID_SCAN_FLUSH_SECONDS"]),
    )


def limiter_of(app: Any) -> Limiter:
    """Return the app's limiter."""
    return app.extensions[EXTENSION]  # type: ignore[no-any-return]


__all__ = ["DEFAULTS", "RULES", "init_app", "limiter_of"]
