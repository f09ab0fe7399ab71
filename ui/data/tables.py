"""Tables of the data page: changed cells, changed goalposts, and the published facts an import
or a version does not reproduce (the fidelity table)."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import streamlit as st

from model.index.dataset import Edition, raw_text
from ui.i18n import _, lang, num
from ui.widgets import number_styler, prov_label, prov_text

# A fidelity row's level, in words ("trụ cột 3").
LEVELS = {
    "pii": "data.lv_pii",
    "input": "data.lv_input",
    "output": "data.lv_output",
    "pillar": "data.lv_pillar",
    "group": "data.lv_group",
}


def level(kind: str, item: str) -> str:
    key = LEVELS.get(kind)
    if key:
        return _(key, item=item)
    return _("data.lv_other", level=kind, item=item)


def changes_table(changes: pd.DataFrame, names: Mapping[str, str], ed: Edition) -> None:
    """Cells that change, in the reader's language (dry run and version comparison); raw
    values with each indicator's own decimals, so a changed cell never reads "0,04 → 0,04"."""
    ch = changes.copy()
    for col in ch.columns[2:4]:  # old and new raw value
        ch[col] = [raw_text(ed, c, v, lang()) for c, v in zip(ch["code"], ch[col], strict=True)]
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
    dec = {ch.columns[k]: 2 for k in range(4, 6)}
    st.dataframe(number_styler(ch, dec), hide_index=True, width="stretch", height=360)


def goalposts_table(goalposts: pd.DataFrame) -> None:
    """National min/max that an import changes."""
    gp = goalposts.copy()
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


def fidelity_table(failed: list[dict], names: Mapping[str, str]) -> None:
    """Published figures the imported numbers contradict (nothing when all still hold)."""
    if not failed:
        return
    rows = (
        "- "
        + _(
            "data.failed_row",
            unit=names.get(x["unit"], x["unit"]),
            what=level(x["level"], x["item"] or ""),
            published=num(x["published"]),
            got=num(x["reproduced"]),
        )
        for x in failed
    )
    st.warning(_("data.failed") + "\n\n" + "\n".join(rows))


# ---- downloads --------------------------------------------------------------------------------
# The browse tab's long table -> the CSV header it is downloaded with, in the reader's language.
CSV_HEADERS = {
    "edition": "data.col_edition",
    "unit": "data.csv_unit_id",
    "unit_name": "data.col_unit",
    "code": "data.col_code",
    "indicator": "data.col_name",
    "raw": "data.col_raw",
    "score": "data.col_score",
    "rank": "data.col_rank",
    "min_raw": "data.col_min",
    "max_raw": "data.col_max",
    "provenance": "data.col_prov",
    "goalposts_provenance": "data.csv_gp_prov",
}
SCORE_DECIMALS = 2  # as every screen prints a score


def _rounded(ed: Edition, codes: pd.Series, values: pd.Series) -> list[float | None]:
    """Raw values at each indicator's own decimals (0.034, not 0.03412345678901234)."""
    return [
        None if pd.isna(v) else round(float(v), ed.raw_decimals(c))
        for c, v in zip(codes, values, strict=True)
    ]


def download_table(long: pd.DataFrame, ed: Edition) -> pd.DataFrame:
    """The browse tab's rows as they are downloaded: headers and provenance in the reader's
    language, raw values at their indicator's decimals, scores at two, ranks whole numbers.
    Numbers stay numbers (a decimal point, as spreadsheets read CSV), nothing English on a
    Vietnamese download."""
    out = long.copy()
    for col in ("raw", "min_raw", "max_raw"):
        if col in out:
            out[col] = _rounded(ed, out["code"], out[col])
    if "score" in out:
        out["score"] = out["score"].astype(float).round(SCORE_DECIMALS)
    if "rank" in out:
        out["rank"] = out["rank"].round().astype("Int64")
    if "provenance" in out:
        out["provenance"] = out["provenance"].map(prov_label)
    if "goalposts_provenance" in out:
        out["goalposts_provenance"] = out["goalposts_provenance"].map(
            lambda k: _("data.csv_gp_embedded") if k == "embedded" else prov_label(k)
        )
    out.columns = [_(CSV_HEADERS[c]) if c in CSV_HEADERS else c for c in out.columns]
    return out
