"""The report as one standalone HTML page, rendered from templates/report.html.j2.

The page is self-contained: inline CSS, charts as inline SVG (model.report.svg), no script and
no external resource, so it opens offline and prints to PDF from the browser (A4, page breaks
between sections, table headers repeated on each page). Jinja2 escapes every value; only the
charts, escaped where they are built, go in as Markup. The template names each sentence by its
literal id through `_`, bound to the report's language.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2

from model.estimates.quality.marks import MARK

from .. import fmt
from . import svg
from .content import (
    ON_TRACK,
    Report,
    assumptions,
    contributions,
    department_progress_rows,
    department_rows,
    headline,
    kind_label,
    marked,
    measure_marks,
    measures,
    pii_text,
    pillar_table,
    places_text,
    plan_rows,
    rank_text,
    statistics_mark,
)

TEMPLATES = Path(__file__).resolve().parent / "templates"
TEMPLATE = "report.html.j2"


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=jinja2.select_autoescape(["html", "j2"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def to_html(rep: Report) -> str:
    """The standalone report page (UTF-8 text), ready to open offline or print to PDF."""
    return environment().get_template(TEMPLATE).render(context(rep))


def context(rep: Report) -> dict[str, Any]:
    """What the template lays out: numbers already formatted in the report's language."""
    return {
        "_": rep.t,
        "lang": rep.lang,
        "unit_name": rep.unit_name,
        "year": rep.edition.year,
        "label": rep.label,
        "generated": fmt.date(rep.generated, rep.lang),
        "n": rep.edition.n,
        "cards": _cards(rep),
        **_measures(rep),
        **_contributions(rep),
        "pillars_chart": _pillars_chart(rep),
        **_departments(rep),
        "plan_rows": _plan_rows(rep),
        "has_plan": rep.plan is not None,
        "plan_year": rep.plan.edition if rep.plan else None,  # the plan's baseline edition
        "progress_rows": _progress_rows(rep),
        "dept_progress_rows": _dept_progress_rows(rep),
        "assumptions": assumptions(rep),
    }


def _places(rep: Report, change: int) -> str:
    return rep.num(change, 0, sign=True) if change else "0"


def _cards(rep: Report) -> list[dict[str, Any]]:
    return [
        {
            "label": h["label"],
            "pii": pii_text(rep, h),  # "≈ 39,77 (35,7–42,0)" for an estimate
            "rank": rank_text(rep, h),
            "places": places_text(rep, h)
            if k and h.get("places_low") != h.get("places_high")
            else "",
            "delta": rep.num(h["delta_pii"], 2, sign=True),
            "rank_change": h["rank_change"],
            "cls": "up" if h["rank_change"] > 0 else ("down" if h["rank_change"] < 0 else ""),
        }
        for k, h in enumerate(headline(rep))
    ]


def _measures(rep: Report) -> dict[str, Any]:
    """The summary table: each measure in every column, and the change of the last one."""
    cols = rep.columns()
    rows = []
    for (label, values, dec), ends in zip(measures(rep), measure_marks(rep), strict=True):
        # ≈ on an estimate: the baseline with its interval, the other columns marked
        first = marked(rep, values[0], dec, ends)
        rest = [(MARK + " " if ends else "") + rep.num(v, dec) for v in values[1:]]
        cells = [label, first, *rest]
        if len(values) > 1:
            if dec == 0:  # the rank: places gained
                cells.append(_places(rep, int(values[0] - values[-1])))
            else:
                cells.append(rep.num(values[-1] - values[0], 2, sign=True))
        rows.append(cells)
    return {"column_heads": [(label, True) for label, _ in cols], "measure_rows": rows}


def _contributions(rep: Report) -> dict[str, Any]:
    contrib = contributions(rep)
    num = rep.num
    rows = [
        [
            c["code"],
            statistics_mark(rep, c["name"], c["statistics"]),
            num(c["baseline"]),
            num(c["scenario"]),
            num(c["delta_score"], 2, sign=True),
            num(c["delta_pii"], 3, sign=True),
            c["lead"],
        ]
        for c in contrib
    ]
    total = num(sum(c["delta_pii"] for c in contrib), 3, sign=True)
    chart = (
        svg.bars(
            [f"{c['code']} {c['name']}" for c in contrib],
            [c["delta_pii"] for c in contrib],
            lambda v: num(v, 3, sign=True),
            title=rep.t("report.contrib_title"),
        )
        if contrib
        else None
    )
    return {"contrib_rows": rows, "contrib_total": total, "contrib_chart": chart}


