#!/usr/bin/env bash
# Install and run the app on the embedded dataset. Requirements are installed only when they
# changed (scripts/setup.sh keeps a stamp); the database builds itself on the first page load
# when it is missing or older than its sources (model.build.ensure_built), so a second start
# goes straight to Streamlit.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh -r requirements.txt
# `streamlit run app.py`, with the first page's imports and data read while the browser loads.
exec .venv/bin/python scripts/serve.py "$@"
