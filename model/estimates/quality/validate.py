"""Out-of-fold validation of the estimates: how far off is a province nobody published?

The published provinces of an edition are split into K folds. For each fold, every published
fact about its provinces in that edition (PII, rank, sub-indices, pillars, groups, indicator
facts) is hidden and the estimates are rebuilt with the reconstruction itself
(`model.estimates.reconstruct.reconstruct_all(hide=...)`, no second implementation). The hidden PII
scores and ranks are then compared with what the rebuilt edition estimates for them, and with
the interval the app would show around those estimates (`model.estimates.quality.intervals`).

Other editions stay as published: a province's result in another edition is public
information the estimate may use (data/README.md, "Validation").
"""

from __future__ import annotations

import dataclasses
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from model.estimates.priors import published_pii
from model.estimates.quality import intervals, levels
from model.estimates.reconstruct import reconstruct_all
from model.estimates.sources import EDITION_MAP, Sources
from model.index.engine import Aggregates, aggregate, rank_desc

DEFAULT_FOLDS = 5


@dataclass(frozen=True)
class Holdout:
    """One hidden province: what was published and what the rebuilt edition estimates."""

    unit: str
    fold: int
    pii: float | None  # published PII (or the mean of a published input and output)
    rank: int | None  # published rank
    est_pii: float
    est_rank: int
    pii_low: float
    pii_high: float
    rank_low: int
    rank_high: int
    pillars: dict[str, float] = field(default_factory=dict)  # published pillar values
    est_pillars: dict[str, float] = field(default_factory=dict)
    pillar_ranks: dict[str, int] = field(default_factory=dict)  # published pillar ranks
    est_pillar_ranks: dict[str, int] = field(default_factory=dict)

    @property
    def err_pii(self) -> float | None:
        return None if self.pii is None else self.est_pii - self.pii

    @property
    def err_rank(self) -> int | None:
        return None if self.rank is None else self.est_rank - self.rank


@dataclass(frozen=True)
class Validation:
    edition: int
    folds: int
    holdouts: tuple[Holdout, ...]
    seconds: float
    cross_coverage: float | None = None  # coverage of intervals fitted without the fold
    contexts: tuple = field(default=(), repr=False, compare=False)  # the rebuilt folds
    # values below the PII estimated with the unit's own hidden (model/estimates/quality/levels.py)
    below: pd.DataFrame | None = field(default=None, repr=False, compare=False)
    level_stats: dict = field(default_factory=dict, compare=False)  # per level, see levels()

    def summary(self) -> dict:
        """The figures `python -m model validate --json` prints."""
        ep = [abs(h.err_pii) for h in self.holdouts if h.err_pii is not None]
        er = [abs(h.err_rank) for h in self.holdouts if h.err_rank is not None]
        # No interval table yet (before the first `validate --write`): no coverage to judge.
        inside = [
            h.pii_low - 1e-9 <= h.pii <= h.pii_high + 1e-9
            for h in self._with_pii()
            if not math.isnan(h.pii_low)
        ]
        inside_r = [
            h.rank_low <= h.rank <= h.rank_high
            for h in self.holdouts
            if h.rank is not None and h.rank_low > 0 and not math.isnan(h.pii_low)
        ]
        return {
            "edition": self.edition,
            "folds": self.folds,
            "n": len(self.holdouts),
            "mae_pii": _mean(ep),
            "max_abs_pii": _max(ep),
            "mae_rank": _mean(er),
            "max_abs_rank": _max(er),
            "coverage": _mean([float(x) for x in inside]),
            "n_pii": len(ep),
            "n_rank": len(er),
            "coverage_rank": _mean([float(x) for x in inside_r]),
            "coverage_cross": self.cross_coverage,
            "levels": self.level_stats,
        }

    def summary_coverage(self) -> float | None:
        inside = [
            h.pii_low - 1e-9 <= h.pii <= h.pii_high + 1e-9
            for h in self._with_pii()
            if not math.isnan(h.pii_low)
        ]
        return _mean([float(x) for x in inside])

    def _with_pii(self) -> list[Holdout]:
        return [h for h in self.holdouts if h.pii is not None]

    def rows(self) -> list[dict]:
        """One row per hidden province (for --json's `units` and for fitting intervals)."""
        return [
            {
                "unit": h.unit,
                "fold": h.fold,
                "pii": _r(h.pii),
                "est_pii": _r(h.est_pii),
                "pii_low": _r(h.pii_low),
                "pii_high": _r(h.pii_high),
                "rank": h.rank,
                "est_rank": h.est_rank,
                "rank_low": _rank(h.rank_low),
                "rank_high": _rank(h.rank_high),
                "pillars": {k: _r(v) for k, v in h.pillars.items()},
                "est_pillars": {k: _r(h.est_pillars[k]) for k in h.pillars},
            }
            for h in self.holdouts
        ]


