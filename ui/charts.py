"""Figures for a scenario's result: pure builders (data -> plotly figure spec), no streamlit.

They return plain plotly figure dicts rather than go.Figure objects: the scenario page redraws
them on every slider move, and building validated graph objects costs tens of milliseconds.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pandas as pd

# The app's chart palette (ui.figures uses it too). Every mark has at least 3:1 contrast on a
# white plot and text at least 4.5:1 (WCAG AA; tests/test_access.py computes the ratios), and
# the hues stay apart for colour-blind readers and on a washed-out projector.
BLUE, GREY, GREEN, RED = "#0b5cad", "#7b8794", "#1b7f3b", "#b42318"
ORANGE, DARK, GRID = "#c86400", "#111827", "#e5e7eb"
FONT = {"size": 16, "color": DARK}
# Axis labels set on every axis: Streamlit's chart theme otherwise draws them small and grey
# (12 px, #808495: hard to read on a projector). Explicit values win over its template.
AXIS_FONT = {"size": 15, "color": DARK}
AXIS = {"tickfont": AXIS_FONT, "title": {"font": AXIS_FONT}, "color": DARK}


def axes(layout: dict) -> dict:
    """`layout` with both axes' labels large and dark (a chart's own axis settings kept)."""
    for name in ("xaxis", "yaxis"):
        own = dict(layout.get(name) or {})
        title = own.get("title")
        if isinstance(title, dict):
            own["title"] = {"font": AXIS_FONT, **title}
        layout[name] = {**AXIS, **own}
    return layout


Fmt = Callable[[float], str]


def separators(lang: str) -> str:
    """Plotly's decimal and thousands separators for the language (vi: 46,51)."""
    return ",." if lang == "vi" else ".,"


def _layout(height: int, lang: str, **extra: object) -> dict:
    return axes(
        {
            "separators": separators(lang),
            "height": height,
            "margin": {"l": 10, "r": 10, "t": 30, "b": 10},
            "font": FONT,
            "plot_bgcolor": "white",
            "legend": {"orientation": "h", "y": 1.12, "x": 0},
            **extra,
        }
    )


def pillars_before_after(
    names: Sequence[str],
    before: Sequence[float],
    after: Sequence[float],
    labels: tuple[str, str],
    fmt: Fmt = lambda v: f"{v:.2f}",
    lang: str = "vi",
) -> dict:
    def bars(values: Sequence[float], name: str, color: str) -> dict:
        return {
            "type": "bar",
            "orientation": "h",
            "y": list(names),
            "x": [float(v) for v in values],
            "name": name,
            "marker": {"color": color},
            "text": [fmt(v) for v in values],
            "textposition": "outside",
            "cliponaxis": False,
        }

    return {
        "data": [bars(before, labels[0], GREY), bars(after, labels[1], BLUE)],
        "layout": _layout(
            90 + 58 * len(names),
            lang,
            barmode="group",
            yaxis={"autorange": "reversed", "automargin": True},
            xaxis={"range": [0, 108], "showgrid": True, "gridcolor": GRID},
        ),
    }


WATERFALL_BARS = 8  # indicators drawn one by one; the rest share a bar (labels stay >= 12 px)
LABEL_PX = 13  # value labels; plotly may not shrink them below MIN_LABEL_PX to fit a bar
MIN_LABEL_PX = 12


def contribution_waterfall(
    contrib: pd.DataFrame,
    base: float,
    total_label: str,
    base_label: str,
    fmt: Fmt = lambda v: f"{v:+.2f}",
    lang: str = "vi",
    others_label: Callable[[int], str] = lambda n: f"+{n}",
    bars: int = WATERFALL_BARS,
) -> dict:
    """Waterfall from the baseline PII through each changed indicator to the scenario PII.

    contrib: columns label, delta_pii (exact under arithmetic means: they sum to the change),
    largest first. Beyond `bars` rows the rest are summed into one bar, `others_label(n)`:
    on a half-width chart at 1280 px the whole 17-indicator plan left ~20 px per bar.
    """
    labels = [str(v) for v in contrib["label"]]
    deltas = [float(v) for v in contrib["delta_pii"]]
    total = base + sum(deltas)
    if len(deltas) > bars + 1:
        rest = len(deltas) - bars
        labels = [*labels[:bars], others_label(rest)]
        deltas = [*deltas[:bars], sum(deltas[bars:])]
    path = [base]
    for d in deltas:
        path.append(path[-1] + d)
    pad = max(0.5, (max(path) - min(path)) * 0.25)
    trace = {
        "type": "waterfall",
        "x": [base_label, *labels, total_label],
        "y": [base, *deltas, 0],
        "measure": ["absolute", *(["relative"] * len(deltas)), "total"],
        "text": [fmt(base).lstrip("+"), *(fmt(v) for v in deltas), fmt(total).lstrip("+")],
        "textposition": "outside",
        "textfont": {"size": LABEL_PX, "color": DARK},
        "cliponaxis": False,
        "increasing": {"marker": {"color": GREEN}},
        "decreasing": {"marker": {"color": RED}},
        "totals": {"marker": {"color": BLUE}},
        "connector": {"line": {"color": GREY}},
    }
    return {
        "data": [trace],
        "layout": _layout(
            380,
            lang,
            showlegend=False,
            yaxis={"range": [min(path) - pad, max(path) + pad]},
            uniformtext={"minsize": MIN_LABEL_PX, "mode": "show"},
        ),
    }


def movers_tornado(
    labels: Sequence[str],
    values: Sequence[float],
    in_plan: Sequence[bool],
    hover: Sequence[str],
    fmt: Fmt = lambda v: f"{v:+.2f}",
    lang: str = "vi",
) -> dict:
    """Horizontal bars of each indicator's PII gain, largest on top; the plan's in orange."""
    return {
        "data": [
            {
                "type": "bar",
                "orientation": "h",
                "y": list(labels),
                "x": [float(v) for v in values],
                "marker": {"color": [ORANGE if p else BLUE for p in in_plan]},
                "text": [fmt(v) for v in values],
                "textposition": "outside",
                "cliponaxis": False,
                "hovertext": list(hover),
                "hoverinfo": "x+y+text",
            }
        ],
        "layout": axes(
            {
                "height": 80 + 30 * len(labels),
                "separators": separators(lang),
                "font": {"size": 14, "color": DARK},
                "margin": {"l": 10, "r": 50, "t": 10, "b": 10},
                "plot_bgcolor": "white",
                "yaxis": {"autorange": "reversed", "automargin": True},
                "xaxis": {"gridcolor": GRID},
            }
        ),
    }
