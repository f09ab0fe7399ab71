"""Overview figures and the small table reductions they need: pure functions, no streamlit.

Every builder takes plain data (the model's `ranking_table`, an edition's `units` table, the
published results) plus the labels to print, already in the reader's language, and returns a
DataFrame or a `go.Figure`. Numbers inside figures follow the reader's language through plotly's
`separators` (",." for Vietnamese: 46,51; ".," for English: 46.51).

Nothing here computes the index: the reductions are medians, maxima, row look-ups and the
output/input ratio of numbers the engine already produced.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence

import pandas as pd
import plotly.graph_objects as go

# One palette (ui.charts): colour-blind safe, 3:1 marks and 4.5:1 text on white.
from ui.charts import AXIS_FONT, BLUE, DARK, GREY, ORANGE
from ui.widgets import fold, matches

PILLAR_COLS: tuple[str, ...] = ("p1", "p2", "p3", "p4", "p5", "p6", "p7")

VERMILION = "#c0392b"
FONT = {"size": 16, "color": DARK}
# Sequential, colour-blind safe (viridis family) but without its faint yellow end, which
# disappears on a projector: dark blue (low) -> teal -> green (high).
SCORE_SCALE: list[list[float | str]] = [
    [0.0, "#440154"],
    [0.25, "#3b528b"],
    [0.5, "#21918c"],
    [0.75, "#35b779"],
    [1.0, "#90d743"],
]
REGION_SYMBOLS: tuple[str, ...] = (
    "circle",
    "square",
    "diamond",
    "triangle-up",
    "pentagon",
    "hexagon",
    "star",
    "cross",
)
# The same shapes as text, so a table can serve as the map's legend.
REGION_GLYPHS: tuple[str, ...] = ("●", "■", "◆", "▲", "⬟", "⬢", "★", "✚")


def region_glyphs(region_order: Sequence[str]) -> dict[str, str]:
    """Region code -> the text glyph of its marker shape in `bubble_map`."""
    return {r: REGION_GLYPHS[k % len(REGION_GLYPHS)] for k, r in enumerate(region_order)}


def separators(lang: str) -> str:
    """Plotly's decimal and thousands separators for a language (vi: 46,51; en: 46.51)."""
    return ",." if lang == "vi" else ".,"


def efficiency(output: float, input_: float) -> float:
    """Output/input ratio (GII 'efficiency ratio'); NaN when the input is not positive."""
    if input_ is None or output is None or not input_ > 0:
        return math.nan
    return float(output) / float(input_)


def search(
    table: pd.DataFrame, query: str, cols: Sequence[str] = ("name_vi", "name_en")
) -> pd.DataFrame:
    """Rows whose name (any language, accents optional) matches `query` as the sidebar's
    province search does (ui.widgets.matches: every word starts a word of the name)."""
    if not fold(query or "").split():
        return table
    names = table[list(cols)].astype(str).to_numpy()
    return table[[matches(query, *row) for row in names]]


def wrap(text: str, width: int = 26) -> str:
    """Break a long label into lines of about `width` characters (plotly uses <br>)."""
    words, lines, line = str(text).split(), [], ""
    for w in words:
        if line and len(line) + 1 + len(w) > width:
            lines.append(line)
            line = w
        else:
            line = f"{line} {w}".strip()
    if line:
        lines.append(line)
    return "<br>".join(lines)


# --- reductions of the ranking table ------------------------------------------------------


def region_best(table: pd.DataFrame, unit: str) -> tuple[str | None, bool]:
    """The best-ranked *other* unit of `unit`'s region, and whether `unit` itself leads it.

    When the unit leads its region, the comparison is with the region's runner-up.
    """
    region = table.loc[table["unit"] == unit, "region"].iloc[0]
    same = table[table["region"] == region].sort_values(["rank", "unit"])
    leads = same.iloc[0]["unit"] == unit
    others = same[same["unit"] != unit]
    return (None if others.empty else str(others.iloc[0]["unit"])), bool(leads)


def pillar_comparison(
    table: pd.DataFrame, unit: str, pillar_names: Mapping[str, str]
) -> pd.DataFrame:
    """One row per pillar: the unit's score, the national median, the region benchmark.

    Columns: pillar ("1".."7"), name, unit, median, best (NaN when the region has no other
    unit). `pillar_names` maps "1".."7" to names in the reader's language.
    """
    me = table.loc[table["unit"] == unit].iloc[0]
    best_slug, _x = region_best(table, unit)
    best = table.loc[table["unit"] == best_slug].iloc[0] if best_slug else None
    rows = []
    for col in PILLAR_COLS:
        p = col[1:]
        rows.append(
            {
                "pillar": p,
                "name": pillar_names.get(p, p),
                "unit": float(me[col]),
                "median": float(table[col].median()),
                "best": float(best[col]) if best is not None else math.nan,
            }
        )
    return pd.DataFrame(rows)


