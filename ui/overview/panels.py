"""The Overview's sections: pillars against the country and the region, neighbours, strengths
and weaknesses, the national ranking and the map. Each takes the model's tables (profile,
ranking_table, published facts), computes what it shows and returns the function that draws it,
so the page can compute every section before it draws the first chart (see pages/overview.py);
the reductions live in ui.figures. Estimated values
carry their estimate range (model.estimates.quality.intervals through profile/ranking_table with `published`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import pandas as pd
import streamlit as st

from model.estimates.quality import intervals, marks
from model.index.dataset import Edition
from model.index.framework import PILLARS
from model.index.provenance import composite as prov_of
from ui import figures
from ui import loaders as data
from ui import provenance as prov
from ui.i18n import _, num
from ui.widgets import badge_md, chart, number_styler, prov_text, small_table, tag_md

Draw = Callable[[], None]  # draws a section computed beforehand


def pillars(
    ed: Edition,
    table: pd.DataFrame,
    profile: Mapping,
    facts: Mapping[str, dict],
    pillar_names: Mapping[str, str],
    lang: str,
) -> Draw:
    """The unit's pillars beside the national median and its region's leader (or runner-up);
    estimated pillars with their range in the table."""
    unit = profile["unit"]
    name = ed.name(unit, lang)
    comp = figures.pillar_comparison(table, unit, pillar_names)
    best_slug, leads = figures.region_best(table, unit)
    best_name = ed.name(best_slug, lang) if best_slug else ""
    best_label = (
        _("overview.legend_runner_up" if leads else "overview.legend_best", name=best_name)
        if best_slug
        else ""
    )
    fig = figures.pillar_bars(
        comp,
        {
            "unit": name,
            "median": _("overview.legend_median"),
            "best": best_label,
            "axis": _("overview.axis_score"),
        },
        lang=lang,
        fmt=lambda v: num(v, 2),
    )
    pillar_table = pd.DataFrame(
        {
            _("overview.col_pillar"): [
                f"{pl}. {nm}" for pl, nm in zip(comp["pillar"], comp["name"], strict=True)
            ],
            name: comp["unit"],
            _("overview.legend_median"): comp["median"],
        }
    )
    numeric = [name, _("overview.legend_median")]
    if best_slug:
        pillar_table[best_label] = comp["best"]
        numeric.append(best_label)
    published_col = [
        (
            num(fc["value"], 2)
            if fc["value"] is not None
            else _("overview.pub_rank", rank=fc["rank"])
        )
        if (fc := facts.get(f"pillar:{pl}"))
        else ""
        for pl in comp["pillar"]
    ]
    if any(published_col):
        pillar_table[_("overview.col_published")] = published_col
    ranges = dict(zip(PILLARS, prov.pillar_spans(profile), strict=True))
    if any(ranges.values()):
        pillar_table[_("common.col_range")] = [ranges.get(pl, "") for pl in comp["pillar"]]
    alt_values = "; ".join(
        _(
            "overview.pillars_alt_item",
            pillar=r.name,
            unit=name,
            v=num(r.unit, 2),
            median=num(r.median, 2),
            best=best_name,
            b=num(r.best, 2),
        )
        for r in comp.itertuples()
    )
    styled = number_styler(pillar_table, dict.fromkeys(numeric, 2))
    width = prov.pillar_half_width(profile)
    caption = _("overview.pillars_caption")
    if width is not None:
        caption += " " + _(
            "overview.pillars_interval_caption",
            width=num(width, 1),
            table=_("overview.table_view"),
        )

    def draw() -> None:
        st.subheader(_("overview.pillars_title"))
        chart(
            fig,
            alt=_("overview.pillars_alt", unit=name, best=best_name, values=alt_values),
            table=styled,
            table_label=_("overview.table_view"),
            key="overview_pillars",
        )
        st.caption(caption, help=_("common.interval_help") if width is not None else None)

    return draw


def neighbours(table: pd.DataFrame, unit: str, name: str, lang: str) -> Draw:
    """Two units above and two below, with the gap in points (and estimates' ranges)."""
    nb = figures.neighbours(table, unit, k=2)
    nb_view = pd.DataFrame(
        {
            _("overview.col_rank"): nb["rank"],
            _("overview.col_unit"): nb[f"name_{lang}"],
            _("common.pii"): nb["pii"],
            _("overview.col_gap"): nb["gap"].where(~nb["is_unit"]),  # blank on the unit's own row
        }
    )
    ranges = _pii_spans(table, nb["unit"], glue=True)
    if any(ranges):
        nb_view[_("common.col_range")] = ranges
    styled = number_styler(
        nb_view,
        {_("common.pii"): 2, _("overview.col_gap"): 2},
        signed=[_("overview.col_gap")],
        highlight=nb["is_unit"],
    )

    def draw() -> None:
        st.subheader(_("overview.neighbours_title"))
        small_table(styled)
        st.caption(_("overview.neighbours_caption", unit=name))

    return draw


def _indicator_table(profile: Mapping, codes: list[str], worst_first: bool, lang: str) -> Draw:
    if not codes:
        return lambda: st.write(_("overview.none"))
    by_code = {ind["code"]: ind for ind in profile["indicators"]}
    n = profile["n_units"]
    rows = sorted((by_code[c] for c in codes), key=lambda i: i["rank"], reverse=worst_first)
    df = pd.DataFrame(
        {
            _("overview.col_code"): [i["code"] for i in rows],
            _("overview.col_indicator"): [i[f"name_{lang}"] for i in rows],
            _("overview.col_score"): [i["score"] for i in rows],
            _("overview.col_rank"): [f"{i['rank']}/{n}" for i in rows],
            _("overview.col_prov"): [badge_md(i["provenance"]) for i in rows],
            _("overview.col_note"): [
                tag_md(_("common.framework_provisional"), "violet")
                if i["framework_status"] == "provisional"
                else ""
                for i in rows
            ],
        }
    )
    styled = number_styler(df, {_("overview.col_score"): 2})
    return lambda: small_table(styled)


def strengths_weaknesses(profile: Mapping, lang: str) -> Draw:
    """The unit's strongest and weakest indicators, each with its provenance."""
    # An estimated indicator is listed only where its interval supports it (issue 22).
    strong, weak, estimated = marks.supported(
        profile, intervals.default_widths().below("indicator")
    )
    strong_table = _indicator_table(profile, strong, worst_first=False, lang=lang)
    weak_table = _indicator_table(profile, weak, worst_first=True, lang=lang)

    def draw() -> None:
        st.subheader(_("overview.sw_title"))
        st.markdown(f"#### {_('overview.strengths')} ({len(strong)})")
        strong_table()
        st.markdown(f"#### {_('overview.weaknesses')} ({len(weak)})")
        weak_table()
        st.caption(_("overview.sw_caption"))
        if estimated:
            with st.container(key="sw_estimated_note"):
                st.caption(_("reconstruct.sw_note"))

    return draw


def _pii_spans(table: pd.DataFrame, units: pd.Series, glue: bool = False) -> list[str]:
    """The estimate range of each unit's PII ("" where published or without intervals);
    `glue` for static tables, whose cells wrap."""
    if "pii_low" not in table.columns:
        return [""] * len(units)
    ends = table.set_index("unit")[["pii_low", "pii_high"]]
    return [prov.span(*ends.loc[u], glue=glue) for u in units]


def _rank_spans(table: pd.DataFrame) -> list[str]:
    if "rank_low" not in table.columns:
        return [""] * len(table)
    return [
        prov.rank_span(a, b) for a, b in zip(table["rank_low"], table["rank_high"], strict=True)
    ]


def _ranking_view(
    ed: Edition, shown: pd.DataFrame, region_names: Mapping[str, str], lang: str
) -> pd.DataFrame:
    """The searched rows of the national table, with each PII's provenance."""
    published_pii = figures.published_units(data.published(ed.year))
    return pd.DataFrame(
        {
            "rank": shown["rank"],
            "name": shown[f"name_{lang}"],
            "pii": shown["pii"],
            "pii_range": _pii_spans(shown, shown["unit"]),
            "rank_range": _rank_spans(shown),
            "input": shown["input"],
            "output": shown["output"],
            "source": [
                prov_text(
                    prov_of(ed, u, "pii", value=v, published=published_pii.get(u))
                    if u in published_pii
                    else prov_of(ed, u, "pii")
                )
                for u, v in zip(shown["unit"], shown["pii"], strict=True)
            ],
            "region": shown["region"].map(region_names),
            **{c: shown[c] for c in figures.PILLAR_COLS},
        }
    )


def ranking(
    ed: Edition,
    table: pd.DataFrame,
    unit: str,
    region_names: Mapping[str, str],
    pillar_names: Mapping[str, str],
    lang: str,
) -> Draw:
    """The national ranking with an accent-blind search, the unit's row highlighted."""
    full = table.reset_index(drop=True)
    full_view = _ranking_view(ed, full, region_names, lang)  # the search only picks rows
    column_config = {
        "rank": st.column_config.NumberColumn(_("overview.col_rank"), width=60),
        "name": st.column_config.TextColumn(_("overview.col_unit"), width=170),
        "pii": st.column_config.NumberColumn(_("common.pii"), width=80),
        "pii_range": st.column_config.TextColumn(
            _("common.col_range"), help=_("common.interval_help"), width=110
        ),
        "rank_range": st.column_config.TextColumn(
            _("overview.col_rank_range"), help=_("common.interval_help"), width=90
        ),
        "input": st.column_config.NumberColumn(_("common.input"), width=80),
        "output": st.column_config.NumberColumn(_("common.output"), width=80),
        "source": st.column_config.TextColumn(_("overview.col_pii_source"), width=180),
        "region": st.column_config.TextColumn(_("overview.col_region"), width=260),
        **{
            c: st.column_config.NumberColumn(
                _("overview.pillar_short", p=c[1:]), help=pillar_names.get(c[1:]), width=70
            )
            for c in figures.PILLAR_COLS
        },
    }

    def draw() -> None:
        st.subheader(_("overview.ranking_title"))
        search_col, count_col = st.columns([2, 3], vertical_alignment="bottom")
        with search_col:
            query = st.text_input(
                _("overview.search_label"),
                key="rank_search",
                placeholder=_("overview.search_placeholder"),
                type="search",
            )
        keep = full["unit"].isin(figures.search(full, query)["unit"])
        shown = full[keep].reset_index(drop=True)
        view = full_view[keep].reset_index(drop=True)
        with count_col:
            st.markdown(
                _("overview.ranking_count", shown=len(view), n=ed.n, unit=ed.name(unit, lang))
            )
        if view.empty:
            st.info(_("overview.no_match", query=query))
        st.dataframe(
            number_styler(
                view,
                {c: 2 for c in ("pii", "input", "output", *figures.PILLAR_COLS)},
                highlight=shown["unit"] == unit,
            ),
            hide_index=True,
            key="overview_ranking",
            height=min(38 + 35 * max(len(view), 1), 460),
            column_config=column_config,
        )
        st.caption(_("overview.ranking_caption") + " " + _("overview.ranking_interval_caption"))

    return draw


def bubble_map(
    ed: Edition, table: pd.DataFrame, unit: str, region_names: Mapping[str, str], lang: str
) -> Draw:
    """Every unit as a bubble (no map tiles), the unit marked."""
    name = ed.name(unit, lang)
    points = figures.bubble_map_data(table, ed.units, region_names, lang)
    fig = figures.bubble_map(
        points,
        unit,
        {
            "score": _("common.pii"),
            "rank": _("common.rank"),
            "selected": f"{_('overview.map_selected')}: {name}",
            "n": str(ed.n),
        },
        region_order=list(ed.regions["code"]),
        lang=lang,
    )
    return lambda: chart(fig, alt=_("overview.map_alt", n=ed.n, unit=name), key="overview_map")


def regions(
    ed: Edition, table: pd.DataFrame, unit: str, region_names: Mapping[str, str], lang: str
) -> Draw:
    """Each region's size, leader and median: the map's legend as a table."""
    summary = figures.region_summary(table, region_names, lang)
    glyph = figures.region_glyphs(list(ed.regions["code"]))
    styled = number_styler(
        pd.DataFrame(
            {
                _("common.region"): [
                    f"{glyph.get(c, '')} {r} ({k})"
                    for c, r, k in zip(
                        summary["region"], summary["region_name"], summary["n"], strict=True
                    )
                ],
                _("overview.col_leader"): [
                    f"{u} ({num(v, 2)})"
                    for u, v in zip(summary["leader"], summary["leader_pii"], strict=True)
                ],
                _("overview.col_region_median"): summary["median"],
            }
        ),
        {_("overview.col_region_median"): 2},
        highlight=summary["region"] == ed.region_of(unit),
    )

    def draw() -> None:
        st.markdown(f"**{_('overview.regions_title')}**")
        small_table(styled)
        st.caption(_("overview.map_caption", unit=ed.name(unit, lang)))

    return draw
