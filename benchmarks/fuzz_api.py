"""Fuzz the whole JSON API with schemathesis, as an organiser and as a door device.

The script makes a fresh store (an SQLite file by default; PostgreSQL with `--postgres`
or FUZZ_STORE=postgres, in a schema of its own at TEST_POSTGRES_URL), creates the demo
gathering, an organiser token and an enrolled door device through the services, serves
the app on a random loopback port (werkzeug, threaded) and runs `schemathesis run`
against /api/v1/openapi.json once per token, every path's `slug` set to the demo's.

Each run is bounded by `--max-examples` per operation and `--max-time` seconds. The
summary prints, per endpoint, the number of cases sent, the 5xx answers and the response
schema violations, each with a request that reproduces it and, for a 5xx, the exception
the app logged.

    python benchmarks/fuzz_api.py [--postgres] [--max-examples 20] [--max-time 120]
        [--seed 1] [--tokens organiser device] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import re
import shlex
import subprocess
import sys
import tempfile
import threading
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from common import POSTGRES_URL, drop_schema, postgres_reachable  # noqa: E402

from events_app.demo import DEMO_SLUG  # noqa: E402

SCHEMA_PATH = "/api/v1/openapi.json"
CHECKS = "not_a_server_error,response_schema_conformance"
CASE_HEADER = "X-Schemathesis-TestCaseId"


@dataclass
class Endpoint:
    """What one run sent to one operation and what went wrong."""

    cases: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    server_errors: list[str] = field(default_factory=list)
    violations: list[str] = field(default_factory=list)


class Crashes(logging.Handler):
    """Collects the exceptions the app logs for its 500s, by schemathesis case id."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.by_case: dict[str, str] = {}

    def emit(self, record: logging.LogRecord) -> None:
        """Remember the exception of a logged unexpected error."""
        from flask import has_request_context, request

        if not record.exc_info or not has_request_context():
            return
        error = record.exc_info[1]
        case = request.headers.get(CASE_HEADER, "")
        self.by_case[case] = f"{type(error).__name__}: {str(error)[:160]}"


def prepare(url: str) -> Any:
    """Create the app on `url` and the demo gathering; return the app."""
    from events_app import create_app
    from events_app.cli.demo import create_demo_gathering
    from events_app.context import services

    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "fuzz-" + uuid.uuid4().hex})
    with app.app_context():
        create_demo_gathering(services().box_office, services().planning)
    return app


def new_token(app: Any, kind: str) -> str:
    """Return a fresh organiser token, or the token of a newly enrolled door device.

    Each run gets its own: the organiser run revokes the devices it finds.
    """
    from events_app.context import services

    with app.app_context():
        found = services()
        if kind == "organiser":
            return found.box_office.issue_organiser_token("fuzz", actor="fuzz")[0]
        new = found.devices.register(DEMO_SLUG, "fuzz door", timedelta(days=1), "fuzz")
        return found.devices.enrol(new.setup_code).token


