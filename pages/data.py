"""Data: browse an edition with provenance, download it, import official data, versions."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from model.official import versions
from model.spreadsheet import frame_csv
from model.workspace import WorkspaceError
from ui import frame
from ui.data.imports import import_form, templates
from ui.data.tables import download_table
from ui.data.versions import versions_panel, what, when
from ui.i18n import _, err, lang, num
from ui.names import indicator as indicator_name
from ui.names import indicator_unit
from ui.widgets import md_text, number_styler, prov_text, provenance_legend

f = frame.current()
ed = f.edition
fw = ed.framework
st.subheader(_("data.title", edition=ed.year))

try:
    all_versions = versions.versions()
    head = versions.head()
except WorkspaceError as exc:
    st.error(_("data.store_error", msg=err(exc)))
    st.stop()
by_id = {v.id: v for v in all_versions}


if head == 0:
    st.markdown(_("data.current_embedded"))
else:
    v = by_id[head]
    st.markdown(
        _(
            "data.current_version",
            id=v.id,
            what=what(v),
            when=when(v),
            author=md_text(v.author or "–"),
        )
    )
provenance_legend()


def _ranks() -> pd.DataFrame:
    """Rank of each unit on each indicator (scores compared at the two decimals printed)."""
    s = pd.DataFrame(ed.scores.round(2), index=list(ed.slugs), columns=list(fw.codes))
    return s.rank(ascending=False, method="min")


names = dict(zip(ed.units["slug"], ed.units[f"name_{lang()}"], strict=True))
gp_prov = versions.goalpost_provenance(ed.year)


def _edition_long() -> pd.DataFrame:
    ranks = _ranks()
    n, m = ed.scores.shape
    slugs = [s for s in ed.slugs for _x in range(m)]
    codes = list(fw.codes) * n
    return pd.DataFrame(
        {
            "edition": ed.year,
            "unit": slugs,
            "unit_name": [names[s] for s in slugs],
            "code": codes,
            "indicator": [indicator_name(fw, c) for c in codes],
            "raw": ed.raw.reshape(-1),
            "score": ed.scores.reshape(-1),
            "rank": ranks.to_numpy().reshape(-1),
            "min_raw": list(ed.lo) * n,
            "max_raw": list(ed.hi) * n,
            "provenance": ed.provenance.reshape(-1).astype(str),
            "goalposts_provenance": [gp_prov.get(c, "embedded") for c in codes],
        }
    )


tabs = st.tabs(
    [_("data.tab_browse"), _("data.tab_import"), _("data.tab_versions"), _("data.tab_merge")]
)

# ---- browse -----------------------------------------------------------------------------------
with tabs[0]:
    long = _edition_long()
    c = st.columns([2, 3, 4])
    by = c[0].segmented_control(
        _("data.by"),
        ["unit", "indicator"],
        default="unit",
        key="dt_by",
        required=True,
        format_func={"unit": _("data.by_unit"), "indicator": _("data.by_indicator")}.get,
    )
    kinds = sorted(set(long["provenance"]))
    chosen = c[2].multiselect(
        _("data.provenance"), kinds, default=kinds, key="dt_prov", format_func=prov_text
    )
    if by == "indicator":
        code = c[1].selectbox(
            _("data.indicator"),
            list(fw.codes),
            key="dt_code",
            format_func=lambda k: f"{k} · {indicator_name(fw, k)}",
        )
        view = long[long["code"] == code].sort_values("rank")
        cols = ["unit_name", "score", "rank", "provenance", "raw"]
        labels = [
            "data.col_unit",
            "data.col_score",
            "data.col_rank",
            "data.col_prov",
            "data.col_raw",
        ]
        st.caption(
            f"{indicator_unit(fw, code)} · {_('data.col_min')} {num(ed.lo[fw.index[code]])} · "
            f"{_('data.col_max')} {num(ed.hi[fw.index[code]])} · "
            f"{prov_text(gp_prov.get(code, 'published'))}"
            if gp_prov.get(code)
            else f"{indicator_unit(fw, code)} · {_('data.col_min')} {num(ed.lo[fw.index[code]])} · "
            f"{_('data.col_max')} {num(ed.hi[fw.index[code]])}"
        )
    else:
        c[1].markdown(f"**{f.unit_name}**")
        view = long[long["unit"] == f.unit]
        cols = ["code", "indicator", "score", "rank", "provenance", "raw", "min_raw", "max_raw"]
        labels = [
            "data.col_code",
            "data.col_name",
            "data.col_score",
            "data.col_rank",
            "data.col_prov",
            "data.col_raw",
            "data.col_min",
            "data.col_max",
        ]
    view = view[view["provenance"].isin(chosen)]
    shown = view[cols].copy()
    shown["provenance"] = shown["provenance"].map(prov_text)
    shown.columns = [_(k) for k in labels]
    st.dataframe(
        number_styler(
            shown,
            {_("data.col_raw"): 2, _("data.col_score"): 2, _("data.col_rank"): 0}
            | {_("data.col_min"): 2, _("data.col_max"): 2},
        ),
        hide_index=True,
        width="stretch",
        height=min(38 + 35 * max(len(shown), 1), 640),
        column_config={_("data.col_name"): st.column_config.TextColumn(width="large")},
    )
    st.caption(_("data.shown", n=len(shown)))
    d = st.columns(2)
    d[0].download_button(
        _("data.download_view"),
        frame_csv(download_table(view, ed)),  # the reader's language, rounded
        file_name=f"pii-{ed.year}-{f.unit if by == 'unit' else code}.csv",
        mime="text/csv",
        on_click="ignore",
        key="dt_dl_view",
        icon=":material/download:",
    )
    d[1].download_button(
        _("data.download_all", edition=ed.year),
        frame_csv(download_table(long, ed)),
        file_name=f"pii-{ed.year}-v{head}.csv",
        mime="text/csv",
        on_click="ignore",
        key="dt_dl_all",
        icon=":material/download:",
    )

# ---- import and versions ------------------------------------------------------------------
with tabs[1]:
    templates(ed, f.unit, f.unit_name)
    import_form(ed, head, names, f.unit)

with tabs[2]:
    versions_panel(ed, all_versions, head, names)

# ---- merged units -----------------------------------------------------------------------------
with tabs[3]:
    try:
        from ui.data.merge import render_merge
    except ImportError:  # the merge view is optional until it lands
        render_merge = None
    if render_merge is not None:
        units25 = frame.data.units_table()
        merged = units25[(units25["map"] == "34") & units25["merged_from"].fillna("").ne("")]
        options = list(merged["slug"])
        here, _x = frame.map_unit(f.unit, 2025)
        pick = st.selectbox(
            _("data.merge_pick"),
            options,
            index=options.index(here) if here in options else 0,
            key="dt_merge_unit",
            format_func=dict(zip(merged["slug"], merged[f"name_{lang()}"], strict=True)).get,
        )
        render_merge(pick, lang())
