"""Start the app: `python -m ui.launch [streamlit options]` = `streamlit run app.py`, warmed.

A cold server spends about two seconds in its first script run: importing pandas, plotly and
the model, checking and loading the data. Here that work runs in a background thread of the
server process as soon as the server is up, while the first browser is still loading
Streamlit's JavaScript, so the first page renders sooner. Everything warmed is a module import
or a process-wide cache (model.store's editions), shared by every session afterwards.
"""

from __future__ import annotations

import sys
import threading


def _warm() -> None:
    # Started with the server, not after it: the imports overlap the server's own start and
    # the browser's loading, which is what shortens the time to the first number on screen
    # (measured: waiting for the server first left the first run as slow as without warm-up).
    try:
        import plotly.graph_objects  # noqa: F401 - the import is the warm-up

        from model import api, fmt, store
        from model.build import ensure_built
        from ui import figures, frame, scenario_figures, widgets  # noqa: F401

        ensure_built()
        for year in store.editions():
            api.edition(year).baseline()
        fmt.number(46.51, "vi", 2)
    except Exception:  # noqa: BLE001 - a warm-up must never stop the server; the page reports
        return


def main(argv: list[str] | None = None) -> None:
    from streamlit.web import cli

    threading.Thread(target=_warm, name="pii-warm-up", daemon=True).start()
    sys.argv = ["streamlit", "run", "app.py", *(sys.argv[1:] if argv is None else argv)]
    cli.main()


if __name__ == "__main__":
    main()
