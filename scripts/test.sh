#!/usr/bin/env bash
# Install everything the tests need (Python packages; Debian's chromium for browser tests and
# postgresql for the store tests, which start a throwaway server via scripts/postgres.sh)
# and run every test: lint, model, golden, AppTest, browser, store on DuckDB and PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh -r requirements-dev.txt
if ! command -v chromium >/dev/null 2>&1; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  echo "test.sh: installing Debian's chromium for the browser tests …" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi
if ! command -v initdb >/dev/null 2>&1 && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  echo "test.sh: installing Debian's postgresql for the store tests …" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql >/dev/null
fi
.venv/bin/python -m ruff check .
.venv/bin/python -m ruff format --check .
# Every core (pytest-xdist; a test module stays on one worker, so the browser tests' server and
# Chromium start once per module); each worker has its own temporary data folder, database,
# workspace and PostgreSQL server. --durations (pytest.ini) prints the slowest tests at the end.
.venv/bin/python -m pytest -q -n "${PII_TEST_WORKERS:-auto}" --dist loadscope "$@"
