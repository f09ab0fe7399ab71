"""Data: browse an edition with provenance, download it, import official data, versions."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from model import versions
from model.workspace import WorkspaceError
from ui import access, frame
from ui.i18n import _, lang, num
from ui.widgets import md_text, number_styler, prov_text, provenance_legend

f = frame.current()
ed = f.edition
fw = ed.framework
vi = lang() == "vi"
st.subheader(_("data.title", edition=ed.year))

try:
    all_versions = versions.versions()
    head = versions.head()
except WorkspaceError as exc:
    st.error(_("data.store_error", msg=exc))
    st.stop()
by_id = {v.id: v for v in all_versions}


def _when(v) -> str:
    return v.created_at.strftime("%Y-%m-%d %H:%M")


def _what(v, markdown: bool = True) -> str:
    if v.kind == "import":
        name = md_text(v.file_name) if markdown else v.file_name
        return _("data.what_import", edition=v.edition, file=name)
    return _("data.what_rollback", target=v.restores)


def _level(level: str, item: str) -> str:
    """A fidelity row's level in words ("trụ cột 3")."""
    key = {
        "pii": "data.lv_pii",
        "input": "data.lv_input",
        "output": "data.lv_output",
        "pillar": "data.lv_pillar",
        "group": "data.lv_group",
    }.get(level)
    if key:
        return _(key, item=item)
    return _("data.lv_other", level=level, item=item)


def _changes_table(changes: pd.DataFrame) -> None:
    """Cells that change, in the reader's language (dry run and version comparison)."""
    ch = changes.copy()
    ch["unit"] = ch["unit"].map(names)
    for col in ("old_provenance", "new_provenance"):
        ch[col] = ch[col].map(prov_text)
    ch.columns = [
        _("data.col_unit"),
        _("data.col_code"),
        _("data.col_old_raw"),
        _("data.col_new_raw"),
        _("data.col_old_score"),
        _("data.col_new_score"),
        _("data.col_old_prov"),
        _("data.col_new_prov"),
    ]
    dec = {ch.columns[k]: 2 for k in range(2, 6)}
    st.dataframe(number_styler(ch, dec), hide_index=True, width="stretch", height=360)


if head == 0:
    st.markdown(_("data.current_embedded"))
else:
    v = by_id[head]
    st.markdown(
        _(
            "data.current_version",
            id=v.id,
            what=_what(v),
            when=_when(v),
            author=md_text(v.author or "–"),
        )
    )
provenance_legend()


def _name(code: str) -> str:
    ind = fw.indicator(code)
    return ind.name_vi if vi else ind.name_en


def _measure(code: str) -> str:
    ind = fw.indicator(code)
    return str(getattr(ind, "unit_vi" if vi else "unit_en", "") or "")


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
            "indicator": [_name(c) for c in codes],
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
            format_func=lambda k: f"{k} · {_name(k)}",
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
            f"{_measure(code)} · {_('data.col_min')} {num(ed.lo[fw.index[code]])} · "
            f"{_('data.col_max')} {num(ed.hi[fw.index[code]])} · "
            f"{prov_text(gp_prov.get(code, 'published'))}"
            if gp_prov.get(code)
            else f"{_measure(code)} · {_('data.col_min')} {num(ed.lo[fw.index[code]])} · "
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
        view.to_csv(index=False).encode("utf-8-sig"),
        file_name=f"pii-{ed.year}-{f.unit if by == 'unit' else code}.csv",
        mime="text/csv",
        on_click="ignore",
        key="dt_dl_view",
        icon=":material/download:",
    )
    d[1].download_button(
        _("data.download_all", edition=ed.year),
        long.to_csv(index=False).encode("utf-8-sig"),
        file_name=f"pii-{ed.year}-v{head}.csv",
        mime="text/csv",
        on_click="ignore",
        key="dt_dl_all",
        icon=":material/download:",
    )

