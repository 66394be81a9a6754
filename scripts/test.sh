#!/usr/bin/env bash
# Set up and run the whole test suite (lint, unit, application, concurrency, browser).
# PostgreSQL tests use 127.0.0.1:5432 (user postgres, database test); TEST_POSTGRES_URL
# overrides it. Outside CI a missing server skips them with the reason; with CI=true
# they fail. Browser tests need Debian's chromium: installed here when running as root.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
command -v pg_dump >/dev/null 2>&1 || need+=(postgresql-client)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing Debian packages: ${need[*]}"
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  else
    echo "NOTE: cannot install ${need[*]} (not root or no apt-get): the browser/PDF tests will"
    echo "      be skipped with that reason (they fail instead when CI=true)."
  fi
fi

.venv/bin/ruff check .
.venv/bin/ruff format --check .
exec .venv/bin/python -m pytest -q -rs "$@"