def _r(x: float | None, d: int = 4) -> float | None:
    return None if x is None or math.isnan(x) else round(float(x), d)


def _rank(x: int | None) -> int | None:
    return None if x is None or x <= 0 else int(x)  # 0: no interval (a published rank)


def _mean(xs: list[float]) -> float | None:
    return round(float(np.mean(xs)), 4) if xs else None


def _max(xs: list[float]) -> float | None:
    return round(float(np.max(xs)), 4) if xs else None


# --------------------------------------------------------------------------------------------


def published_truth(s: Sources, edition: int) -> pd.DataFrame:
    """unit, pii, rank: the provinces of an edition whose PII or rank was published (as a
    constraint). A province with a published input and output counts with their mean."""
    value, rank = published_pii(s, edition)
    rows = [
        {"unit": u, "pii": value.get(u), "rank": rank.get(u)}
        for u in sorted(set(value) | set(rank))
    ]
    return pd.DataFrame(rows, columns=["unit", "pii", "rank"])


def assign_folds(truth: pd.DataFrame, k: int) -> dict[str, int]:
    """Fold of each published province: in order of the published result (rank, else score),
    dealt round-robin, so that every fold spans the whole table. Deterministic."""
    pii = truth["pii"].to_numpy(float)
    # A province with a score but no rank sits where its score puts it among the others.
    place = [
        r if not pd.isna(r) else 1 + int(np.nansum(pii > p))
        for r, p in zip(truth["rank"], pii, strict=True)
    ]
    key = truth.assign(place=place).sort_values(["place", "unit"])
    return {u: i % k for i, u in enumerate(key["unit"])}


def _pillar_facts(s: Sources, edition: int, unit: str) -> tuple[dict, dict]:
    p = s.published[
        (s.published["edition"] == edition)
        & (s.published["unit"] == unit)
        & (s.published["level"] == "pillar")
        & (s.published["use_as_constraint"].str.lower() == "yes")
        & (s.published["stat"] == "value")
    ]
    values = {str(r.item): float(r.value) for r in p.itertuples() if not math.isnan(r.value)}
    ranks = {str(r.item): int(r.rank) for r in p.itertuples() if not math.isnan(r.rank)}
    return values, ranks


@dataclass(frozen=True, eq=False)
class _Fold:
    """One rebuilt edition without a fold's provinces: enough to score any interval table."""

    fold: int
    hidden: tuple[str, ...]
    agg: Aggregates
    known: intervals.Known


def rebuild_folds(s: Sources, edition: int, folds: int = DEFAULT_FOLDS) -> list[_Fold]:
    """The edition rebuilt once per fold, each time without that fold's published results."""
    if edition not in EDITION_MAP:
        raise ValueError(f"unknown edition {edition}")
    truth = published_truth(s, edition)
    k = max(2, min(int(folds), len(truth)))
    fold_of = assign_folds(truth, k)
    units = list(s.units_of(edition)["slug"])
    fw = s.framework_of(edition)
    out = []
    for f in range(k):
        hidden = tuple(sorted(u for u, g in fold_of.items() if g == f))
        rec = reconstruct_all(s, hide=[(edition, u) for u in hidden], until=edition)[edition]
        agg = aggregate(fw, rec.scores)
        known = intervals.known_from_sources(s, edition, set(hidden), units, agg)
        out.append(_Fold(f, hidden, agg, known))
    return out


def score(
    s: Sources,
    edition: int,
    folds: list[_Fold],
    widths_for: Callable[[int], intervals.Widths | None] = lambda _f: None,
    seconds: float = 0.0,
) -> Validation:
    """Compare each fold's rebuilt estimates with the hidden published results; the interval
    of a fold comes from `widths_for(fold)` (None: the table the app uses)."""
    truth = published_truth(s, edition).set_index("unit")
    units = list(s.units_of(edition)["slug"])
    out: list[Holdout] = []
    for fd in folds:
        agg = fd.agg
        iv = intervals.compute(edition, agg, fd.known, widths_for(fd.fold))
        pillar_rank = rank_desc(agg.pillars.T)  # (7, n)
        for u in fd.hidden:
            i = units.index(u)
            t = truth.loc[u]
            pv, pr = _pillar_facts(s, edition, u)
            out.append(
                Holdout(
                    unit=u,
                    fold=fd.fold,
                    pii=None if pd.isna(t["pii"]) else float(t["pii"]),
                    rank=None if pd.isna(t["rank"]) else int(t["rank"]),
                    est_pii=float(agg.pii[i]),
                    est_rank=int(agg.rank[i]),
                    pii_low=float(iv.pii_low[i]),
                    pii_high=float(iv.pii_high[i]),
                    rank_low=int(iv.rank_low[i]),
                    rank_high=int(iv.rank_high[i]),
                    pillars=pv,
                    est_pillars={p: float(agg.pillars[i, int(p) - 1]) for p in pv},
                    pillar_ranks=pr,
                    est_pillar_ranks={p: int(pillar_rank[int(p) - 1, i]) for p in pr},
                )
            )
    out.sort(key=lambda h: h.unit)
    return Validation(edition, len(folds), tuple(out), seconds, contexts=tuple(folds))


