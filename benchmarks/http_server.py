"""A gunicorn of the product to measure, for the registration benchmark (see wrk_runs)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from wrk_runs import cpu_busy as busy_share
from wrk_runs import free_port, gunicorn, start_server, stop
from wrk_runs import tree_cpu as cpu_seconds

__all__ = ["busy_share", "cpu_seconds", "start_gunicorn", "stop"]


def start_gunicorn(
    tree: Path, url: str, workers: int, log: Path, env: dict[str, str], probe: str
) -> tuple[subprocess.Popen[bytes], int]:
    """Start gunicorn (sync workers) on the app of `tree`; return it once `probe` answers 200."""
    port = free_port()
    command = [*gunicorn(workers, port, log), "--timeout", "60", "wsgi:app"]
    # No mails are sent: each registration queues one, and the queue is all it costs.
    full_env = {**os.environ, "DATABASE_URL": url, "MAIL_SENDER_THREAD": "off", **env}
    return start_server(command, full_env, tree, port, probe, log), port