def serve(app: Any) -> int:
    """Serve `app` on a random loopback port in a daemon thread; return the port."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return int(server.server_port)


def run_schemathesis(
    port: int, token: str, slug: str, options: argparse.Namespace, out: Path
) -> None:
    """Run schemathesis once with this token, its reports and log in `out`."""
    config = out / "schemathesis.toml"
    config.write_text(f"[parameters]\nslug = {json.dumps(slug)}\n")
    command = [
        str(Path(sys.executable).parent / "schemathesis"),
        "--config-file",
        str(config),
        "run",
        f"http://127.0.0.1:{port}{SCHEMA_PATH}",
        "--header",
        f"Authorization: Bearer {token}",
        "--checks",
        CHECKS,
        "--phases",
        "examples,coverage,fuzzing",
        "--max-examples",
        str(options.max_examples),
        "--max-time",
        str(options.max_time),
        "--seed",
        str(options.seed),
        "--workers",
        "1",
        "--no-shrink",
        "--continue-on-failure",
        "--request-timeout",
        "60",
        "--output-sanitize",
        "false",
        "--report",
        "har,json",
        "--report-har-path",
        str(out / "cases.har"),
        "--report-json-path",
        str(out / "report.json"),
    ]
    with (out / "schemathesis.log").open("w") as log:
        subprocess.run(command, stdout=log, stderr=subprocess.STDOUT, cwd=out, check=False)


def operation_matcher(spec: dict[str, Any]) -> Any:
    """Return a function from (method, path) to the operation label "METHOD /template"."""
    patterns = []
    for template, methods in spec["paths"].items():
        regex = re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template))
        patterns.append((re.compile(f"^{regex}$"), template, {m.upper() for m in methods}))

    def label(method: str, path: str) -> str:
        for pattern, template, methods in patterns:
            if pattern.match(path):
                return f"{method if method in methods else 'other methods'} {template}"
        return f"{method} (no such path) {path[:60]}"

    return label


def curl(request: dict[str, Any]) -> str:
    """Return a curl command that repeats a HAR request (the token shown as $TOKEN)."""
    parts = ["curl", "-X", request["method"], shlex.quote(request["url"])]
    for header in request["headers"]:
        name, value = header["name"], header["value"]
        if name.lower() == "authorization":
            value = "Bearer $TOKEN"
        if name.lower() in {"content-type", "authorization"}:
            parts += ["-H", f'"{name}: {value}"']
    text = (request.get("postData") or {}).get("text")
    if text is not None:
        parts += ["--data-binary", shlex.quote(text[:400] + ("…" if len(text) > 400 else ""))]
    return " ".join(parts)


def summarise(out: Path, label: Any, crashes: Crashes) -> dict[str, Endpoint]:
    """Read the reports of one run into per-endpoint figures."""
    endpoints: dict[str, Endpoint] = defaultdict(Endpoint)
    har = out / "cases.har"
    entries = json.loads(har.read_text())["log"]["entries"] if har.exists() else []
    for entry in entries:
        request, status = entry["request"], entry["response"]["status"]
        path = re.sub(r"^https?://[^/]+", "", request["url"]).split("?")[0]
        endpoint = endpoints[label(request["method"], path)]
        endpoint.cases += 1
        endpoint.statuses[status] += 1
        if status >= 500:
            case = next((h["value"] for h in request["headers"] if h["name"] == CASE_HEADER), "")
            cause = crashes.by_case.get(case, "no exception logged")
            endpoint.server_errors.append(f"{status} {cause}\n        {curl(request)}")
    for name, block in failure_blocks(out / "schemathesis.log"):
        checks = [line.strip("- ") for line in block if line.startswith("- ")]
        if checks and all(c == "ST101 Server error" for c in checks):
            continue  # counted from the HAR above, with the logged exception
        reproduce = next((line.strip() for line in block if line.strip().startswith("curl ")), "")
        endpoints[name].violations.append(f"{'; '.join(checks)}\n        {reproduce[:500]}")
    return endpoints


def failure_blocks(log: Path) -> list[tuple[str, list[str]]]:
    """Return (operation, lines) of each failure schemathesis printed in its log."""
    text = log.read_text() if log.exists() else ""
    section = text.partition("= FAILURES =")[2].partition("= WARNINGS =")[0]
    blocks: list[tuple[str, list[str]]] = []
    for line in section.splitlines():
        heading = re.fullmatch(r"_+ (\S+ \S+) _+", line.strip())
        if heading:
            blocks.append((heading.group(1), []))
        elif blocks:
            blocks[-1][1].append(line)
    return blocks


def show(kind: str, endpoints: dict[str, Endpoint], out: Path) -> int:
    """Print one run's summary; return how many 5xx answers it found."""
    report = out / "report.json"
    data = json.loads(report.read_text()) if report.exists() else {}
    cases = sum(e.cases for e in endpoints.values())
    errors = sum(len(e.server_errors) for e in endpoints.values())
    print(f"\n== {kind} token: {cases} cases, {errors} 5xx, stop: {data.get('stop_reason')}")
    for name in sorted(endpoints):
        endpoint = endpoints[name]
        common = ", ".join(f"{s}:{n}" for s, n in endpoint.statuses.most_common(4))
        flags = f" 5xx={len(endpoint.server_errors)}" if endpoint.server_errors else ""
        flags += f" violations={len(endpoint.violations)}" if endpoint.violations else ""
        print(f"  {endpoint.cases:6d}  {name:<70} {common}{flags}")
        for line in _distinct(endpoint.server_errors)[:3]:
            print(f"      {line}")
        for line in endpoint.violations[:2]:
            print(f"      violation: {line}")
    return errors


def _distinct(errors: list[str]) -> list[str]:
    """Return one error per distinct cause line, shortest request first."""
    chosen: dict[str, str] = {}
    for error in sorted(errors, key=len):
        chosen.setdefault(error.splitlines()[0], error)
    return list(chosen.values())


def store_url(postgres: bool, work: Path) -> tuple[str, str | None]:
    """Return the DATABASE_URL of a fresh store and the PostgreSQL schema to drop, if any."""
    if not postgres:
        return f"sqlite:///{work / 'events.sqlite'}", None
    problem = postgres_reachable()
    if problem:
        raise SystemExit(f"PostgreSQL at {POSTGRES_URL} is unreachable: {problem}")
    schema = f"fuzz_{uuid.uuid4().hex[:10]}"
    return f"{POSTGRES_URL}?schema={schema}", schema


def main() -> int:
    """Run the fuzzing and print its summary; exit 1 when a 5xx was found."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", action="store_true", default=_env_postgres())
    parser.add_argument("--max-examples", type=int, default=20)
    parser.add_argument("--max-time", type=int, default=120, help="seconds per token")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--tokens", nargs="+", default=["device", "organiser"])
    parser.add_argument("--keep", type=Path, help="keep the reports in this folder")
    options = parser.parse_args()
    work = options.keep or Path(tempfile.mkdtemp(prefix="fuzz-api-"))
    work.mkdir(parents=True, exist_ok=True)
    url, schema = store_url(options.postgres, work)

    crashes = Crashes()
    logging.getLogger("events_app").addHandler(crashes)
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    try:
        app = prepare(url)
        port = serve(app)
        spec = app.test_client().get(SCHEMA_PATH).json
        label = operation_matcher(spec)
        print(f"store: {'postgres' if schema else 'sqlite'}; reports in {work}")
        found = 0
        for kind in options.tokens:
            out = work / kind
            out.mkdir(exist_ok=True)
            run_schemathesis(port, new_token(app, kind), DEMO_SLUG, options, out)
            found += show(kind, summarise(out, label, crashes), out)
        return 1 if found else 0
    finally:
        if schema:
            drop_schema(schema)


def _env_postgres() -> bool:
    return os.environ.get("FUZZ_STORE", "sqlite").lower() in {"postgres", "postgresql"}


if __name__ == "__main__":
    sys.exit(main())