def neighbours(table: pd.DataFrame, unit: str, k: int = 2) -> pd.DataFrame:
    """The `k` units just above and below `unit` in the ranking, with the gap in points.

    `gap` is the neighbour's PII minus the unit's (positive: the neighbour is ahead).
    Columns: rank, unit, name_vi, name_en, pii, gap, is_unit.
    """
    t = table.sort_values(["rank", "unit"]).reset_index(drop=True)
    pos = int(t.index[t["unit"] == unit][0])
    part = t.iloc[max(0, pos - k) : pos + k + 1].copy()
    mine = float(t.loc[pos, "pii"])
    part["gap"] = part["pii"] - mine
    part["is_unit"] = part["unit"] == unit
    return part[["rank", "unit", "name_vi", "name_en", "pii", "gap", "is_unit"]].reset_index(
        drop=True
    )


def region_summary(
    table: pd.DataFrame, region_names: Mapping[str, str], lang: str = "vi"
) -> pd.DataFrame:
    """One row per region, in `region_names` order: its number of units, its leader (best
    rank) with the leader's PII, and the region's median PII.

    Columns: region, region_name, n, leader, leader_pii, median.
    """
    rows = []
    order = list(region_names) + sorted(set(table["region"]) - set(region_names))
    for code in order:
        part = table[table["region"] == code].sort_values(["rank", "unit"])
        if part.empty:
            continue
        top = part.iloc[0]
        rows.append(
            {
                "region": code,
                "region_name": region_names.get(code, code),
                "n": len(part),
                "leader": str(top.get(f"name_{lang}", top["name_vi"])),
                "leader_pii": float(top["pii"]),
                "median": float(part["pii"].median()),
            }
        )
    return pd.DataFrame(rows)


def published_facts(published: pd.DataFrame, unit: str) -> dict[str, dict]:
    """The unit's published results usable as facts (use_as_constraint = yes).

    Returns {"pii": {...}, "input": {...}, "output": {...}, "pillar:1": {...}, ...}, each with
    value (float or None), rank (int or None) and sources (list of URLs). Conflicting or
    inferred reports are left out: they are not facts.
    """
    if published is None or published.empty:
        return {}
    rows = published[
        (published["unit"] == unit)
        & (published["stat"] == "value")
        & (published["use_as_constraint"] == "yes")
        & published["level"].isin(["pii", "input", "output", "pillar"])
    ]
    out: dict[str, dict] = {}
    for _x, r in rows.iterrows():
        key = r["level"] if r["level"] != "pillar" else f"pillar:{r['item']}"
        value = None if pd.isna(r["value"]) else float(r["value"])
        rank = None if pd.isna(r["rank"]) else int(r["rank"])
        if value is None and rank is None:
            continue
        out[key] = {"value": value, "rank": rank, "sources": split_sources(r["source"])}
    return _with_derived_pii(out)


def _with_derived_pii(facts: dict[str, dict]) -> dict[str, dict]:
    """A PII fixed by a published input and output (their mean, by the framework) counts as
    published, marked `derived` (Tây Ninh 2023: input 36.18, output 33.60)."""
    i, o = facts.get("input"), facts.get("output")
    pii = facts.get("pii") or {"value": None, "rank": None, "sources": []}
    if pii["value"] is None and i and o and i["value"] is not None and o["value"] is not None:
        sources = list(dict.fromkeys(pii["sources"] + i["sources"] + o["sources"]))
        value = (i["value"] + o["value"]) / 2
        facts["pii"] = {**pii, "value": value, "sources": sources, "derived": True}
    return facts


def published_units(published: pd.DataFrame) -> dict[str, float]:
    """Units whose PII was published (and is used as a fact), or is fixed by a published
    input and output -> that value."""
    if published is None or published.empty:
        return {}
    rows = published[
        published["level"].isin(["pii", "input", "output"])
        & (published["stat"] == "value")
        & (published["use_as_constraint"] == "yes")
        & published["value"].notna()
    ]
    out = {}
    for unit, g in rows.groupby("unit"):
        v = dict(zip(g["level"], g["value"].astype(float), strict=True))
        if "pii" in v:
            out[str(unit)] = v["pii"]
        elif {"input", "output"} <= set(v):  # fixed by them: see _with_derived_pii
            out[str(unit)] = (v["input"] + v["output"]) / 2
    return out


