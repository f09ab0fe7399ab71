"""Figures for a scenario's result: pure builders (data -> plotly Figure), no streamlit."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go

BLUE, ORANGE, GREY, GREEN, RED = "#0b5cad", "#e07b00", "#9aa5b1", "#1b7f3b", "#b42318"
FONT = {"size": 16}


def separators(lang: str) -> str:
    """Plotly's decimal and thousands separators for the language (vi: 46,51)."""
    return ",." if lang == "vi" else ".,"


def _layout(fig: go.Figure, height: int, lang: str = "vi") -> go.Figure:
    fig.update_layout(
        separators=separators(lang),
        height=height,
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        font=FONT,
        plot_bgcolor="white",
        legend={"orientation": "h", "y": 1.12, "x": 0},
    )
    return fig


def pillars_before_after(
    names: Sequence[str],
    before: Sequence[float],
    after: Sequence[float],
    labels: tuple[str, str],
    fmt=lambda v: f"{v:.2f}",
    lang: str = "vi",
) -> go.Figure:
    fig = go.Figure()
    fig.add_bar(
        y=list(names),
        x=list(before),
        name=labels[0],
        orientation="h",
        marker_color=GREY,
        text=[fmt(v) for v in before],
        textposition="outside",
    )
    fig.add_bar(
        y=list(names),
        x=list(after),
        name=labels[1],
        orientation="h",
        marker_color=BLUE,
        text=[fmt(v) for v in after],
        textposition="outside",
    )
    fig.update_layout(
        barmode="group",
        yaxis={"autorange": "reversed"},
        xaxis={"range": [0, 105], "showgrid": True, "gridcolor": "#e5e7eb"},
    )
    return _layout(fig, 90 + 58 * len(names), lang)


def contribution_waterfall(
    contrib: pd.DataFrame,
    base: float,
    total_label: str,
    base_label: str,
    fmt=lambda v: f"{v:+.2f}",
    lang: str = "vi",
) -> go.Figure:
    """Waterfall from the baseline PII through each changed indicator to the scenario PII.

    contrib: columns label, delta_pii (exact under arithmetic means: they sum to the change).
    """
    xs = [base_label, *contrib["label"], total_label]
    ys = [base, *contrib["delta_pii"], 0]
    measure = ["absolute", *(["relative"] * len(contrib)), "total"]
    text = [
        fmt(base).lstrip("+"),
        *(fmt(v) for v in contrib["delta_pii"]),
        fmt(base + contrib["delta_pii"].sum()).lstrip("+"),
    ]
    fig = go.Figure(
        go.Waterfall(
            x=xs,
            y=ys,
            measure=measure,
            text=text,
            textposition="outside",
            increasing={"marker": {"color": GREEN}},
            decreasing={"marker": {"color": RED}},
            totals={"marker": {"color": BLUE}},
            connector={"line": {"color": GREY}},
        )
    )
    lo = min(base, base + contrib["delta_pii"].cumsum().min() if len(contrib) else base)
    hi = max(base, base + contrib["delta_pii"].cumsum().max() if len(contrib) else base)
    pad = max(0.5, (hi - lo) * 0.25)
    fig.update_layout(yaxis={"range": [lo - pad, hi + pad]}, showlegend=False)
    return _layout(fig, 380, lang)