# ---- import -----------------------------------------------------------------------------------
with tabs[1]:
    from model import importer

    st.markdown(f"**{_('data.templates')}**")
    st.caption(_("data.templates_help"))
    b = st.columns(4)
    for k, (kind, fmt) in enumerate(
        (("profile", "xlsx"), ("profile", "csv"), ("edition", "xlsx"), ("edition", "csv"))
    ):
        label = (
            _("data.tpl_profile", unit=f.unit_name)
            if kind == "profile"
            else _("data.tpl_edition", edition=ed.year)
        )
        b[k].download_button(
            f"{label} · {fmt.upper()}",
            lambda kind=kind, fmt=fmt: importer.template_bytes(
                kind, fmt, ed, unit=f.unit if kind == "profile" else None, lang=lang()
            ),
            file_name=(
                f"mau-ho-so-{f.unit}-{ed.year}.{fmt}"
                if kind == "profile"
                else f"mau-ca-ky-{ed.year}.{fmt}"
            ),
            on_click="ignore",
            key=f"dt_tpl_{kind}_{fmt}",
            icon=":material/download:",
        )
    admin_ok = access.data_change_gate(lang())
    if admin_ok:
        # A new key after each import empties the uploader: the page then shows the result,
        # not a dry run of the same file against the data it has just become.
        n_up = st.session_state.get("_dt_uploads", 0)
        up = st.file_uploader(_("data.upload"), type=["csv", "xlsx"], key=f"dt_upload_{n_up}")
        if up is not None:
            blob = up.getvalue()
            try:
                parsed = importer.parse(blob, up.name, ed)
            except importer.ImportRefused as exc:
                problems = list(exc.problems)
                lines = [f"- {md_text(p.message(lang()))}" for p in problems[:50]]
                if len(problems) > 50:
                    lines.append(_("data.more", n=len(problems) - 50))
                st.error(
                    _("data.refused", file=md_text(up.name), n=len(problems))
                    + "\n\n"
                    + "\n".join(lines)
                )
                parsed = None
            if parsed is not None:
                if parsed.warnings:
                    with st.expander(_("data.warnings")):
                        for w in parsed.warnings:
                            st.markdown(f"- {md_text(w.message(lang()))}")
                key = ("dt_dry", parsed.checksum, parsed.edition, head)
                if st.session_state.get("_dt_dry_key") != key:
                    with st.spinner(_("data.dry_wait")):
                        st.session_state["_dt_dry"] = versions.apply_import(parsed, dry_run=True)
                    st.session_state["_dt_dry_key"] = key
                dry = st.session_state["_dt_dry"]
                rep = dry.report
                st.markdown(f"**{_('data.dry_title')}**")
                m = st.columns(3)
                m[0].metric(_("data.m_changed"), num(rep["changed_cells"], 0))
                m[1].metric(_("data.m_official"), num(rep["official_cells"], 0))
                m[2].metric(_("data.m_facts"), f"{rep['met']}/{rep['constraints']}")
                if rep["failed"]:
                    st.warning(
                        _("data.failed")
                        + "\n\n"
                        + "\n".join(
                            "- "
                            + _(
                                "data.failed_row",
                                unit=names.get(x["unit"], x["unit"]),
                                what=_level(x["level"], x["item"] or ""),
                                published=num(x["published"]),
                                got=num(x["reproduced"]),
                            )
                            for x in rep["failed"]
                        )
                    )
                if len(dry.goalposts):
                    st.caption(_("data.goalposts_change", n=len(dry.goalposts)))
                    gp = dry.goalposts.copy()
                    gp.columns = [
                        _("data.col_code"),
                        _("data.col_old_min"),
                        _("data.col_old_max"),
                        _("data.col_new_min"),
                        _("data.col_new_max"),
                    ]
                    st.dataframe(
                        number_styler(gp, {c: 2 for c in gp.columns[1:]}),
                        hide_index=True,
                        width="stretch",
                        height=min(38 + 35 * len(gp), 250),
                    )
                if len(dry.changes) == 0:
                    st.info(_("data.no_change"))
                else:
                    _changes_table(dry.changes)
                with st.form("dt_import_form", border=False):
                    who = st.text_input(_("data.author"), max_chars=120, key="dt_author")
                    note = st.text_area(_("data.note"), max_chars=2000, key="dt_note")
                    go = st.form_submit_button(_("data.do_import"), type="primary")
                if go:
                    try:
                        res = versions.apply_import(parsed, author=who, note=note)
                    except (versions.DataChangeError, WorkspaceError, ValueError) as exc:
                        st.error(_("data.import_failed", msg=md_text(str(exc))))
                    else:
                        st.session_state.pop("_dt_dry_key", None)
                        st.session_state["_dt_flash"] = _("data.imported", id=res.version.id)
                        st.session_state["_dt_uploads"] = n_up + 1
                        st.rerun()
    if flash := st.session_state.pop("_dt_flash", None):
        st.success(flash)