def _pillars_chart(rep: Report) -> Any:
    table = pillar_table(rep)
    colors = svg.SERIES_COLORS
    series = [
        (label, [v[k] for _, v in table], colors[k % len(colors)])
        for k, (label, _) in enumerate(rep.columns())
    ]
    return svg.grouped(
        [lab for lab, _ in table], series, lambda v: rep.num(v), title=rep.t("report.pillars_title")
    )


def _departments(rep: Report) -> dict[str, Any]:
    """Each lead department's PII points, the whole plan as the total, and the note's numbers."""
    drows = department_rows(rep)
    eff = rep.effect
    if not drows or eff is None:
        return {"dept_rows": [], "dept_total": None, "dept_chart": None, "dept_note": None}
    num = rep.num
    rows = [
        [
            d["dept"],
            ", ".join(d["codes"]),
            num(d["delta_pii"], 2, sign=True),
            num(d["pii"]),
            str(d["rank"]),
            _places(rep, d["rank_change"]),
        ]
        for d in drows
    ]
    total = ["", num(eff.delta_pii, 2, sign=True), num(eff.pii), str(eff.rank)]
    total.append(_places(rep, eff.rank_change))
    chart = svg.bars(
        [d["dept"] for d in drows],
        [d["delta_pii"] for d in drows],
        lambda v: num(v, 2, sign=True),
        title=rep.t("report.depts_title"),
        colors=[svg.BLUE] * len(drows),
    )
    note = {
        "sum": num(sum(d["delta_pii"] for d in drows), 2, sign=True),
        "total": num(eff.delta_pii, 2, sign=True),
        "gap": None if eff.plan_gap_to_next is None else num(eff.plan_gap_to_next),
    }
    return {"dept_rows": rows, "dept_total": total, "dept_chart": chart, "dept_note": note}


def _plan_rows(rep: Report) -> list[dict[str, Any]]:
    """The plan's indicators: numbers on the first line, units and tasks under them."""
    num = rep.num
    out = []
    for r in plan_rows(rep):
        done = r["done"]
        out.append(
            {
                "row": r["row"],
                "code": r["code"],
                "name": statistics_mark(rep, r["name"], r["statistics"]),
                "score_2023": num(r["score_2023"]),
                "target": num(r["target"]),
                "target_text": r["target_text"],
                "gap": num(r["gap"]),
                "timeframe": r["timeframe"],
                "latest": None if done is None else num(r["latest"]),
                "latest_date": None if done is None else fmt.date(r["latest_date"], rep.lang),
                "done_width": None if done is None else f"{done * 100:.0f}",
                "done": None if done is None else num(done * 100, 0),
                "lead": r["lead"],
                "coord": r["coord"],
                "tasks": r["tasks"],
            }
        )
    return out


def _dept_progress_rows(rep: Report) -> list[list[str]]:
    """Progress by department, as the workbook's sheet: per lead unit, each indicator's latest
    reading against its target, on track or not, and the PII points it is worth."""
    return [
        [
            r["dept"],
            f"{r['code']} {r['name']}",
            rep.num(r["target"]),
            rep.num(r["latest"]) if r["latest"] is not None else "–",
            fmt.date(r["latest_date"], rep.lang) if r["latest_date"] else "–",
            rep.t(ON_TRACK[r["on_track"]]),
            rep.num(r["target_points"], 2, sign=True),
        ]
        for r in department_progress_rows(rep)
    ]


def _progress_rows(rep: Report) -> list[list[str]]:
    return [
        [
            fmt.date(e.as_of, rep.lang),
            e.code,
            kind_label(rep, e.kind),
            rep.num(e.value),
            rep.num(e.score),
            e.note,
            e.author,
        ]
        for e in rep.progress
    ]
