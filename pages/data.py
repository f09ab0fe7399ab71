"""Data: browse an edition with provenance, download it, import official data, versions."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from model import versions
from model.workspace import WorkspaceError
from ui import access, frame
from ui.i18n import lang, num, tr
from ui.widgets import md_text, number_styler, prov_text, provenance_legend

T = {
    "vi": {
        "title": "Dữ liệu PII {edition}",
        "current_embedded": "Đang dùng **bộ dữ liệu nhúng** (phiên bản 0): số công bố và ước tính "
        "tái dựng, chưa có số chính thức nào được nhập.",
        "current_version": "Đang dùng **phiên bản {id}**: {what}, {when}, người nhập: {author}.",
        "what_import": "nhập kỳ {edition} từ tệp «{file}»",
        "what_rollback": "khôi phục trạng thái của phiên bản {target}",
        "tab_browse": "Duyệt dữ liệu",
        "tab_import": "Nhập số liệu chính thức",
        "tab_versions": "Các phiên bản",
        "tab_merge": "Sáp nhập 2025",
        "by": "Xem theo",
        "by_unit": "Tỉnh/thành",
        "by_indicator": "Chỉ số",
        "indicator": "Chỉ số",
        "provenance": "Nguồn gốc số liệu",
        "col_code": "Mã",
        "col_name": "Chỉ số",
        "col_unit": "Địa phương",
        "col_raw": "Giá trị thô",
        "col_measure": "Đơn vị đo",
        "col_score": "Điểm (0–100)",
        "col_rank": "Hạng",
        "col_min": "Min cả nước",
        "col_max": "Max cả nước",
        "col_prov": "Nguồn gốc",
        "col_gp_prov": "Nguồn gốc min–max",
        "shown": "{n} dòng.",
        "download_view": "Tải bảng đang xem (CSV)",
        "download_all": "Tải toàn bộ kỳ {edition} (CSV)",
        "templates": "Mẫu nhập liệu",
        "templates_help": "Mẫu **hồ sơ một địa phương** theo đúng hồ sơ PII (giá trị thô, điểm, "
        "min, max, hạng của từng chỉ số) hoặc mẫu **cả kỳ** (mọi địa phương × chỉ số). Cách điền: "
        "xem trang hướng dẫn trong tệp Excel và data/README.md.",
        "tpl_profile": "Hồ sơ {unit}",
        "tpl_edition": "Cả kỳ {edition}",
        "upload": "Tệp số liệu (CSV UTF-8 hoặc XLSX)",
        "refused": "Tệp «{file}» bị từ chối — dữ liệu không thay đổi. {n} vấn đề:",
        "more": "… và {n} vấn đề khác.",
        "warnings": "Lưu ý khi đọc tệp",
        "dry_title": "Chạy thử: điều gì sẽ thay đổi",
        "dry_wait": "Đang giải lại bộ dữ liệu quanh số liệu chính thức…",
        "m_changed": "Ô sẽ thay đổi",
        "m_official": "Ô chính thức sau khi nhập",
        "m_facts": "Số công bố vẫn đạt",
        "failed": "Số công bố không còn đạt với số liệu mới (số chính thức được ưu tiên):",
        "failed_row": "{unit} · {what}: công bố {published}, dữ liệu cho {got}",
        "lv_pii": "PII",
        "lv_input": "chỉ số phụ đầu vào",
        "lv_output": "chỉ số phụ đầu ra",
        "lv_pillar": "trụ cột {item}",
        "lv_group": "nhóm {item}",
        "lv_other": "{level} {item}",
        "no_change": "Tệp hợp lệ nhưng không làm thay đổi ô nào.",
        "goalposts_change": "{n} cặp min–max cả nước sẽ thay đổi (chuẩn hóa điểm của mọi địa "
        "phương theo chúng):",
        "col_old_min": "Min cũ",
        "col_old_max": "Max cũ",
        "col_new_min": "Min mới",
        "col_new_max": "Max mới",
        "col_old_raw": "Thô cũ",
        "col_new_raw": "Thô mới",
        "col_old_score": "Điểm cũ",
        "col_new_score": "Điểm mới",
        "col_old_prov": "Nguồn gốc cũ",
        "col_new_prov": "Nguồn gốc mới",
        "author": "Người nhập",
        "note": "Ghi chú (ví dụ: số văn bản của Bộ)",
        "do_import": "Nhập và tạo phiên bản mới",
        "imported": "Đã nhập: phiên bản {id}. Mọi trang giờ dùng số liệu mới.",
        "import_failed": "Không nhập được, dữ liệu không thay đổi: {msg}",
        "gate_elsewhere": "Nhập mật khẩu quản trị ở thẻ «Nhập số liệu chính thức» để khôi phục.",
        "versions_none": "Chưa có phiên bản nào ngoài bộ dữ liệu nhúng (phiên bản 0).",
        "col_id": "Phiên bản",
        "col_when": "Thời điểm (UTC)",
        "col_kind": "Loại",
        "col_edition": "Kỳ",
        "col_author": "Người thực hiện",
        "col_file": "Tệp",
        "col_checksum": "SHA-256",
        "col_note": "Ghi chú",
        "col_facts": "Số công bố đạt",
        "col_current": "Hiện hành",
        "kind_import": "Nhập",
        "kind_rollback": "Khôi phục → {target}",
        "compare": "So sánh hai phiên bản",
        "version_a": "Phiên bản A",
        "version_b": "Phiên bản B",
        "embedded": "0 · bộ dữ liệu nhúng",
        "diff_none": "Hai phiên bản giống nhau ở kỳ {edition}.",
        "diff_n": "{n} ô khác nhau ở kỳ {edition}.",
        "rollback": "Khôi phục phiên bản",
        "rollback_to": "Khôi phục về",
        "do_rollback": "Khôi phục",
        "rolled": "Đã khôi phục: phiên bản {id} mang trạng thái của phiên bản {target}.",
        "rollback_failed": "Không khôi phục được: {msg}",
        "store_error": "Không đọc được kho dữ liệu người dùng: {msg}",
        "merge_pick": "Đơn vị sau sáp nhập (kỳ 2025)",
    },
    "en": {
        "title": "PII {edition} data",
        "current_embedded": "Using the **embedded dataset** (version 0): published numbers and "
        "reconstructed estimates; no official values imported yet.",
        "current_version": "Using **version {id}**: {what}, {when}, by {author}.",
        "what_import": "import of edition {edition} from «{file}»",
        "what_rollback": "restores the state of version {target}",
        "tab_browse": "Browse",
        "tab_import": "Import official data",
        "tab_versions": "Versions",
        "tab_merge": "2025 mergers",
        "by": "View by",
        "by_unit": "Province",
        "by_indicator": "Indicator",
        "indicator": "Indicator",
        "provenance": "Provenance",
        "col_code": "Code",
        "col_name": "Indicator",
        "col_unit": "Province",
        "col_raw": "Raw value",
        "col_measure": "Unit of measure",
        "col_score": "Score (0–100)",
        "col_rank": "Rank",
        "col_min": "National min",
        "col_max": "National max",
        "col_prov": "Provenance",
        "col_gp_prov": "Min–max provenance",
        "shown": "{n} rows.",
        "download_view": "Download this table (CSV)",
        "download_all": "Download all of edition {edition} (CSV)",
        "templates": "Import templates",
        "templates_help": "A **one-province profile** template as printed in the PII profile "
        "(raw value, score, min, max, rank per indicator) or a **full edition** template (every "
        "province × indicator). How to fill them: the instructions sheet in the Excel file and "
        "data/README.md.",
        "tpl_profile": "Profile of {unit}",
        "tpl_edition": "Full edition {edition}",
        "upload": "Data file (CSV UTF-8 or XLSX)",
        "refused": "«{file}» was refused — the data did not change. {n} problems:",
        "more": "… and {n} more problems.",
        "warnings": "Notes on the file",
        "dry_title": "Dry run: what would change",
        "dry_wait": "Re-solving the dataset around the official values…",
        "m_changed": "Cells that change",
        "m_official": "Official cells after import",
        "m_facts": "Published numbers still met",
        "failed": "Published numbers no longer met by the new data (official values take "
        "precedence):",
        "failed_row": "{unit} · {what}: published {published}, data give {got}",
        "lv_pii": "PII",
        "lv_input": "input sub-index",
        "lv_output": "output sub-index",
        "lv_pillar": "pillar {item}",
        "lv_group": "group {item}",
        "lv_other": "{level} {item}",
        "no_change": "The file is valid but changes no cell.",
        "goalposts_change": "{n} national min–max pairs would change (every province's scores "
        "are normalised with them):",
        "col_old_min": "Old min",
        "col_old_max": "Old max",
        "col_new_min": "New min",
        "col_new_max": "New max",
        "col_old_raw": "Old raw",
        "col_new_raw": "New raw",
        "col_old_score": "Old score",
        "col_new_score": "New score",
        "col_old_prov": "Old provenance",
        "col_new_prov": "New provenance",
        "author": "Imported by",
        "note": "Note (e.g. the Ministry's document number)",
        "do_import": "Import as a new version",
        "imported": "Imported: version {id}. Every page now uses the new data.",
        "import_failed": "Could not import, the data did not change: {msg}",
        "gate_elsewhere": "Give the admin password in the «Import official data» tab to roll back.",
        "versions_none": "No versions yet besides the embedded dataset (version 0).",
        "col_id": "Version",
        "col_when": "When (UTC)",
        "col_kind": "Kind",
        "col_edition": "Edition",
        "col_author": "By",
        "col_file": "File",
        "col_checksum": "SHA-256",
        "col_note": "Note",
        "col_facts": "Published numbers met",
        "col_current": "Current",
        "kind_import": "Import",
        "kind_rollback": "Rollback → {target}",
        "compare": "Compare two versions",
        "version_a": "Version A",
        "version_b": "Version B",
        "embedded": "0 · embedded dataset",
        "diff_none": "The two versions are the same in edition {edition}.",
        "diff_n": "{n} cells differ in edition {edition}.",
        "rollback": "Roll back",
        "rollback_to": "Restore",
        "do_rollback": "Roll back",
        "rolled": "Rolled back: version {id} restores the state of version {target}.",
        "rollback_failed": "Could not roll back: {msg}",
        "store_error": "Cannot read the user data store: {msg}",
        "merge_pick": "Merged unit (2025 edition)",
    },
}


def _t(key: str, **kw: object) -> str:
    return tr(T, key, **kw)


f = frame.current()
ed = f.edition
fw = ed.framework
vi = lang() == "vi"
st.subheader(_t("title", edition=ed.year))

try:
    all_versions = versions.versions()
    head = versions.head()
except WorkspaceError as exc:
    st.error(_t("store_error", msg=exc))
    st.stop()
by_id = {v.id: v for v in all_versions}


def _when(v) -> str:
    return v.created_at.strftime("%Y-%m-%d %H:%M")


def _what(v, markdown: bool = True) -> str:
    if v.kind == "import":
        name = md_text(v.file_name) if markdown else v.file_name
        return _t("what_import", edition=v.edition, file=name)
    return _t("what_rollback", target=v.restores)


def _level(level: str, item: str) -> str:
    """A fidelity row's level in words ("trụ cột 3")."""
    key = f"lv_{level}"
    if key in T["vi"]:
        return _t(key, item=item)
    return _t("lv_other", level=level, item=item)


