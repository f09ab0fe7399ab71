"""What a report shows: one value gathered from the model, laid out by `xlsx` and `html`.

`build()` runs the scenario (and the plan, with each department's share) through the model and
keeps the result with the report's language; the row functions below turn it into the rows
both layouts print, so the workbook, the HTML page and the screens show the same numbers.
Every sentence comes from the catalogue fragment "report" (ids "report.*").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from model.estimates.quality import intervals as est_intervals
from model.estimates.quality import marks
from model.index import provenance
from model.index.dataset import Edition
from model.index.framework import PILLARS
from model.index.scenario import Outcome, Scenario

from .. import api, fmt
from ..i18n import check_lang, gettext, ngettext
from ..official import store
from ..plan import (
    PRESETS,
    Plan,
    PlanEffect,
    auto_text,
    department_effects,
    department_label,
    progress_fraction,
    timeframe_label,
)
from ..plan.by_department import department_progress
from ..workspace import ProgressEntry

VN_TIME = timezone(timedelta(hours=7), "ICT")

# Choices named by literal ids, so the extractor finds every one.
PROVENANCE = {
    "official": "report.prov_official",
    "published": "report.prov_published",
    "statistics": "statistics.prov_statistics",  # computed from official statistics (NSO)
    "reconstructed": "report.prov_reconstructed",
}
PEERS = {"static": "report.peers_static", "trend": "report.peers_trend"}
SCALES = {"frozen": "report.scale_frozen", "renormalize": "report.scale_renormalize"}
PRESET_LABELS = {"baseline": "report.baseline", "plan-2024": "report.preset_plan"}


def text(lang: str, msg_id: str, **kw: object) -> str:
    """A report sentence in `lang`; `msg_id` is "<area>.<key>" (a bare key is "report.<key>";
    the report also says what other areas own, e.g. "statistics.prov_statistics")."""
    if "." not in msg_id:
        msg_id = f"report.{msg_id}"
    return gettext(lang, msg_id, **kw)


def preset_label(lang: str, preset: str) -> str:
    """A preset's name as a report's label ("Kế hoạch 2024"); the preset itself if unnamed."""
    msg_id = PRESET_LABELS.get(preset)
    return gettext(lang, msg_id) if msg_id else preset


def plan_label(lang: str, plan: Plan) -> str:
    """A plan's name as a report's label: the built-in plan as its preset ("Kế hoạch 2024"),
    any other plan by its name (its id when it has none)."""
    preset = next((name for name, pid in PRESETS.items() if pid == plan.plan_id), None)
    return preset_label(lang, preset) if preset else (plan.name or plan.plan_id)


@dataclass(frozen=True, eq=False)
class Report:
    lang: str
    label: str  # the scenario's name as shown (a saved name, "Kế hoạch 2024", "Hiện trạng")
    outcome: Outcome  # the scenario, beside its baseline
    plan: Plan | None  # None when no plan applies to the unit and edition
    plan_outcome: Outcome | None
    effect: PlanEffect | None
    progress: tuple[ProgressEntry, ...]  # newest first
    generated: datetime  # Vietnam time
    intervals: est_intervals.Intervals | None = None  # the baseline's estimate intervals

    @property
    def edition(self) -> Edition:
        return self.outcome.edition

    @property
    def scenario(self) -> Scenario:
        return self.outcome.scenario

    @property
    def unit(self) -> str:
        return self.scenario.unit

    @property
    def unit_name(self) -> str:
        return self.edition.name(self.unit, self.lang)

    @property
    def is_plan(self) -> bool:
        """Whether the scenario is the plan itself (then it is shown once)."""
        p = self.plan_outcome
        return p is not None and same_result(p.scenario, self.scenario)

    def t(self, msg_id: str, **kw: object) -> str:
        return text(self.lang, msg_id, **kw)

    def num(self, x: float | None, decimals: int = 2, sign: bool = False) -> str:
        return fmt.number(x, self.lang, decimals, sign)

    def indicator_name(self, code: str) -> str:
        ind = self.edition.framework.indicator(code)
        return ind.name_vi if self.lang == "vi" else ind.name_en

    def pillar_name(self, p: str) -> str:
        names = self.edition.framework.pillar_names.get(p, (p, p))
        return names[0 if self.lang == "vi" else 1]

    def columns(self) -> list[tuple[str, Outcome]]:
        """The results side by side: baseline, plan (when it applies), scenario (when it is
        neither the baseline nor the plan)."""
        cols: list[tuple[str, Outcome]] = [(self.t("report.baseline"), self.outcome)]
        if self.plan_outcome is not None:
            cols.append((self.t("report.plan"), self.plan_outcome))
        if not self.is_plan and self.scenario.targets:
            cols.append((self.t("report.scenario_label", label=self.label), self.outcome))
        return cols


def same_result(a: Scenario, b: Scenario) -> bool:
    return (a.unit, a.edition, a.targets, a.peers, a.scale, a.years) == (
        b.unit,
        b.edition,
        b.targets,
        b.peers,
        b.scale,
        b.years,
    )


def build(
    scenario: Scenario,
    *,
    label: str,
    lang: str = "vi",
    plan: Plan | None = None,
    progress: Sequence[ProgressEntry] = (),
    db: Path | None = None,
    generated: datetime | None = None,
) -> Report:
    """Everything a report shows, computed by the model (api.run) and nothing else."""
    lang = check_lang(lang)
    outcome = api.run(scenario, db)
    ed = outcome.edition
    plan_outcome = effect = None
    if plan is not None and plan.applies_to(ed, scenario.unit):
        plan_outcome = api.run(plan.scenario(ed, scenario), db)
        trend = api.trend_for(ed, db) if scenario.peers == "trend" else None
        effect = department_effects(plan, ed, scenario, trend)
    else:
        plan, progress = None, ()
    return Report(
        lang=lang,
        label=label,
        outcome=outcome,
        plan=plan,
        plan_outcome=plan_outcome,
        effect=effect,
        progress=tuple(progress),
        generated=generated or datetime.now(VN_TIME),
        intervals=est_intervals.for_edition(ed, api.store.published(ed.year, db)),
    )


def headline(rep: Report) -> list[dict]:
    """PII, rank and change for each column (the numbers on the meeting screen)."""
    u = rep.edition.unit_index(rep.unit)
    b = rep.outcome.baseline
    out = []
    for k, (label, o) in enumerate(rep.columns()):
        agg = b if k == 0 else o.result
        out.append(
            {
                "label": label,
                "pii": float(agg.pii[u]),
                "rank": int(agg.rank[u]),
                "delta_pii": float(agg.pii[u] - b.pii[u]),
                "rank_change": int(b.rank[u] - agg.rank[u]),
                **_estimate_fields(rep, b.pii, agg.pii, u),
            }
        )
    return out


def _estimate_fields(rep: Report, base, new, u: int) -> dict:
    """The ≈ side of a headline column: whether its PII and rank are estimates, their
    intervals (the baseline's moved by the change) and the places gained as a range where
    estimated neighbours are passed (model/estimates/quality/marks.py)."""
    iv = rep.intervals
    if iv is None:
        return {"pii_estimated": False, "rank_estimated": False}
    d = float(new[u] - base[u])
    pii_est = marks.estimated(float(iv.pii_low[u]))
    rank_est = bool(iv.rank_low[u] > 0) or pii_est
    best, worst = marks.rank_range_at(base, new, u, iv.pii_low, iv.pii_high)
    fewest, most = marks.places_range(base, new, u, iv.pii_low, iv.pii_high)
    return {
        "pii_estimated": pii_est,
        "pii_low": float(iv.pii_low[u]) + d if pii_est else None,
        "pii_high": float(iv.pii_high[u]) + d if pii_est else None,
        "rank_estimated": rank_est,
        # the baseline's rank range as the intervals give it (snapped to the free ranks); a
        # scenario's from every estimated PII anywhere in its interval
        "rank_low": (int(iv.rank_low[u]) or best if d == 0 else best) if rank_est else None,
        "rank_high": (int(iv.rank_high[u]) or worst if d == 0 else worst) if rank_est else None,
        "places_low": fewest,
        "places_high": most,
    }


def measure_marks(rep: Report) -> list[tuple[float, float] | None]:
    """For each row of `measures` (PII, rank, input, output, pillars 1-7): the baseline's
    interval where the value is an estimate, None where it is published (the ≈ mark)."""
    iv = rep.intervals
    if iv is None:
        return [None] * (4 + len(PILLARS))
    u = rep.edition.unit_index(rep.unit)

    def pair(lo: float, hi: float) -> tuple[float, float] | None:
        return None if not marks.estimated(float(lo)) else (float(lo), float(hi))

    rank = None if iv.rank_low[u] <= 0 else (float(iv.rank_low[u]), float(iv.rank_high[u]))
    if rank is None and marks.estimated(float(iv.pii_low[u])):
        rank = (float(rep.outcome.baseline.rank[u]),) * 2
    subs = [None, None]
    if iv.sub_low is not None and iv.sub_high is not None:
        subs = [pair(iv.sub_low[u, k], iv.sub_high[u, k]) for k in range(2)]
    pillars = [pair(iv.pillar_low[u, k], iv.pillar_high[u, k]) for k in range(len(PILLARS))]
    return [pair(iv.pii_low[u], iv.pii_high[u]), rank, *subs, *pillars]


def marked(rep: Report, value: float, decimals: int, ends: tuple[float, float] | None) -> str:
    """A measure as a report prints it: "≈ 44,66 (37,1–52,2)" for an estimate (a rank: its
    range), the bare number when published."""
    if ends is None:
        return rep.num(value, decimals)
    if decimals == 0:
        return rep.t(
            "reconstruct.approx_rank", rank=int(value), low=int(ends[0]), high=int(ends[1])
        )
    return rep.t(
        "reconstruct.approx_range",
        value=rep.num(value),
        low=rep.num(ends[0], 1),
        high=rep.num(ends[1], 1),
    )


def pii_text(rep: Report, h: dict) -> str:
    """A headline PII as a report prints it: "≈ 39,77 (35,7–42,0)" for an estimate, the bare
    number when published."""
    if not h.get("pii_estimated"):
        return rep.num(h["pii"])
    return rep.t(
        "reconstruct.approx_range",
        value=rep.num(h["pii"]),
        low=rep.num(h["pii_low"], 1),
        high=rep.num(h["pii_high"], 1),
    )


def rank_text(rep: Report, h: dict) -> str:
    """A headline rank: "≈ 17 (14–45)" for an estimate, the bare number when published."""
    if not h.get("rank_estimated") or h.get("rank_low") is None:
        return str(h["rank"])
    lo, hi = h["rank_low"], h["rank_high"]
    return rep.t("reconstruct.approx_rank", rank=h["rank"], low=lo, high=hi)


def places_text(rep: Report, h: dict) -> str:
    """Places gained: a range with a note where estimated neighbours are passed."""
    lo, hi = h.get("places_low"), h.get("places_high")
    if lo is None or lo == hi:
        return rep.num(h["rank_change"], 0, sign=True) if h["rank_change"] else "0"
    return rep.t(
        "reconstruct.places_range",
        low=rep.num(lo, 0, sign=bool(lo)),
        high=rep.num(hi, 0, sign=bool(hi)),
    )


def pillar_table(rep: Report) -> list[tuple[str, list[float]]]:
    u = rep.edition.unit_index(rep.unit)
    b = rep.outcome.baseline
    return [
        (
            f"{p}. {rep.pillar_name(p)}",
            [
                float((b if k == 0 else o.result).pillars[u, i])
                for k, (_, o) in enumerate(rep.columns())
            ],
        )
        for i, p in enumerate(PILLARS)
    ]


def measures(rep: Report) -> list[tuple[str, list[float], int]]:
    """Measure rows (PII, rank, input, output, pillars) for every column: (label, values,
    decimals); the rank row is the one with 0 decimals."""
    u = rep.edition.unit_index(rep.unit)
    b = rep.outcome.baseline
    aggs = [b if k == 0 else o.result for k, (_, o) in enumerate(rep.columns())]
    rows: list[tuple[str, list[float], int]] = [
        (rep.t("report.pii"), [float(a.pii[u]) for a in aggs], 2),
        (rep.t("report.rank"), [float(a.rank[u]) for a in aggs], 0),
        (rep.t("report.input"), [float(a.input[u]) for a in aggs], 2),
        (rep.t("report.output"), [float(a.output[u]) for a in aggs], 2),
    ]
    pillar = rep.t("report.pillar")
    rows += [
        (f"{pillar} {p}. {rep.pillar_name(p)}", [float(a.pillars[u, i]) for a in aggs], 2)
        for i, p in enumerate(PILLARS)
    ]
    return rows


def from_statistics(rep: Report, code: str) -> bool:
    """The unit's value of `code` is computed from official statistics (NSO), not estimated."""
    ed = rep.edition
    i = ed.framework.index.get(code)
    return i is not None and ed.provenance[ed.unit_index(rep.unit), i] == "statistics"


def statistics_mark(rep: Report, name: str, marked: bool) -> str:
    """An indicator's name with the badge text when its value is computed from statistics."""
    return f"{name} (∑ {rep.t('statistics.prov_statistics')})" if marked else name


def contributions(rep: Report) -> list[dict]:
    """The scenario's contributions, largest first (the plan's when the scenario is the plan)."""
    plan = rep.plan
    rows = [
        {
            "code": c.code,
            "name": rep.indicator_name(c.code),
            "statistics": from_statistics(rep, c.code),
            "pillar": rep.edition.framework.pillar_of(c.code),
            "baseline": c.baseline_score,
            "scenario": c.scenario_score,
            "delta_score": c.delta_score,
            "delta_pii": c.delta_pii,
            "lead": department_label(plan.lead_of(c.code) or "", rep.lang)
            if plan is not None and plan.lead_of(c.code) is not None
            else "",
            "capped": c.capped,
        }
        for c in rep.outcome.contributions
    ]
    return sorted(rows, key=lambda r: -abs(r["delta_pii"]))


def plan_rows(rep: Report) -> list[dict]:
    """The plan's indicators with their targets, gap and latest progress."""
    if rep.plan is None:
        return []
    ed = rep.edition
    u = ed.unit_index(rep.unit)
    latest: dict[str, ProgressEntry] = {}
    for e in rep.progress:
        latest.setdefault(e.code, e)
    out = []
    for t in rep.plan.targets:
        base = float(ed.scores[u, ed.framework.index[t.code]])
        last = latest.get(t.code)
        out.append(
            {
                "row": t.row,
                "code": t.code,
                "name": rep.indicator_name(t.code),
                "statistics": from_statistics(rep, t.code),
                "pillar": ed.framework.pillar_of(t.code),
                "score_2023": t.baseline,
                "score_edition": base,
                "target": t.target,
                "target_text": target_text(t.target_text, t.target, rep.lang),
                "gap": max(0.0, t.target - base),
                "lead": department_label(t.lead_unit, rep.lang),
                "coord": t.coordinating_units,
                "timeframe": timeframe_label(t.timeframe, rep.lang),
                "tasks": t.tasks,
                "latest": last.score if last else None,
                "latest_date": last.as_of if last else None,
                "done": progress_fraction(t.baseline, t.target, last.score) if last else None,
            }
        )
    return out


def target_text(text: str, target: float, lang: str) -> str:
    """A printed target in the report's language: the automatic "≥ 55.5" a typed plan gets
    reads "≥ 55,5" in Vietnamese; a text the user wrote stays as written."""
    if text != auto_text(target):
        return text
    return "≥ " + (f"{target:g}".replace(".", ",") if lang == "vi" else f"{target:g}")


def composite_provenance(rep: Report) -> dict[tuple[str, str], str]:
    """(level, item) -> provenance of the unit's PII, sub-indices and pillars, by the rule of
    model.index.provenance.composite: official when every indicator below is, published when
    the published figure still holds, else reconstructed."""
    ed, unit = rep.edition, rep.unit
    u = ed.unit_index(unit)
    b = rep.outcome.baseline
    p = store.published(ed.year)
    p = p[(p["unit"].astype(str) == unit) & (p["stat"].astype(str) == "value")]
    pub = {
        (str(r.level), "" if r.level in ("pii", "input", "output") else str(r.item)): float(r.value)
        for r in p.itertuples()
        if str(r.value).strip() not in ("", "nan", "None")
    }
    values = {("pii", ""): b.pii[u], ("input", ""): b.input[u], ("output", ""): b.output[u]}
    values |= {("pillar", q): b.pillars[u, i] for i, q in enumerate(PILLARS)}
    return {
        key: provenance.composite(ed, unit, key[0], key[1], float(v), pub.get(key))
        for key, v in values.items()
    }


def department_rows(rep: Report) -> list[dict]:
    """Departments by PII at stake, largest first."""
    if rep.effect is None:
        return []
    rows = [
        {
            "dept": department_label(d.lead_unit, rep.lang),
            "short": department_label(d.lead_unit, rep.lang, short=True),
            "lead_unit": d.lead_unit,
            "codes": d.codes,
            "delta_pii": d.delta_pii,
            "pii": d.pii,
            "rank": d.rank,
            "rank_change": d.rank_change,
        }
        for d in rep.effect.departments
    ]
    return sorted(rows, key=lambda r: -r["delta_pii"])


ON_TRACK = {
    True: "report.on_track_yes",
    False: "report.on_track_no",
    None: "report.on_track_unread",
}


def department_progress_rows(rep: Report) -> list[dict]:
    """Progress by department (model.plan.by_department): per lead unit, most PII points at
    stake first, each indicator's latest reading against its target and whether it is on
    track (None: no reading yet)."""
    if rep.plan is None or rep.effect is None:
        return []
    result = department_progress(
        rep.plan, rep.edition, rep.progress, rep.scenario, effect=rep.effect
    )
    return [
        {
            "dept": department_label(d.lead_unit, rep.lang),
            "points": d.points,
            "code": i.code,
            "name": rep.indicator_name(i.code),
            "baseline": i.baseline,
            "target": i.target,
            "latest": i.latest,
            "latest_date": i.as_of,
            "done": i.fraction,
            "expected": i.expected,
            "on_track": i.on_track,
            "target_points": i.points,
        }
        for d in result.departments
        for i in d.indicators
    ]


def assumptions(rep: Report) -> list[tuple[str, str]]:
    """(item, setting) rows: the unit, edition, scenario, peers, scale, data and method."""
    s, ed = rep.scenario, rep.edition
    u = ed.unit_index(rep.unit)
    kinds = {k: int((ed.provenance[u] == k).sum()) for k in PROVENANCE}
    if s.peers.startswith("drift:"):
        peers = rep.t("report.peers_drift", x=rep.num(s.drift, 2))
    else:
        peers = rep.t(PEERS[s.peers])
    rows = [
        (rep.t("report.a_unit"), rep.unit_name),
        (rep.t("report.a_edition"), str(ed.year)),
        (rep.t("report.a_scenario"), rep.label),
        (rep.t("report.a_peers"), peers),
        (rep.t("report.a_scale"), rep.t(SCALES[s.scale])),
        (rep.t("report.a_year"), str(s.target_year or ed.year + 1)),
    ]
    if rep.plan is not None:
        p = rep.plan
        named = "" if p.read_only or not p.name else f"{p.name} · "  # the seed: its id, as before
        rows.append(
            (
                rep.t("report.a_plan"),  # "(17)" alone did not say what it counts
                ngettext(rep.lang, "report.fx_plan_ref", len(p.targets), plan=named + p.plan_id),
            )
        )
    rows += [
        (rep.t("report.a_data"), rep.t("report.data_note", unit=rep.unit_name, **kinds)),
        (
            rep.t("statistics.prov_statistics"),
            rep.t("statistics.prov_count", n=kinds["statistics"]),
        ),
        (rep.t("report.a_method"), rep.t("report.method_note")),
        (rep.t("report.a_generated"), fmt.date(rep.generated, rep.lang)),
    ]
    return rows


def provenance_label(rep: Report, kind: str) -> str:
    msg_id = PROVENANCE.get(kind)
    return rep.t(msg_id) if msg_id else kind


def kind_label(rep: Report, kind: str) -> str:
    """A progress entry's value type: a score or a raw value."""
    return rep.t("report.kind_score" if kind == "score" else "report.kind_raw")


def recorded(e: ProgressEntry) -> datetime:
    """When a progress entry was recorded, in Vietnam time without a zone (an Excel cell)."""
    return e.recorded_at.astimezone(VN_TIME).replace(tzinfo=None)
