"""`streamlit run app.py`, with the first page's groundwork done before the server answers.

Streamlit runs app.py only once a browser has loaded its JavaScript and connected; that first run
spent two to three seconds importing pandas, DuckDB and the model and reading the edition while
the user looked at an empty page. A background thread doing it while the browser loaded only
moved the wait (issue 20, item 24): the thread, the server handing out its scripts and Chromium
shared two cores, and the first number still came 4 s after the health check. So this does the
work first, in about a second, and then starts the server: the libraries and model modules the
overview imports, the message catalogues and number formats, and every edition of the reference
database. The server then answers its health check about a second later than a bare `streamlit
run`, and the first page's run takes a third of a second instead of two. Sessions share nothing
with it but Python's module and function caches. It only reads: a missing or stale reference
database is left to the first page (which builds it under its spinner), and the user store,
which the secrets may point to PostgreSQL, is never opened here.

    .venv/bin/python scripts/serve.py [streamlit run options]   # what scripts/app.sh runs
"""

from __future__ import annotations

import importlib
import logging
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# What the overview's first run imports that takes time (python -X importtime): the libraries,
# then the model's modules, which pull in the rest of the model they need.
LIBRARIES = (
    "numpy",
    "pandas",
    "duckdb",
    "pandas.io.formats.style",  # the overview's tables (pandas Styler, jinja2)
    "plotly.graph_objects",
    "streamlit.emojis",  # read by Streamlit on the first segmented control
)
MODULES = (
    "model.official.edition",
    "model.api",
    "model.profile",
    "model.merge",
    "model.plan",
    "model.estimates.quality.intervals",
    "model.estimates.quality.marks",
    "model.password",  # app.py's access check
)


def warm() -> None:
    """Import what the first page needs and read the reference editions (read-only)."""
    for name in (*LIBRARIES, *MODULES):
        importlib.import_module(name)
    from model import fmt, i18n
    from model.estimates import build
    from model.official import store

    for lang in i18n.LANGS:
        i18n.catalogue(lang)
        fmt.number(1234.5, lang)  # Babel's locale data, read on first use
    if build.is_stale():
        return  # the first page builds it, under its spinner
    for year in store.editions():
        store.reference_edition(year)


def _warm_quietly() -> None:
    try:
        warm()
    except Exception:  # noqa: BLE001 - a failed warm-up only leaves the work to the first page
        logging.getLogger("pii.serve").warning("warm-up failed", exc_info=True)


def main(argv: list[str]) -> None:
    sys.path.insert(0, str(ROOT))
    _warm_quietly()
    from streamlit.web import cli

    sys.argv = ["streamlit", "run", str(ROOT / "app.py"), *argv]
    cli.main(prog_name="streamlit")


if __name__ == "__main__":
    main(sys.argv[1:])
