"""The Plan page's progress by department: per lead unit, the PII points its targets are worth,
and each of its indicators with the latest reading against the target, on track or not.

The model lives in model.plan.by_department (what "on track" means is said there).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd
import streamlit as st

from model import fmt
from model import plan as planmod
from model.index.dataset import Edition
from model.index.scenario import Scenario
from model.plan.by_department import ProgressByDepartment, department_progress
from ui import names
from ui.i18n import _, lang, num
from ui.plan import files as plan_files

ON_TRACK = {True: "plan.pg_dp_yes", False: "plan.pg_dp_no", None: "plan.pg_dp_unread"}


def summary_table(result: ProgressByDepartment) -> pd.DataFrame:
    """One row per lead unit: its indicators, how many are on track, behind, not read yet,
    and the PII points at stake."""
    return pd.DataFrame(
        {
            _("plan.pg_dp_dept"): [names.department(d.lead_unit) for d in result.departments],
            _("plan.pg_dp_points"): [num(d.points, 3, sign=True) for d in result.departments],
            _("plan.pg_dp_n"): [len(d.indicators) for d in result.departments],
            _("plan.pg_dp_n_on_track"): [d.n_on_track for d in result.departments],
            _("plan.pg_dp_n_behind"): [d.n_behind for d in result.departments],
            _("plan.pg_dp_n_unread"): [d.n_unread for d in result.departments],
        }
    )


def indicator_table(result: ProgressByDepartment) -> pd.DataFrame:
    """One row per indicator, grouped by lead unit: latest reading against the target."""
    rows = [(d, i) for d in result.departments for i in d.indicators]
    return pd.DataFrame(
        {
            _("plan.pg_dp_dept"): [names.department(d.lead_unit, short=True) for d, _i in rows],
            _("plan.pg_col_code"): [i.code for _d, i in rows],
            _("plan.pg_dp_latest"): [
                num(i.latest) if i.latest is not None else "–" for _d, i in rows
            ],
            _("plan.pg_dp_as_of"): [
                fmt.date(i.as_of, lang()) if i.as_of else "–" for _d, i in rows
            ],
            _("plan.pg_col_target"): [num(i.target) for _d, i in rows],
            _("plan.pg_dp_done"): [
                f"{num(100 * i.fraction, 0)} %" if i.fraction is not None else "–" for _d, i in rows
            ],
            _("plan.pg_dp_on_track"): [_(ON_TRACK[i.on_track]) for _d, i in rows],
            _("plan.pg_col_points"): [num(i.points, 3, sign=True) for _d, i in rows],
        }
    )


def panel(
    plan: planmod.Plan,
    ed: Edition,
    history: Sequence,
    base: Scenario,
    effect: planmod.PlanEffect,
    points: Mapping[str, float],
) -> ProgressByDepartment | None:
    """Progress by department, under an expander (open once a reading exists)."""
    if not plan.targets:
        return None
    result = department_progress(plan, ed, history, base, effect=effect, points=points)
    read = any(i.latest is not None for d in result.departments for i in d.indicators)
    with st.expander(_("plan.pg_dp_title"), expanded=read):
        st.caption(
            _(
                "plan.pg_dp_help",
                start=fmt.date(result.start, lang()),
                end=fmt.date(result.end, lang()),
            )
        )
        st.dataframe(summary_table(result), hide_index=True, key="plan_dp_summary")
        st.dataframe(indicator_table(result), hide_index=True, key="plan_dp_table")
        st.download_button(
            _("plan.pg_dp_docx"),
            lambda: plan_files.appendix_bytes(plan, result.appendix_rows()),
            file_name=f"{plan_files.file_stem(plan)}-phu-luc-tien-do.docx",
            mime=plan_files.MIME["docx"],
            on_click="ignore",
            key="plan_dp_docx",
            icon=":material/description:",
        )
    return result