# ---- versions ---------------------------------------------------------------------------------
with tabs[2]:
    if not all_versions:
        st.info(_("data.versions_none"))
    else:
        rows = []
        for v in reversed(all_versions):
            rep = versions.report_of(v)
            rows.append(
                {
                    _("data.col_current"): "★" if v.id == head else "",
                    _("data.col_id"): v.id,
                    _("data.col_when"): _when(v),
                    _("data.col_kind"): _("data.kind_import")
                    if v.kind == "import"
                    else _("data.kind_rollback", target=v.restores),
                    _("data.col_edition"): v.edition if v.edition is not None else "",
                    _("data.col_author"): v.author,
                    _("data.col_file"): v.file_name,
                    _("data.col_checksum"): v.checksum[:12],
                    _("data.col_facts"): f"{rep['met']}/{rep['constraints']}"
                    if "met" in rep
                    else "",
                    _("data.col_note"): v.note,
                }
            )
        st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")

        st.markdown(f"**{_('data.compare')}**")
        ids = [0] + [v.id for v in all_versions]

        def _label(i: int) -> str:
            return _("data.embedded") if i == 0 else f"{i} · {_what(by_id[i], markdown=False)}"

        c = st.columns(2)
        a = c[0].selectbox(_("data.version_a"), ids, index=0, key="dt_va", format_func=_label)
        b2 = c[1].selectbox(
            _("data.version_b"), ids, index=ids.index(head), key="dt_vb", format_func=_label
        )
        diff = versions.compare(int(a), int(b2), ed.year)
        if len(diff) == 0:
            st.caption(_("data.diff_none", edition=ed.year))
        else:
            st.caption(_("data.diff_n", n=len(diff), edition=ed.year))
            _changes_table(diff)

        if not access.read_only():
            st.markdown(f"**{_('data.rollback')}**")
            if not st.session_state.get("_admin_ok"):
                st.caption(_("data.gate_elsewhere"))
            else:
                with st.form("dt_rollback", border=False):
                    target = st.selectbox(
                        _("data.rollback_to"),
                        [i for i in ids if i != head],
                        key="dt_rb_target",
                        format_func=_label,
                    )
                    go_rb = st.form_submit_button(_("data.do_rollback"))
                if go_rb:
                    try:
                        who = st.session_state.get("dt_author") or ""
                        rb = versions.rollback(int(target), author=who)
                    except (versions.DataChangeError, WorkspaceError) as exc:
                        st.error(_("data.rollback_failed", msg=md_text(str(exc))))
                    else:
                        st.session_state["_dt_flash_rb"] = _("data.rolled", id=rb.id, target=target)
                        st.rerun()
    if flash := st.session_state.pop("_dt_flash_rb", None):
        st.success(flash)

# ---- merged units -----------------------------------------------------------------------------
with tabs[3]:
    try:
        from ui.merge_view import render_merge
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
