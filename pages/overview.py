"""Overview (default page): the selected unit's PII at a glance, where its numbers come from,
its pillars against the country and its region, its neighbours, strengths and weaknesses, the
national ranking and a tile-free map.

Thin on purpose: frame -> model (profile, ranking_table, published results) -> ui.figures
(reductions and figures) -> ui.widgets (rendering). No index arithmetic here.
"""

from __future__ import annotations

from collections import Counter

import pandas as pd
import streamlit as st

from model.framework import PILLARS
from model.merge import parts_of
from model.profile import profile, ranking_table
from model.provenance import all_official
from model.provenance import composite as prov_of
from ui import data, figures, frame
from ui.i18n import _, num
from ui.widgets import (
    Metric,
    badge_md,
    big_metrics,
    chart,
    number_styler,
    prov_text,
    provenance_box,
    small_table,
    source_links,
    tag_md,
)

# --- model --------------------------------------------------------------------------------
f = frame.current()
ed, unit, lang = f.edition, f.unit, f.lang
year = ed.year
p = profile(ed, unit)
table = ranking_table(ed)
facts = figures.published_facts(data.published(year), unit)
n = p["n_units"]
name = ed.name(unit, lang)
name_col = f"name_{lang}"
li = 0 if lang == "vi" else 1
pillar_names = {k: v[li] for k, v in ed.framework.pillar_names.items()}
region_names = dict(zip(ed.regions["code"], ed.regions[name_col], strict=True))
region = region_names.get(ed.region_of(unit), ed.region_of(unit))

# --- header and big numbers ----------------------------------------------------------------
st.title(_("overview.title", unit=name, year=year))
st.markdown(_("overview.intro", unit=name, year=year, region=region))

pii_txt, rank_txt = num(p["pii"], 2), _("overview.rank_value", rank=p["rank"], n=n)


def value_note(key: str, shown: str, value: float) -> str:
    """Under a metric: what the number rests on, with the published value beside it."""
    level, _sep, item = key.partition(":")
    fact = facts.get(key)
    pub = fact["value"] if fact else None
    kind = prov_of(ed, unit, level, item, value, pub)
    if pub is None:
        return badge_md(kind)
    pub_txt = num(pub, 2)
    agree = f" · ✓ {_('overview.matches')}" if pub_txt == shown else f" · ≠ {shown}"
    return f"{badge_md(kind)}  \n{_('overview.pub_value', value=pub_txt)}{agree}"


def rank_note() -> str:
    fact = facts.get("pii")
    kind = "official" if all_official(ed) else None
    if fact and fact["rank"] is not None:
        same = fact["rank"] == p["rank"]
        agree = f" · ✓ {_('overview.matches')}" if same else f" · ≠ {p['rank']}"
        kind = kind or ("published" if same else "reconstructed")
        return f"{badge_md(kind)}  \n{_('overview.pub_rank', rank=fact['rank'])}{agree}"
    return badge_md(kind or "reconstructed")


eff = figures.efficiency(p["output"], p["input"])
big_metrics(
    [
        Metric(
            _("common.pii"), pii_txt, _("overview.help_pii"), value_note("pii", pii_txt, p["pii"])
        ),
        Metric(_("common.rank"), rank_txt, _("overview.help_rank", n=n, year=year), rank_note()),
        Metric(
            _("common.input"),
            num(p["input"], 2),
            _("overview.help_input"),
            value_note("input", num(p["input"], 2), p["input"]),
        ),
        Metric(
            _("common.output"),
            num(p["output"], 2),
            _("overview.help_output"),
            value_note("output", num(p["output"], 2), p["output"]),
        ),
        Metric(_("overview.eff_label"), num(eff, 2), _("overview.help_eff"), _("overview.derived")),
    ]
)
urls = list(dict.fromkeys(u for fact in facts.values() for u in fact["sources"]))
if urls:
    st.markdown(source_links(urls, _("overview.sources")))

# --- provenance ----------------------------------------------------------------------------
items = []
if (pf := facts.get("pii")) is not None:
    if pf["value"] is not None:
        items.append(_("overview.item_pii", value=num(pf["value"], 2)))
    if pf["rank"] is not None:
        items.append(_("overview.item_rank", rank=pf["rank"], n=n))
for key in ("input", "output"):
    if key in facts and facts[key]["value"] is not None:
        item = _("overview.item_input") if key == "input" else _("overview.item_output")
        items.append(item.format(value=num(facts[key]["value"], 2)))
for pil in PILLARS:
    if (fact := facts.get(f"pillar:{pil}")) is not None:
        if fact["value"] is not None:
            items.append(_("overview.item_pillar", pillar=pil, value=num(fact["value"], 2)))
        else:
            items.append(_("overview.item_pillar_rank", pillar=pil, rank=fact["rank"]))
