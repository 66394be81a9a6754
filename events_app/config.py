"""Configuration from environment variables, with safe defaults."""

from __future__ import annotations

import os
import secrets
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from events_app.store.atomic_files import create_once


def system_clock() -> datetime:
    """Return the current time, timezone-aware (UTC)."""
    return datetime.now(UTC)


def load_settings(instance_path: str) -> dict[str, Any]:
    """Return the app's settings from the environment."""
    return {
        "SECRET_KEY": os.environ.get("EVENTS_SECRET_KEY", ""),
        "DATABASE_URL": os.environ.get("DATABASE_URL", ""),
        "BADGE_KEYS": os.environ.get("BADGE_KEYS", ""),
        "CLOCK": system_clock,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "MAX_CONTENT_LENGTH": 256 * 1024,
        "DEMO_SLUG": "hetao-youth-innovation-valley-launch",
        "READ_WAIT_SECONDS": float(os.environ.get("READ_WAIT_SECONDS", "") or 1.0),
        "READ_MODEL_FOLLOWER": os.environ.get("READ_MODEL_FOLLOWER", ""),
        "RETENTION_RUNNER": os.environ.get("RETENTION_RUNNER", ""),
        # base64 of 32 bytes; seals the personal data keys (see events_app.store.personal_keys)
        "PERSONAL_DATA_MASTER_KEY": master_key_from_environment(),
        **mail_settings_from_environment(),
        **rate_limit_settings_from_environment(),
    }


def master_key_from_environment() -> str:
    """Return LAUNCH_EVENTS_MASTER_KEY, or the content of LAUNCH_EVENTS_MASTER_KEY_FILE."""
    given = os.environ.get("LAUNCH_EVENTS_MASTER_KEY", "")
    path = os.environ.get("LAUNCH_EVENTS_MASTER_KEY_FILE", "")
    if given and path:
        raise RuntimeError(
            "set LAUNCH_EVENTS_MASTER_KEY or LAUNCH_EVENTS_MASTER_KEY_FILE, not both"
        )
    if not path:
        return given
    try:
        key = Path(path).read_text().strip()
    except OSError as error:
        raise RuntimeError(f"LAUNCH_EVENTS_MASTER_KEY_FILE: cannot read {path}: {error}") from None
    if not key:
        raise RuntimeError(f"LAUNCH_EVENTS_MASTER_KEY_FILE: {path} is empty")
    return key


RATE_LIMIT_SETTINGS = (
    "RATELIMIT_STORAGE_URI",
    "RATELIMIT_SCANS",
    "RATELIMIT_REGISTRATIONS",
    "RATELIMIT_ENROLMENTS",
    "RATELIMIT_SIGN_INS",
    "INVALID_SCAN_SAMPLES",
    "TRUSTED_PROXIES",
)
"""Rate-limit settings (see events_app/rate_limits); unset ones take the defaults there."""


def rate_limit_settings_from_environment() -> dict[str, str]:
    """Return the rate-limit settings set in the environment."""
    return {key: os.environ[key] for key in RATE_LIMIT_SETTINGS if os.environ.get(key)}


MAIL_SETTINGS = (
    "MAIL_SMTP_HOST",
    "MAIL_SMTP_PORT",
    "MAIL_SMTP_SECURITY",
    "MAIL_SMTP_USER",
    "MAIL_SMTP_PASSWORD",
    "MAIL_SMTP_TIMEOUT",
    "MAIL_FROM",
    "MAIL_SENDER_THREAD",
    "MAIL_POLL_SECONDS",
    "MAIL_OUTBOX_DIR",
    "PUBLIC_BASE_URL",
)
"""Guest e-mail settings (see events_app/mail/settings.py); unset ones are empty."""


def mail_settings_from_environment() -> dict[str, str]:
    """Return the guest e-mail settings from the environment."""
    return {key: os.environ.get(key, "") for key in MAIL_SETTINGS}


def instance_secret(instance_path: str) -> str:
    """Return the secret key kept in the instance folder, creating it on first run."""
    path = Path(instance_path) / "secret_key"
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():  # a read-only instance folder with its key is fine
        create_once(path, secrets.token_hex(32).encode())  # whole or absent, even if killed
    key = path.read_text().strip()
    if not key:
        raise RuntimeError(f"{path} is empty: remove it and a new secret key is made")
    return key