def split_sources(text: object) -> list[str]:
    """The URLs of a `source` cell ("url ; url"), in order, without notes that are not links."""
    if not isinstance(text, str):
        return []
    return [s.strip() for s in text.split(";") if s.strip().startswith("http")]


# --- figures ------------------------------------------------------------------------------


def _layout(fig: go.Figure, height: int, lang: str) -> go.Figure:
    fig.update_layout(
        height=height,
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
        font=FONT,
        separators=separators(lang),
        plot_bgcolor="white",
        paper_bgcolor="white",
        hoverlabel={"font": {"size": 16}},
    )
    # Streamlit's theme draws axis labels small and grey: large and dark instead (ui.charts).
    fig.update_xaxes(tickfont=AXIS_FONT, title_font=AXIS_FONT, color=DARK)
    fig.update_yaxes(tickfont=AXIS_FONT, title_font=AXIS_FONT, color=DARK)
    return fig


def pillar_bars(
    data: pd.DataFrame,
    labels: Mapping[str, str],
    lang: str = "vi",
    fmt: Callable[[float], str] = lambda v: f"{v:.2f}",
) -> go.Figure:
    """Grouped horizontal bars: the unit, the national median and the region benchmark.

    data: the output of `pillar_comparison`. labels: "unit", "median", "best" (legend names;
    "best" may be empty when there is no benchmark), "axis" (x-axis title).
    """
    names = [wrap(f"{p}. {n}") for p, n in zip(data["pillar"], data["name"], strict=True)]
    fig = go.Figure()
    series = [
        ("unit", labels["unit"], BLUE, True),
        ("median", labels["median"], GREY, False),
        ("best", labels.get("best") or "", ORANGE, False),
    ]
    for col, name, colour, show_text in series:
        if col == "best" and (not name or data["best"].isna().all()):
            continue
        fig.add_bar(
            y=names,
            x=data[col].tolist(),
            name=name,
            orientation="h",
            marker_color=colour,
            text=[fmt(v) for v in data[col]] if show_text else None,
            textposition="outside" if show_text else None,
            textfont={"size": 15, "color": DARK},
            cliponaxis=False,
            hovertemplate="%{y}<br>" + name + ": <b>%{x:.2f}</b><extra></extra>",
        )
    fig.update_layout(
        barmode="group",
        uniformtext={"minsize": 14, "mode": "show"},
        bargap=0.22,
        bargroupgap=0.05,
        yaxis={"autorange": "reversed", "tickfont": {"size": 15, "color": DARK}},
        xaxis={
            "range": [0, 105],
            "showgrid": True,
            "gridcolor": "#e5e7eb",
            "title": {"text": labels.get("axis", ""), "font": {"size": 14, "color": DARK}},
            "tickfont": {"size": 14, "color": DARK},
        },
        legend={
            "orientation": "h",
            "yanchor": "bottom",
            "y": 1.0,
            "x": 0,
            "font": {"size": 15, "color": DARK},
        },
    )
    return _layout(fig, 110 + 72 * len(data), lang)


def bubble_map_data(
    table: pd.DataFrame,
    units: pd.DataFrame,
    region_names: Mapping[str, str],
    lang: str = "vi",
) -> pd.DataFrame:
    """Ranking rows with their coordinates and names in the reader's language.

    Columns: unit, name, region, region_name, pii, rank, lat, lon. Units without
    coordinates are dropped (none are expected).
    """
    coords = units[["slug", "lat", "lon"]].rename(columns={"slug": "unit"})
    df = table.merge(coords, on="unit", how="left")
    df["name"] = df[f"name_{lang}"] if f"name_{lang}" in df else df["name_vi"]
    df["region_name"] = df["region"].map(lambda r: region_names.get(r, r))
    df = df.dropna(subset=["lat", "lon"])
    return df[["unit", "name", "region", "region_name", "pii", "rank", "lat", "lon"]].reset_index(
        drop=True
    )


