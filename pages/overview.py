"""Overview (default page): the selected unit's PII at a glance, where its numbers come from,
its pillars against the country and its region, its neighbours, strengths and weaknesses, the
national ranking and a tile-free map.

Thin on purpose: frame -> model (profile, ranking_table, published results) -> ui.figures
(reductions and figures) -> ui.overview.panels and ui.provenance (rendering). No index
arithmetic here.
"""

from __future__ import annotations

import streamlit as st

from model.merge import parts_of
from model.profile import profile, ranking_table
from ui import figures, frame, names
from ui import loaders as data
from ui import provenance as prov
from ui.i18n import _, num
from ui.overview import panels as overview_panels
from ui.widgets import Metric, big_metrics, source_links

# --- model --------------------------------------------------------------------------------
f = frame.current()
ed, unit, lang = f.edition, f.unit, f.lang
year = ed.year
published = data.published(year)
p = profile(ed, unit, published=published)  # estimated PII, rank, pillars with their ranges
table = ranking_table(ed, published=published)
facts = figures.published_facts(published, unit)
n = p["n_units"]
name = ed.name(unit, lang)
pillar_names = {k: names.pillar(ed.framework, k) for k in ed.framework.pillar_names}
region_names = dict(zip(ed.regions["code"], ed.regions[f"name_{lang}"], strict=True))
region = region_names.get(ed.region_of(unit), ed.region_of(unit))

# --- header and big numbers ----------------------------------------------------------------
st.title(_("overview.title", unit=name, year=year))
st.markdown(_("overview.intro", unit=name, year=year, region=region))


def value_note(key: str, shown: str, value: float) -> str:
    return prov.value_note(ed, unit, facts, key, shown, value)


pii_txt, rank_txt = num(p["pii"], 2), _("overview.rank_value", rank=p["rank"], n=n)
in_txt, out_txt = num(p["input"], 2), num(p["output"], 2)
eff = figures.efficiency(p["output"], p["input"])
pii_range, rank_range = prov.range_note(p), prov.rank_range_note(p)
in_range, out_range = prov.range_note(p, "input"), prov.range_note(p, "output")
big_metrics(
    [
        Metric(
            _("common.pii"),
            pii_txt,
            prov.with_interval_help(_("overview.help_pii"), bool(pii_range)),
            value_note("pii", pii_txt, p["pii"]) + pii_range,
        ),
        Metric(
            _("common.rank"),
            rank_txt,
            prov.with_interval_help(_("overview.help_rank", n=n, year=year), bool(rank_range)),
            prov.rank_note(ed, facts, p["rank"]) + rank_range,
        ),
        Metric(
            _("common.input"),
            in_txt,
            prov.with_interval_help(_("overview.help_input"), bool(in_range)),
            value_note("input", in_txt, p["input"]) + in_range,
        ),
        Metric(
            _("common.output"),
            out_txt,
            prov.with_interval_help(_("overview.help_output"), bool(out_range)),
            value_note("output", out_txt, p["output"]) + out_range,
        ),
        Metric(
            _("overview.eff_label"),
            num(eff, 2),
            _("overview.help_eff"),
            prov.derived_note(estimated=bool(in_range or out_range)),
        ),
    ]
)
urls = list(dict.fromkeys(u for fact in facts.values() for u in fact["sources"]))
if urls:
    st.markdown(source_links(urls, _("overview.sources")))

# --- provenance ----------------------------------------------------------------------------
prov.overview_box(p, facts, name, year)

# --- the sections below the first screen ----------------------------------------------------
# Computed before any is drawn: a browser shows a number only once no new kind of element (a
# chart, a table, each a script it loads on first use) has arrived for about 300 ms (React's
# reveal throttle), so charts drawn while the page was still computing kept the big numbers
# above hidden for a second or two on a first visit (issue 20, item 24).
pillars = overview_panels.pillars(ed, table, p, facts, pillar_names, lang)
neighbours = overview_panels.neighbours(table, unit, name, lang)
strengths = overview_panels.strengths_weaknesses(p, lang)
ranking = overview_panels.ranking(ed, table, unit, region_names, pillar_names, lang)
bubble_map = overview_panels.bubble_map(ed, table, unit, region_names, lang)
regions = overview_panels.regions(ed, table, unit, region_names, lang)

left, right = st.columns([3, 2], gap="medium")
with left:
    pillars()
with right:
    neighbours()
strengths()
ranking()

st.subheader(_("overview.map_title"))
map_col, side_col = st.columns([3, 2], gap="medium")
with map_col:
    bubble_map()
with side_col:
    regions()

# A 2025 unit made of several 2024 provinces: its parts' 2024 results beside it.
if ed.year == 2025 and len(parts_of(unit, ed)) > 1:
    from ui.data.merge import render_merge

    st.divider()
    render_merge(unit, lang)
