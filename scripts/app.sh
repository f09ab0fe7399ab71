#!/usr/bin/env bash
# Install and run the app on the embedded dataset (the database builds itself on first start).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh -r requirements.txt
.venv/bin/python -m model build
exec .venv/bin/python -m streamlit run app.py "$@"