def _changes_table(changes: pd.DataFrame) -> None:
    """Cells that change, in the reader's language (dry run and version comparison)."""
    ch = changes.copy()
    ch["unit"] = ch["unit"].map(names)
    for col in ("old_provenance", "new_provenance"):
        ch[col] = ch[col].map(prov_text)
    ch.columns = [
        _t("col_unit"),
        _t("col_code"),
        _t("col_old_raw"),
        _t("col_new_raw"),
        _t("col_old_score"),
        _t("col_new_score"),
        _t("col_old_prov"),
        _t("col_new_prov"),
    ]
    dec = {ch.columns[k]: 2 for k in range(2, 6)}
    st.dataframe(number_styler(ch, dec), hide_index=True, width="stretch", height=360)


if head == 0:
    st.markdown(_t("current_embedded"))
else:
    v = by_id[head]
    st.markdown(
        _t(
            "current_version",
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
    slugs = [s for s in ed.slugs for _ in range(m)]
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


tabs = st.tabs([_t("tab_browse"), _t("tab_import"), _t("tab_versions"), _t("tab_merge")])

# ---- browse -----------------------------------------------------------------------------------
with tabs[0]:
    long = _edition_long()
    c = st.columns([2, 3, 4])
    by = c[0].segmented_control(
        _t("by"),
        ["unit", "indicator"],
        default="unit",
        key="dt_by",
        required=True,
        format_func=lambda k: _t(f"by_{k}"),
    )
    kinds = sorted(set(long["provenance"]))
    chosen = c[2].multiselect(
        _t("provenance"), kinds, default=kinds, key="dt_prov", format_func=prov_text
    )
    if by == "indicator":
        code = c[1].selectbox(
            _t("indicator"),
            list(fw.codes),
            key="dt_code",
            format_func=lambda k: f"{k} · {_name(k)}",
        )
        view = long[long["code"] == code].sort_values("rank")
        cols = ["unit_name", "score", "rank", "provenance", "raw"]
        labels = ["col_unit", "col_score", "col_rank", "col_prov", "col_raw"]
        st.caption(
            f"{_measure(code)} · {_t('col_min')} {num(ed.lo[fw.index[code]])} · "
            f"{_t('col_max')} {num(ed.hi[fw.index[code]])} · "
            f"{prov_text(gp_prov.get(code, 'published'))}"
            if gp_prov.get(code)
            else f"{_measure(code)} · {_t('col_min')} {num(ed.lo[fw.index[code]])} · "
            f"{_t('col_max')} {num(ed.hi[fw.index[code]])}"
        )
    else:
        c[1].markdown(f"**{f.unit_name}**")
        view = long[long["unit"] == f.unit]
        cols = ["code", "indicator", "score", "rank", "provenance", "raw", "min_raw", "max_raw"]
        labels = [
            "col_code",
            "col_name",
            "col_score",
            "col_rank",
            "col_prov",
            "col_raw",
            "col_min",
            "col_max",
        ]
    view = view[view["provenance"].isin(chosen)]
    shown = view[cols].copy()
    shown["provenance"] = shown["provenance"].map(prov_text)
    shown.columns = [_t(k) for k in labels]
    st.dataframe(
        number_styler(
            shown,
            {_t("col_raw"): 2, _t("col_score"): 2, _t("col_rank"): 0}
            | {_t("col_min"): 2, _t("col_max"): 2},
        ),
        hide_index=True,
        width="stretch",
        height=min(38 + 35 * max(len(shown), 1), 640),
        column_config={_t("col_name"): st.column_config.TextColumn(width="large")},
    )
    st.caption(_t("shown", n=len(shown)))
    d = st.columns(2)
    d[0].download_button(
        _t("download_view"),
        view.to_csv(index=False).encode("utf-8-sig"),
        file_name=f"pii-{ed.year}-{f.unit if by == 'unit' else code}.csv",
        mime="text/csv",
        on_click="ignore",
        key="dt_dl_view",
        icon=":material/download:",
    )
    d[1].download_button(
        _t("download_all", edition=ed.year),
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

    st.markdown(f"**{_t('templates')}**")
    st.caption(_t("templates_help"))
    b = st.columns(4)
    for k, (kind, fmt) in enumerate(
        (("profile", "xlsx"), ("profile", "csv"), ("edition", "xlsx"), ("edition", "csv"))
    ):
        label = (
            _t("tpl_profile", unit=f.unit_name)
            if kind == "profile"
            else _t("tpl_edition", edition=ed.year)
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
        up = st.file_uploader(_t("upload"), type=["csv", "xlsx"], key=f"dt_upload_{n_up}")
        if up is not None:
            blob = up.getvalue()
            try:
                parsed = importer.parse(blob, up.name, ed)
            except importer.ImportRefused as exc:
                problems = list(exc.problems)
                lines = [f"- {md_text(p.message(lang()))}" for p in problems[:50]]
                if len(problems) > 50:
                    lines.append(_t("more", n=len(problems) - 50))
                st.error(
                    _t("refused", file=md_text(up.name), n=len(problems))
                    + "\n\n"
                    + "\n".join(lines)
                )
                parsed = None
            if parsed is not None:
                if parsed.warnings:
                    with st.expander(_t("warnings")):
                        for w in parsed.warnings:
                            st.markdown(f"- {md_text(w.message(lang()))}")
                key = ("dt_dry", parsed.checksum, parsed.edition, head)
                if st.session_state.get("_dt_dry_key") != key:
                    with st.spinner(_t("dry_wait")):
                        st.session_state["_dt_dry"] = versions.apply_import(parsed, dry_run=True)
                    st.session_state["_dt_dry_key"] = key
                dry = st.session_state["_dt_dry"]
                rep = dry.report
                st.markdown(f"**{_t('dry_title')}**")
                m = st.columns(3)
                m[0].metric(_t("m_changed"), num(rep["changed_cells"], 0))
                m[1].metric(_t("m_official"), num(rep["official_cells"], 0))
                m[2].metric(_t("m_facts"), f"{rep['met']}/{rep['constraints']}")
                if rep["failed"]:
                    st.warning(
                        _t("failed")
                        + "\n\n"
                        + "\n".join(
                            "- "
                            + _t(
                                "failed_row",
                                unit=names.get(x["unit"], x["unit"]),
                                what=_level(x["level"], x["item"] or ""),
                                published=num(x["published"]),
                                got=num(x["reproduced"]),
                            )
                            for x in rep["failed"]
                        )
                    )
                if len(dry.goalposts):
                    st.caption(_t("goalposts_change", n=len(dry.goalposts)))
                    gp = dry.goalposts.copy()
                    gp.columns = [
                        _t("col_code"),
                        _t("col_old_min"),
                        _t("col_old_max"),
                        _t("col_new_min"),
                        _t("col_new_max"),
                    ]
                    st.dataframe(
                        number_styler(gp, {c: 2 for c in gp.columns[1:]}),
                        hide_index=True,
                        width="stretch",
                        height=min(38 + 35 * len(gp), 250),
                    )
                if len(dry.changes) == 0:
                    st.info(_t("no_change"))
                else:
                    _changes_table(dry.changes)
                with st.form("dt_import_form", border=False):
                    who = st.text_input(_t("author"), max_chars=120, key="dt_author")
                    note = st.text_area(_t("note"), max_chars=2000, key="dt_note")
                    go = st.form_submit_button(_t("do_import"), type="primary")
                if go:
                    try:
                        res = versions.apply_import(parsed, author=who, note=note)
                    except (versions.DataChangeError, WorkspaceError, ValueError) as exc:
                        st.error(_t("import_failed", msg=md_text(str(exc))))
                    else:
                        st.session_state.pop("_dt_dry_key", None)
                        st.session_state["_dt_flash"] = _t("imported", id=res.version.id)
                        st.session_state["_dt_uploads"] = n_up + 1
                        st.rerun()
    if flash := st.session_state.pop("_dt_flash", None):
        st.success(flash)

# ---- versions ---------------------------------------------------------------------------------
with tabs[2]:
    if not all_versions:
        st.info(_t("versions_none"))
    else:
        rows = []
        for v in reversed(all_versions):
            rep = versions.report_of(v)
            rows.append(
                {
                    _t("col_current"): "★" if v.id == head else "",
                    _t("col_id"): v.id,
                    _t("col_when"): _when(v),
                    _t("col_kind"): _t("kind_import")
                    if v.kind == "import"
                    else _t("kind_rollback", target=v.restores),
                    _t("col_edition"): v.edition if v.edition is not None else "",
                    _t("col_author"): v.author,
                    _t("col_file"): v.file_name,
                    _t("col_checksum"): v.checksum[:12],
                    _t("col_facts"): f"{rep['met']}/{rep['constraints']}" if "met" in rep else "",
                    _t("col_note"): v.note,
                }
            )
        st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")

        st.markdown(f"**{_t('compare')}**")
        ids = [0] + [v.id for v in all_versions]

        def _label(i: int) -> str:
            return _t("embedded") if i == 0 else f"{i} · {_what(by_id[i], markdown=False)}"

        c = st.columns(2)
        a = c[0].selectbox(_t("version_a"), ids, index=0, key="dt_va", format_func=_label)
        b2 = c[1].selectbox(
            _t("version_b"), ids, index=ids.index(head), key="dt_vb", format_func=_label
        )
        diff = versions.compare(int(a), int(b2), ed.year)
        if len(diff) == 0:
            st.caption(_t("diff_none", edition=ed.year))
        else:
            st.caption(_t("diff_n", n=len(diff), edition=ed.year))
            _changes_table(diff)

        if not access.read_only():
            st.markdown(f"**{_t('rollback')}**")
            if not st.session_state.get("_admin_ok"):
                st.caption(_t("gate_elsewhere"))
            else:
                with st.form("dt_rollback", border=False):
                    target = st.selectbox(
                        _t("rollback_to"),
                        [i for i in ids if i != head],
                        key="dt_rb_target",
                        format_func=_label,
                    )
                    go_rb = st.form_submit_button(_t("do_rollback"))
                if go_rb:
                    try:
                        who = st.session_state.get("dt_author") or ""
                        rb = versions.rollback(int(target), author=who)
                    except (versions.DataChangeError, WorkspaceError) as exc:
                        st.error(_t("rollback_failed", msg=md_text(str(exc))))
                    else:
                        st.session_state["_dt_flash_rb"] = _t("rolled", id=rb.id, target=target)
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
        here, _ = frame.map_unit(f.unit, 2025)
        pick = st.selectbox(
            _t("merge_pick"),
            options,
            index=options.index(here) if here in options else 0,
            key="dt_merge_unit",
            format_func=dict(zip(merged["slug"], merged[f"name_{lang()}"], strict=True)).get,
        )
        render_merge(pick, lang())