counts = Counter(ind["provenance"] for ind in p["indicators"])
# Published figures the data no longer give (official values imported that contradict them).
shown_values = {"pii": p["pii"], "input": p["input"], "output": p["output"]}
shown_values |= {f"pillar:{k}": v for k, v in p["pillars"].items()}
labels = {"pii": "PII", "input": _("common.input"), "output": _("common.output")}
differs = [
    f"{labels.get(key) or _('common.pillar') + ' ' + key.partition(':')[2]} "
    f"({num(shown_values[key], 2)} ≠ {num(fact['value'], 2)})"
    for key, fact in facts.items()
    if fact["value"] is not None
    and key in shown_values
    and abs(shown_values[key] - fact["value"]) > 0.005
]
provenance_box(
    (
        _(
            "overview.prov_differs",
            unit=name,
            year=year,
            items=", ".join(items),
            differs="; ".join(differs),
        )
        if differs
        else _("overview.prov_pub", unit=name, year=year, items=", ".join(items))
        if items
        else _("overview.prov_none", unit=name, year=year)
    )
    + "\n\n"
    + _(
        "overview.prov_ind",
        m=len(p["indicators"]),
        unit=name,
        official=counts.get("official", 0),
        published=counts.get("published", 0),
        reconstructed=counts.get("reconstructed", 0),
    ),
    title=_("overview.prov_title"),
    key="overview_provenance",
)

# --- pillars and neighbours ----------------------------------------------------------------
left, right = st.columns([3, 2], gap="medium")
with left:
    st.subheader(_("overview.pillars_title"))
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
    chart(
        fig,
        alt=_("overview.pillars_alt", unit=name, best=best_name, values=alt_values),
        table=number_styler(pillar_table, dict.fromkeys(numeric, 2)),
        table_label=_("overview.table_view"),
        key="overview_pillars",
    )
    st.caption(_("overview.pillars_caption"))

with right:
    st.subheader(_("overview.neighbours_title"))
    nb = figures.neighbours(table, unit, k=2)
    nb_view = pd.DataFrame(
        {
            _("overview.col_rank"): nb["rank"],
            _("overview.col_unit"): nb[name_col],
            _("common.pii"): nb["pii"],
            _("overview.col_gap"): nb["gap"].where(~nb["is_unit"]),  # blank on the unit's own row
        }
    )
    small_table(
        number_styler(
            nb_view,
            {_("common.pii"): 2, _("overview.col_gap"): 2},
            signed=[_("overview.col_gap")],
            highlight=nb["is_unit"],
        )
    )
    st.caption(_("overview.neighbours_caption", unit=name))

# --- strengths and weaknesses --------------------------------------------------------------
st.subheader(_("overview.sw_title"))
by_code = {ind["code"]: ind for ind in p["indicators"]}


def indicator_table(codes: list[str], worst_first: bool) -> None:
    if not codes:
        st.write(_("overview.none"))
        return
    rows = sorted((by_code[c] for c in codes), key=lambda i: i["rank"], reverse=worst_first)
    df = pd.DataFrame(
        {
            _("overview.col_code"): [i["code"] for i in rows],
            _("overview.col_indicator"): [i[name_col] for i in rows],
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
    small_table(number_styler(df, {_("overview.col_score"): 2}))


st.markdown(f"#### {_('overview.strengths')} ({len(p['strengths'])})")
indicator_table(p["strengths"], worst_first=False)
st.markdown(f"#### {_('overview.weaknesses')} ({len(p['weaknesses'])})")
indicator_table(p["weaknesses"], worst_first=True)
st.caption(_("overview.sw_caption"))

# --- national ranking ----------------------------------------------------------------------
st.subheader(_("overview.ranking_title"))
search_col, count_col = st.columns([2, 3], vertical_alignment="bottom")
with search_col:
    query = st.text_input(
        _("overview.search_label"),
        key="rank_search",
        placeholder=_("overview.search_placeholder"),
        type="search",
    )
shown = figures.search(table, query).reset_index(drop=True)
published_pii = figures.published_units(data.published(year))
view = pd.DataFrame(
    {
        "rank": shown["rank"],
        "name": shown[name_col],
        "pii": shown["pii"],
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
with count_col:
    st.markdown(_("overview.ranking_count", shown=len(view), n=n, unit=name))
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
    column_config={
        "rank": st.column_config.NumberColumn(_("overview.col_rank"), width=60),
        "name": st.column_config.TextColumn(_("overview.col_unit"), width=170),
        "pii": st.column_config.NumberColumn(_("common.pii"), width=80),
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
    },
)
st.caption(_("overview.ranking_caption"))

# --- map -----------------------------------------------------------------------------------
st.subheader(_("overview.map_title"))
map_col, side_col = st.columns([3, 2], gap="medium")
with map_col:
    points = figures.bubble_map_data(table, ed.units, region_names, lang)
    chart(
        figures.bubble_map(
            points,
            unit,
            {
                "score": _("common.pii"),
                "rank": _("common.rank"),
                "selected": f"{_('overview.map_selected')}: {name}",
                "n": str(n),
            },
            region_order=list(ed.regions["code"]),
            lang=lang,
        ),
        alt=_("overview.map_alt", n=n, unit=name),
        key="overview_map",
    )
with side_col:
    st.markdown(f"**{_('overview.regions_title')}**")
    summary = figures.region_summary(table, region_names, lang)
    glyph = figures.region_glyphs(list(ed.regions["code"]))
    small_table(
        number_styler(
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
    )
    st.caption(_("overview.map_caption", unit=name))

# A 2025 unit made of several 2024 provinces: its parts' 2024 results beside it.
if ed.year == 2025 and len(parts_of(unit, ed)) > 1:
    from ui.merge_view import render_merge

    st.divider()
    render_merge(unit, lang)
