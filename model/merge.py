"""Merged provinces (1 July 2025): a merged unit's baseline estimated from its pre-merger parts.

For a unit of the 2025 edition (34-unit map) whose `merged_from` lists 2024 provinces, each
indicator's raw value is combined from the parts' 2024 raw values with the rule of
data/sources/merge_rules.csv:

- `sum`: counts and absolute amounts add up (4.3.2 share of national GDP);
- `population_mean`: per-capita rates and shares of the population, weighted by population;
- `denominator_mean`: a ratio weighted by its own denominator (GRDP, active firms, employed
  workers, new firms, manufacturing value), so that the merged value is sum of numerators over
  sum of denominators;
- `max` / `min`: available, used by no indicator today.

The combined raw values are scored under the 2025 goalposts (clipped to 0-100) and aggregated
with `model.index.engine.aggregate`; the rank is the one the estimate would take among the 2025 units,
every other unit as in the 2025 edition. Indicators whose definition changed between the
editions (same code, another name or unit) are not comparable: they are left out (the engine
skips a missing indicator inside its group) and listed.

Weights (all from the data, never invented):
- population: units.csv `population_thousand` of the part (map 63; 2023, else derived 2022).
  A part without one takes the mean of its co-parts' known values; when no part has one the
  parts weigh equally.
- the denominators come from the parts' 2024 values of other indicators: GRDP ∝ 4.3.2 (share of
  national GDP), active firms = 4.2.2 (per 1,000 population) x population, employed = 7.3.2
  (% of population) x population, new firms = 6.3.2 x population, manufacturing value = 7.2.3
  (% of GRDP) x GRDP. These are themselves reconstructed estimates where not published; a
  denominator that cannot be formed falls back to population weights, and the estimate says so.

Pure: no Streamlit, no database writes; `merge_rules()` reads the CSV, `side_by_side` reads the
published table through `model.official.store` only when it is not given one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from model import i18n, paths
from model.estimates.sources import read_merge_rules
from model.index import provenance
from model.index.dataset import Edition, UnknownName
from model.index.engine import aggregate, normalise, rank_desc
from model.index.framework import PILLARS
from model.index.scenario import ScenarioError

# Which indicator each derived denominator is formed from (see the module docstring).
DENOMINATOR_SOURCE: dict[str, str] = {
    "grdp": "4.3.2",
    "firms": "4.2.2",
    "employed": "7.3.2",
    "new_firms": "6.3.2",
    "manufacturing": "7.2.3",
}
PROVENANCE_ESTIMATE = "estimate_from_parts"


class MergeError(ScenarioError):
    """A merge comparison that cannot be made (a catalogue id and its parameters)."""


PROVENANCE_NOT_COMPARABLE = "not_comparable"


# --------------------------------------------------------------------------------------------
# Rules and parts
# --------------------------------------------------------------------------------------------

_rules_cache: dict[tuple, pd.DataFrame] = {}


def _rules(directory: Path | None = None) -> pd.DataFrame:
    directory = directory or paths.sources_dir()
    f = directory / "merge_rules.csv"
    st = f.stat() if f.exists() else None
    key = (str(f), st.st_mtime_ns if st else None, st.st_size if st else None)
    if key not in _rules_cache:
        _rules_cache.clear()
        _rules_cache[key] = read_merge_rules(directory)
    return _rules_cache[key]


def merge_rules(directory: Path | None = None) -> pd.DataFrame:
    """merge_rules.csv (code, rule, weight, rationale, source), checked; cached per file version."""
    return _rules(directory).copy()


def _parts_from(units: pd.DataFrame, unit: str) -> list[str] | None:
    slugs = units["slug"].tolist()
    if unit not in slugs:
        return None
    merged = str(units["merged_from"].tolist()[slugs.index(unit)] or "")
    return [p for p in merged.split(";") if p.strip()] or [unit]


def edition_parts(ed: Edition, unit: str) -> list[str]:
    """The slugs `unit` of `ed` was formed from (itself alone when it was not merged, or when
    `ed` does not have it)."""
    if "merged_from" not in ed.units:
        return [unit]
    return _parts_from(ed.units, unit) or [unit]


def parts_of(unit_2025: str, ed_next: Edition | None = None) -> list[str]:
    """The 2024 (map 63) slugs a 2025 unit was formed from; a unit that was not merged is its
    own single part. Units come from `ed_next` when given, else from data/sources/units.csv."""
    if ed_next is not None:
        units = ed_next.units
    else:
        all_units = pd.read_csv(
            paths.sources_dir() / "units.csv", dtype=str, keep_default_na=False, encoding="utf-8"
        )
        units = all_units[all_units["map"] == "34"]
    parts = _parts_from(units, unit_2025)
    if parts is None:
        into = [
            str(r["slug"])
            for _, r in units.iterrows()
            if unit_2025 in str(r.get("merged_from") or "").split(";")
        ]
        valid = ", ".join(sorted(units["slug"]))
        if into:
            raise UnknownName("merge.err_part_of", unit=unit_2025, into=into[0], valid=valid)
        raise UnknownName("merge.err_unknown_unit", unit=unit_2025, valid=valid)
    return parts


# --------------------------------------------------------------------------------------------
# The estimate
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CodeRule:
    """How one indicator was estimated for this unit."""

    code: str
    rule: str  # the rule of merge_rules.csv
    weight: str  # the weight asked for ("" for sum/max/min)
    weight_used: str  # the weight actually used: the same, "population" or "equal" on fallback
    comparable: bool  # the code means the same in both editions
    shares: tuple[float, ...]  # each part's share of the weight (sum rule: all 1.0)
    notes: tuple[i18n.Message, ...] = ()  # why a fallback was taken, or why not comparable

    @property
    def note(self) -> str:
        """The notes in English (the CLI's JSON); screens render `notes` in their language."""
        return "; ".join(str(m) for m in self.notes)


@dataclass(frozen=True, eq=False)
class MergeEstimate:
    """A 2025 unit's baseline estimated from its parts' 2024 values."""

    unit: str
    parts: tuple[str, ...]
    edition_prev: int
    edition_next: int
    codes: tuple[str, ...]  # the next edition's indicator codes, in framework order
    raw: np.ndarray  # (m,) raw value per code from the parts (NaN: not comparable)
    scores: np.ndarray  # (m,) under the next edition's goalposts, clipped 0-100 (NaN as raw)
    rules: Mapping[str, CodeRule]
    population: tuple[float, ...]  # the population weight of each part as used
    population_message: i18n.Message | None  # None when every part has a population
    population_missing: tuple[str, ...]  # the parts without one
    groups: np.ndarray  # (G,)
    pillars: np.ndarray  # (7,)
    input: float
    output: float
    pii: float
    rank: int  # among the next edition's units, every other unit as published/reconstructed
    n_units: int
    coverage: float  # share of indicators estimated
    rank_scores: np.ndarray = field(repr=False)  # (m,) rank of each estimated score, NaN: none
    rank_pillars: np.ndarray = field(repr=False)  # (7,)
    rank_input: int = 0
    rank_output: int = 0

    @property
    def population_note(self) -> str:
        """`population_message` in English ("" when there is none), as the CLI's JSON has it."""
        return "" if self.population_message is None else str(self.population_message)

    @property
    def not_comparable(self) -> tuple[str, ...]:
        return tuple(c for c, r in self.rules.items() if not r.comparable)

    def raw_of(self, code: str) -> float:
        return float(self.raw[self.codes.index(code)])

    def score_of(self, code: str) -> float:
        return float(self.scores[self.codes.index(code)])


def comparability(ed_prev: Edition, ed_next: Edition) -> dict[str, i18n.Message | None]:
    """Each next-edition code -> None when the previous edition has the same indicator under
    it, else the reason it is not comparable (a sentence naming both indicators)."""
    out: dict[str, i18n.Message | None] = {}
    for ind in ed_next.framework.indicators:
        if ind.code not in ed_prev.framework.index:
            out[ind.code] = i18n.msg("merge.note_missing_code", code=ind.code, year=ed_prev.year)
            continue
        old = ed_prev.framework.indicator(ind.code)
        if (old.name_en, old.unit_en) != (ind.name_en, ind.unit_en) or old.direction != (
            ind.direction
        ):
            out[ind.code] = i18n.msg(
                "merge.note_changed_code",
                code=ind.code,
                prev=ed_prev.year,
                next=ed_next.year,
                old_name=_Data(vi=old.name_vi, en=old.name_en),
                old_unit=_Data(vi=old.unit_vi, en=old.unit_en),
                new_name=_Data(vi=ind.name_vi, en=ind.name_en),
                new_unit=_Data(vi=ind.unit_vi, en=ind.unit_en),
            )
        else:
            out[ind.code] = None
    return out


@dataclass(frozen=True)
class _Data(i18n.Message):
    """Text from the data in both languages (an indicator's name or unit) as a parameter of a
    message: it renders in the sentence's language."""

    msg_id: str = ""
    vi: str = ""
    en: str = ""

    def render(self, lang: str) -> str:
        return (self.en or self.vi) if lang == "en" else self.vi


def comparable_codes(ed_prev: Edition, ed_next: Edition) -> dict[str, str]:
    """Each next-edition code -> "" when the previous edition has the same indicator under it,
    else the reason it is not comparable (English; `comparability` gives the messages)."""
    return {c: "" if m is None else str(m) for c, m in comparability(ed_prev, ed_next).items()}


def _population(
    ed_prev: Edition, parts: Sequence[str]
) -> tuple[np.ndarray, i18n.Message | None, tuple[str, ...]]:
    """Population weights of the parts, why they are not all from units.csv, and which lack one."""
    col = pd.to_numeric(ed_prev.units["population_thousand"], errors="coerce").tolist()
    pop = np.array([col[ed_prev.unit_index(p)] for p in parts], dtype=float)
    known = ~np.isnan(pop) & (pop > 0)
    if known.all():
        return pop, None, ()
    missing = tuple(p for p, k in zip(parts, known, strict=True) if not k)
    if not known.any():
        note = i18n.msg("merge.note_population_equal", parts=", ".join(missing))
        return np.ones(len(parts)), note, missing
    filled = np.where(known, pop, pop[known].mean())
    note = i18n.msg("merge.note_population_mean", parts=", ".join(missing))
    return filled, note, missing


def estimate_from_parts(unit_2025: str, ed_prev: Edition, ed_next: Edition) -> MergeEstimate:
    """Estimate `unit_2025`'s indicators, aggregates and rank in `ed_next` from its parts'
    values in `ed_prev` with the rules of merge_rules.csv (see the module docstring)."""
    parts = parts_of(unit_2025, ed_next)  # a clear error for an unknown unit
    pix = [ed_prev.unit_index(p) for p in parts]
    fw = ed_next.framework
    rules = {r["code"]: (r["rule"], r["weight"]) for r in _rules().to_dict("records")}
    comp = comparability(ed_prev, ed_next)
    part_raw = ed_prev.raw[pix]  # (k, m_prev)

    def prev_raw(code: str) -> np.ndarray | None:
        if code not in comp or comp[code] is not None or code not in ed_prev.framework.index:
            return None
        v = part_raw[:, ed_prev.framework.index[code]]
        return None if np.isnan(v).any() else v

    pop, pop_note, pop_missing = _population(ed_prev, parts)
    grdp = prev_raw(DENOMINATOR_SOURCE["grdp"])
    denominators: dict[str, np.ndarray | None] = {"population": pop, "grdp": grdp}
    for name, code in DENOMINATOR_SOURCE.items():
        if name in ("grdp", "manufacturing"):
            continue
        v = prev_raw(code)
        denominators[name] = None if v is None else v * pop
    ratio = prev_raw(DENOMINATOR_SOURCE["manufacturing"])
    denominators["manufacturing"] = None if ratio is None or grdp is None else ratio * grdp

    raw = np.full(fw.m, np.nan)
    used: dict[str, CodeRule] = {}
    for i, code in enumerate(fw.codes):
        rule, weight = rules[code]
        values = prev_raw(code)
        if values is None:
            reason = comp.get(code) or i18n.msg("merge.note_no_value", code=code, year=ed_prev.year)
            used[code] = CodeRule(code, rule, weight, "", False, (), (reason,))
            continue
        notes: list[i18n.Message] = []
        if rule == "sum":
            raw[i] = values.sum()
            used[code] = CodeRule(code, rule, weight, "", True, (1.0,) * len(parts))
            continue
        if rule in ("max", "min"):
            raw[i] = values.max() if rule == "max" else values.min()
            used[code] = CodeRule(code, rule, weight, "", True, (1.0,) * len(parts))
            continue
        w = denominators.get(weight)
        weight_used = weight
        if w is None or not np.isfinite(w).all() or (w <= 0).any():
            src = DENOMINATOR_SOURCE.get(weight, "")
            notes.append(i18n.msg("merge.note_weight_fallback", weight=weight, code=src))
            w, weight_used = pop, "population"
        if weight_used == "population" and pop_note is not None:
            notes.append(pop_note)
            if pop_note.msg_id == "merge.note_population_equal" and weight == "population":
                weight_used = "equal"
        shares = w / w.sum()
        raw[i] = float(shares @ values)
        used[code] = CodeRule(
            code, rule, weight, weight_used, True, tuple(float(x) for x in shares), tuple(notes)
        )

    scores = np.clip(normalise(raw, ed_next.lo, ed_next.hi, fw.direction), 0.0, 100.0)
    u = ed_next.unit_index(unit_2025)
    table = ed_next.scores.copy()
    table[u] = scores
    agg = aggregate(fw, table)
    col_rank = rank_desc(table.T)[:, u].astype(float)
    col_rank[np.isnan(scores)] = np.nan
    pillar_rank = rank_desc(agg.pillars.T)[:, u]
    return MergeEstimate(
        unit=unit_2025,
        parts=tuple(parts),
        edition_prev=ed_prev.year,
        edition_next=ed_next.year,
        codes=fw.codes,
        raw=raw,
        scores=scores,
        rules=used,
        population=tuple(float(x) for x in pop),
        population_message=pop_note,
        population_missing=pop_missing,
        groups=agg.groups[u],
        pillars=agg.pillars[u],
        input=float(agg.input[u]),
        output=float(agg.output[u]),
        pii=float(agg.pii[u]),
        rank=int(agg.rank[u]),
        n_units=ed_next.n,
        coverage=float(agg.coverage[u]),
        rank_scores=col_rank,
        rank_pillars=pillar_rank,
        rank_input=int(rank_desc(agg.input)[u]),
        rank_output=int(rank_desc(agg.output)[u]),
    )


# --------------------------------------------------------------------------------------------
# Side by side
# --------------------------------------------------------------------------------------------

AGGREGATE_LEVELS = ("pii", "input", "output", "pillar")


def _pick(editions: Mapping[int, Edition] | Sequence[Edition]) -> tuple[Edition, Edition]:
    eds = list(editions.values()) if isinstance(editions, Mapping) else list(editions)
    eds.sort(key=lambda e: e.year)
    if len(eds) < 2:
        raise MergeError("merge.err_two_editions")
    return eds[-2], eds[-1]


def _published_keys(published: pd.DataFrame, year: int) -> dict[tuple[str, str, str], float]:
    """(unit, level, item) -> value of the published values used as constraints in `year`."""
    p = published[(published["edition"].astype(int) == year)]
    p = p[p["use_as_constraint"].astype(str).str.lower().isin(["yes", "true"])]
    p = p[pd.to_numeric(p["value"], errors="coerce").notna()]
    p = p[p["stat"].astype(str) == "value"]
    return {
        (
            str(r.unit),
            str(r.level),
            "" if r.level in ("pii", "input", "output") else str(r.item),
        ): float(r.value)
        for r in p.itertuples()
    }


def _edition_rows(ed: Edition, slug: str, pub: dict) -> dict[tuple[str, str], tuple]:
    """(level, item) -> (value, rank, provenance) of one unit of an edition."""
    agg = ed.baseline()
    u = ed.unit_index(slug)
    out: dict[tuple[str, str], tuple] = {}

    def prov(level: str, item: str, value: float) -> str:
        return provenance.composite(ed, slug, level, item, value, pub.get((slug, level, item)))

    def row(level: str, item: str, values: np.ndarray, ranks: np.ndarray) -> tuple:
        v = float(values[u])
        return v, int(ranks[u]), prov(level, item, v)

    out[("pii", "")] = row("pii", "", agg.pii, agg.rank)
    out[("input", "")] = row("input", "", agg.input, rank_desc(agg.input))
    out[("output", "")] = row("output", "", agg.output, rank_desc(agg.output))
    for k, p in enumerate(PILLARS):
        col = agg.pillars[:, k]
        out[("pillar", p)] = row("pillar", p, col, rank_desc(col))
    ranks = rank_desc(ed.scores.T)[:, u]
    for i, code in enumerate(ed.framework.codes):
        v = float(ed.scores[u, i])
        out[("indicator", code)] = (
            v,
            None if np.isnan(v) else int(ranks[i]),
            str(ed.provenance[u, i]),
        )
    return out


def side_by_side(
    unit_2025: str,
    editions: Mapping[int, Edition] | Sequence[Edition],
    published: pd.DataFrame | None = None,
    estimate: MergeEstimate | None = None,
) -> pd.DataFrame:
    """One row per level and item (pii, input, output, pillars 1-7, every indicator score):
    each part's value, rank and provenance in the previous edition, the estimate from the parts
    and the unit's value in the merged edition, side by side.

    Columns: level, item, comparable (False: the indicator changed between the editions, so the
    parts' values measure something else and nothing is estimated), then for each part `<slug>_<year>`, `<slug>_<year>_rank`,
    `<slug>_<year>_provenance`; `estimate`, `estimate_rank`, `estimate_provenance`; and the same
    three for the unit in the merged edition (`<unit>_<year>`...). `df.attrs` names them:
    parts, unit, prev, next, n_prev, n_next, part_columns, merged_column.
    Provenance: official | published | reconstructed | estimate_from_parts | not_comparable.
    """
    ed_prev, ed_next = _pick(editions)
    est = estimate or estimate_from_parts(unit_2025, ed_prev, ed_next)
    if published is None:
        from model.official import store

        published = store.published()
    pub_prev = _published_keys(published, ed_prev.year)
    pub_next = _published_keys(published, ed_next.year)
    parts = {p: _edition_rows(ed_prev, p, pub_prev) for p in est.parts}
    merged = _edition_rows(ed_next, unit_2025, pub_next)

    est_rows: dict[tuple[str, str], tuple] = {
        ("pii", ""): (est.pii, est.rank),
        ("input", ""): (est.input, est.rank_input),
        ("output", ""): (est.output, est.rank_output),
    }
    for k, p in enumerate(PILLARS):
        est_rows[("pillar", p)] = (float(est.pillars[k]), int(est.rank_pillars[k]))
    for i, code in enumerate(est.codes):
        r = est.rank_scores[i]
        est_rows[("indicator", code)] = (
            float(est.scores[i]),
            None if np.isnan(r) else int(r),
        )

    col = {p: f"{p}_{ed_prev.year}" for p in est.parts}
    mcol = f"{unit_2025}_{ed_next.year}"
    records = []
    for key in merged:
        level, item = key
        comparable = level != "indicator" or est.rules[item].comparable
        rec: dict[str, object] = {"level": level, "item": item, "comparable": comparable}
        for p, rows in parts.items():
            v, r, pv = rows.get(key, (np.nan, None, PROVENANCE_NOT_COMPARABLE))
            rec[col[p]], rec[f"{col[p]}_rank"], rec[f"{col[p]}_provenance"] = v, r, pv
        v, r = est_rows[key]
        rec["estimate"], rec["estimate_rank"] = v, r
        rec["estimate_provenance"] = (
            PROVENANCE_ESTIMATE if comparable else PROVENANCE_NOT_COMPARABLE
        )
        v, r, pv = merged[key]
        rec[mcol], rec[f"{mcol}_rank"], rec[f"{mcol}_provenance"] = v, r, pv
        records.append(rec)
    df = pd.DataFrame.from_records(records)
    for c in [f"{x}_rank" for x in (*col.values(), "estimate", mcol)]:
        df[c] = df[c].astype("Int64")
    df.attrs.update(
        unit=unit_2025,
        parts=list(est.parts),
        prev=ed_prev.year,
        next=ed_next.year,
        n_prev=ed_prev.n,
        n_next=ed_next.n,
        part_columns=[col[p] for p in est.parts],
        merged_column=mcol,
        not_comparable=list(est.not_comparable),
    )
    return df