def bubble_map(
    data: pd.DataFrame,
    selected: str,
    labels: Mapping[str, str],
    region_order: Sequence[str] | None = None,
    lang: str = "vi",
) -> go.Figure:
    """All units placed by latitude/longitude, without map tiles (works offline).

    Colour and size both show the PII (a colour-blind safe sequential scale, and size for a
    grey-scale projector); each region has its own marker shape and legend entry (click to
    hide a region); the selected unit is ringed and named. labels: "score" (colour bar title),
    "rank" (hover), "region" (hover), "selected" (legend name of the ring), "n" (units count for
    "11/63" in hover).
    """
    fig = go.Figure()
    lo, hi = float(data["pii"].min()), float(data["pii"].max())
    span = hi - lo if hi > lo else 1.0
    n = labels.get("n") or str(len(data))
    regions = list(region_order or sorted(data["region"].unique()))
    regions += [r for r in data["region"].unique() if r not in regions]
    hover = (
        "<b>%{customdata[0]}</b><br>"
        + labels.get("score", "PII")
        + ": %{customdata[1]:.2f}<br>"
        + labels.get("rank", "Rank")
        + ": %{customdata[2]}/"
        + n
        + "<br>%{customdata[3]}<extra></extra>"
    )
    for k, region in enumerate(regions):
        part = data[data["region"] == region]
        if part.empty:
            continue
        fig.add_scatter(
            x=part["lon"].tolist(),
            y=part["lat"].tolist(),
            mode="markers",
            name=str(part["region_name"].iloc[0]),
            legendgroup=region,
            showlegend=False,
            marker={
                "symbol": REGION_SYMBOLS[k % len(REGION_SYMBOLS)],
                "color": part["pii"].tolist(),
                "coloraxis": "coloraxis",
                "size": [10 + 12 * (v - lo) / span for v in part["pii"]],
                # A dark rim: the light (high-score) end of the scale keeps 3:1 on the map.
                "line": {"width": 1, "color": "#4b5563"},
                "opacity": 0.95,
            },
            customdata=list(
                zip(part["name"], part["pii"], part["rank"], part["region_name"], strict=True)
            ),
            hovertemplate=hover,
        )
        # Legend entry in neutral grey: the fill colour belongs to the score, not the region.
        fig.add_scatter(
            x=[None],
            y=[None],
            mode="markers",
            name=str(part["region_name"].iloc[0]),
            legendgroup=region,
            marker={
                "symbol": REGION_SYMBOLS[k % len(REGION_SYMBOLS)],
                "size": 13,
                "color": "#4b5563",
            },
            hoverinfo="skip",
        )
    me = data[data["unit"] == selected]
    if not me.empty:
        fig.add_scatter(
            x=me["lon"].tolist(),
            y=me["lat"].tolist(),
            mode="markers",
            name=labels.get("selected", str(me["name"].iloc[0])),
            marker={
                "symbol": "circle-open",
                "size": 40,
                "color": VERMILION,
                "line": {"width": 4, "color": VERMILION},
            },
            customdata=list(zip(me["name"], me["pii"], me["rank"], me["region_name"], strict=True)),
            hovertemplate=hover,
        )
        # The name on a white label beside the ring, readable over a crowded cluster.
        fig.add_annotation(
            x=float(me["lon"].iloc[0]),
            y=float(me["lat"].iloc[0]),
            text=f"<b>{me['name'].iloc[0]}</b>",
            showarrow=True,
            arrowcolor=VERMILION,
            arrowwidth=2,
            ax=70,
            ay=-40,
            font={"size": 17, "color": DARK},
            bgcolor="rgba(255,255,255,0.92)",
            bordercolor=VERMILION,
            borderwidth=2,
            borderpad=4,
        )
    mid_lat = float(data["lat"].mean()) if len(data) else 16.0
    fig.update_layout(
        coloraxis={
            "colorscale": SCORE_SCALE,
            "cmin": lo,
            "cmax": hi,
            "colorbar": {
                "title": {"text": labels.get("score", "PII"), "font": {"size": 15, "color": DARK}},
                "tickfont": {"size": 14, "color": DARK},
                "thickness": 16,
                "len": 0.5,
                "x": 0.99,
                "xanchor": "right",
                "y": 0.98,
                "yanchor": "top",
            },
        },
        # Vietnam spans about 102-109.5 E; the room east of it (the sea) holds the colour bar.
        xaxis={"visible": False, "range": [101.8, 112.0], "fixedrange": True},
        yaxis={
            "visible": False,
            "scaleanchor": "x",
            "scaleratio": 1 / math.cos(math.radians(mid_lat)),  # degrees of longitude shrink
            "range": [8.3, 23.6],
            "fixedrange": True,
        },
        legend={
            "orientation": "h",
            "x": 0,
            "xanchor": "left",
            "y": -0.01,
            "yanchor": "top",
            "font": {"size": 14, "color": DARK},
            "itemsizing": "constant",
        },
    )
    _layout(fig, 860, lang)
    fig.update_layout(plot_bgcolor="#f5f7fa", margin={"l": 0, "r": 0, "t": 10, "b": 130})
    return fig
