#!/usr/bin/env bash
# Create .venv (Python 3.11) and install the pinned requirements given as arguments, unless the
# same requirements were installed already (a stamp of their contents and of the interpreter).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=$(command -v python3.11 || command -v python3)
if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv with $("$PY" --version) …" >&2
  "$PY" -m venv .venv
fi
stamp=$( { .venv/bin/python --version; echo "$@"; cat requirements*.txt; } | sha256sum | cut -d' ' -f1)
case " $* " in *" -r requirements-dev.txt "*) kind=dev ;; *) kind=run ;; esac
file=".venv/.pii-requirements-$kind"
if [ -f "$file" ] && [ "$(cat "$file")" = "$stamp" ]; then
  exit 0
fi
# Say what the first start is doing: pip is quiet for the minute or two it takes.
echo "setup: installing the pinned Python packages ($*) into .venv; the first time takes 1–3 minutes …" >&2
.venv/bin/python -m pip install --quiet --disable-pip-version-check "$@"
echo "setup: packages ready." >&2
echo "$stamp" >"$file"
