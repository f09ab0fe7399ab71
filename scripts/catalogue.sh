#!/usr/bin/env bash
# The translator's loop (Babel's own commands; babel.cfg says what is read):
#   bash scripts/catalogue.sh extract   # code -> locales/messages.pot (every message id)
#   bash scripts/catalogue.sh update    # the template -> locales/{vi,en}/.../messages.po
#                                       #   (new ids appear empty: fill them in both languages)
# tests/test_catalogue.py fails while an id is missing, empty or fuzzy in either language.
set -euo pipefail
cd "$(dirname "$0")/.."
PYBABEL=".venv/bin/pybabel"
case "${1:-}" in
  extract)
    PYTHONPATH=. "$PYBABEL" extract -F babel.cfg --sort-by-file --omit-header --width=100 \
      -o locales/messages.pot . ;;
  update)
    "$PYBABEL" update -i locales/messages.pot -d locales -D messages --width=100 \
      --no-fuzzy-matching --ignore-obsolete ;;
  *) echo "usage: catalogue.sh extract | update" >&2; exit 2 ;;
esac