def error_rows(v: Validation, n_units: int) -> pd.DataFrame:
    """The holdout errors of a validation in the layout of data/validation/holdout_errors.csv:
    the hidden PIIs, then every value below the PII (`naive`: the unit's own PII)."""
    rows = []
    for h in v.holdouts:
        base = {"edition": v.edition, "unit": h.unit, "fold": h.fold, "est_rank": h.est_rank}
        base["n_units"] = n_units
        if h.pii is not None:
            rows.append(
                {**base, "level": "pii", "item": "", "published": h.pii, "estimate": h.est_pii}
            )
    cols = [c for c in intervals.ERROR_COLUMNS if c not in ("error", "naive")]
    df = pd.DataFrame(rows, columns=cols)
    df = df.assign(error=df["estimate"] - df["published"], naive=np.nan)
    if v.below is not None and len(v.below):
        df = pd.concat([df, v.below[list(intervals.ERROR_COLUMNS)]], ignore_index=True)
    return df[list(intervals.ERROR_COLUMNS)]


def level_summary(v: Validation, pool: pd.DataFrame) -> dict:
    """Per level (pii, subindex, pillar, group, indicator): n, out-of-fold MAE, the naive
    guess's MAE and their ratio, the coverage and mean width of the intervals the app shows
    (`coverage`, from the stored errors) and of intervals fitted without the unit's own errors
    (`coverage_cross`)."""
    pii = [h for h in v.holdouts if h.pii is not None]
    out: dict = {}
    if pii:
        widths = [h.pii_high - h.pii_low for h in pii if not math.isnan(h.pii_low)]
        out["pii"] = {
            "n": len(pii),
            "mae": _mean([abs(h.err_pii) for h in pii]),
            "naive_mae": None,
            "ratio": None,
            "coverage": v.summary_coverage(),
            "coverage_cross": v.cross_coverage,
            "width": _mean(widths),
        }
    if v.below is None or v.below.empty:
        return out
    w = intervals.widths_from(pool)
    stats = levels.summarise(v.below, w.level)
    for lvl, row in stats.items():
        inside = []
        for (ed, unit), part in v.below[v.below["level"] == lvl].groupby(["edition", "unit"]):
            others = pool[~((pool["edition"] == ed) & (pool["unit"] == unit))]
            q = intervals.widths_from(others).below(lvl)
            lo = np.clip(part["estimate"] - q, 0, 100)
            hi = np.clip(part["estimate"] + q, 0, 100)
            inside += list((part["published"] >= lo - 1e-9) & (part["published"] <= hi + 1e-9))
        row["coverage_cross"] = _mean([float(x) for x in inside]) if inside else None
        out[lvl] = row
    return out


def run(
    s: Sources, edition: int, folds: int = DEFAULT_FOLDS, others: pd.DataFrame | None = None
) -> Validation:
    """Validate one edition (see the module doc). Coverage is judged against the interval
    table the app uses; `coverage_cross` against a table fitted without the fold itself (from
    `others`, the other editions' holdout errors; default: those in the stored file)."""
    started = time.perf_counter()
    fds = rebuild_folds(s, edition, folds)
    below = levels.holdout(s, edition)
    seconds = time.perf_counter() - started
    v = Validation(edition, len(fds), (), seconds, contexts=tuple(fds), below=below)
    return rescore(s, v, others)


def rescore(s: Sources, v: Validation, others: pd.DataFrame | None = None) -> Validation:
    """The same rebuilt folds judged against the interval table as it is now (after --write
    stored new errors), without solving anything again."""
    fds = list(v.contexts)
    below = v.below
    v = dataclasses.replace(score(s, v.edition, fds, seconds=v.seconds), below=below)
    mine = error_rows(v, len(s.units_of(v.edition)))
    if others is None:
        stored = intervals.read_errors()
        others = stored[stored["edition"] != v.edition]
    pool = pd.concat([others, mine], ignore_index=True) if len(others) else mine

    def cross(f: int) -> intervals.Widths:
        return intervals.widths_from(pool[~((pool["edition"] == v.edition) & (pool["fold"] == f))])

    cv = score(s, v.edition, fds, cross, v.seconds)
    v = dataclasses.replace(v, cross_coverage=cv.summary()["coverage"])
    stored = intervals.read_errors()
    app = stored if len(stored) else pool  # the table the app's intervals come from
    return dataclasses.replace(v, level_stats=level_summary(v, app))
