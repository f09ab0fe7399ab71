"""Plotly figure dicts of the budget page: the marginal PII per lever and the path to the horizon.

Pure builders (no streamlit): every label arrives already in the screen's language.
"""

from __future__ import annotations

from collections.abc import Sequence

from model import fmt
from model.budget import BudgetPath
from ui.charts import BLUE, DARK, GREY, GRID, ORANGE, separators


def marginal_bars(labels: Sequence[str], values: Sequence[float], lang: str) -> dict:
    """Horizontal bars, highest first: PII gained per extra billion VND on each lever."""
    return {
        "data": [
            {
                "type": "bar",
                "orientation": "h",
                "y": list(labels),
                "x": list(values),
                "marker": {"color": BLUE},
                "text": [fmt.number(v, lang, 3) for v in values],
                "textposition": "outside",
                "cliponaxis": False,
            }
        ],
        "layout": {
            "height": 60 + 32 * len(values),
            "separators": separators(lang),
            "margin": {"l": 10, "r": 40, "t": 10, "b": 10},
            "font": {"size": 14, "color": DARK},
            "yaxis": {"autorange": "reversed", "automargin": True},
            "plot_bgcolor": "white",
            "xaxis": {"tickformat": ".3f", "nticks": 4},
        },
    }


def path_lines(
    route: BudgetPath,
    equal_route: BudgetPath,
    plan_pii: float | None,
    lang: str,
    names: dict[str, str],
    one_year: float | None = None,
) -> dict:
    """PII year by year, optimised (ranks as labels) against an equal split; a dotted line at the
    plan's PII; a diamond at the first year for `one_year`, the most PII for that year alone.
    names: "optimal", "equal", "year", "one_year" in the screen's language."""
    years = [y.year for y in route.years]
    fig = {
        "data": [
            {
                "type": "scatter",
                "mode": "lines+markers+text",
                "name": names["optimal"],
                "x": years,
                "y": [y.pii for y in route.years],
                "line": {"color": BLUE, "width": 3},
                "text": [f"#{y.rank}" for y in route.years],
                "textposition": "top center",
                "cliponaxis": False,
            },
            {
                "type": "scatter",
                "mode": "lines+markers",
                "name": names["equal"],
                "x": years,
                "y": [y.pii for y in equal_route.years],
                "line": {"color": GREY, "dash": "dash"},
            },
        ],
        "layout": {
            "height": 360,
            "separators": separators(lang),
            "font": {"size": 15, "color": DARK},
            "margin": {"l": 10, "r": 10, "t": 30, "b": 10},
            "plot_bgcolor": "white",
            "legend": {"orientation": "h", "y": 1.15},
            "xaxis": {"dtick": 1, "title": {"text": names["year"]}},
            "yaxis": {"title": {"text": "PII"}, "gridcolor": GRID},
        },
    }
    if one_year is not None and years:
        fig["data"].append(
            {
                "type": "scatter",
                "mode": "markers",
                "name": names["one_year"],
                "x": years[:1],
                "y": [one_year],
                "marker": {
                    "color": DARK,
                    "symbol": "diamond-open",
                    "size": 13,
                    "line": {"width": 2},
                },
            }
        )
    if plan_pii is not None:
        fig["layout"]["shapes"] = [
            {
                "type": "line",
                "xref": "paper",
                "x0": 0,
                "x1": 1,
                "y0": plan_pii,
                "y1": plan_pii,
                "line": {"color": ORANGE, "dash": "dot"},
            }
        ]
    return fig
