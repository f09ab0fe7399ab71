"""How robust a rank is: Monte Carlo over the index's methodological choices (GII/JRC audit).

Each run draws, with a fixed seed:
  weights      every pillar's weight (or every indicator's, weights="indicator") multiplied by
               U(1 - spread, 1 + spread), then renormalised (pillar weights to sum 1; indicator
               weights within their group, as the engine does);
  aggregation  arithmetic or geometric (probability 0.5). Geometric means are taken where the
               PII combines its pillars (pillars -> input/output sub-indices -> PII, one weighted
               geometric mean exp(sum w log P)), on scores shifted to 1-100 (s' = 1 + 0.99 s) as
               COINr does so that every log is defined; groups and pillars stay arithmetic;
  outliers     on or off (probability 0.5): indicators flagged by the Groeneveld-Meeden rule
               (|skewness| > 2.25 and kurtosis > 3.5, the sample estimators COINr and Excel use)
               are winsorised up to 5 points (the extreme value set to the next one, on the side
               of the skew); if still flagged, log-transformed instead (COINr's log_CT on the
               original values); then re-normalised to 0-100. Skewness, kurtosis and
               winsorisation are unchanged by the affine map between raw values and
               score-equivalents, so they run on the scores, in the raw orientation (a "lower is
               better" indicator is flipped first so the log bends the right tail).

Every run ranks all units (two-decimal scores, 1 = best). For each unit: the median rank and the
5th-95th percentile interval (empirical quantiles: always an observed rank). A scenario is run
with the very same draws as the baseline, so the two are paired run by run.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from model import i18n
from model.index.dataset import Edition
from model.index.engine import aggregate, rank_desc, renormalise
from model.index.scenario import Scenario, ScenarioError, _peer_delta, check, evaluate_targets

SKEW_MAX = 2.25
KURT_MAX = 3.5
WINSOR_MAX = 5
DEFAULT_RUNS = 1000
MAX_RUNS = 100_000
DEFAULT_SEED = 2024
DEFAULT_SPREAD = 0.2
WEIGHT_MODES = ("pillar", "indicator")


class UncertaintyError(ScenarioError):
    """Invalid settings for the uncertainty analysis (the CLI shows the message)."""


# --------------------------------------------------------------------------------------------
# Outliers
# --------------------------------------------------------------------------------------------


def skewness(x: np.ndarray) -> np.ndarray:
    """Sample skewness per column, NaN skipped (e1071 type 2 = Excel SKEW, as COINr)."""
    x = np.asarray(x, dtype=float)
    n = (~np.isnan(x)).sum(axis=0)
    d = x - np.nanmean(x, axis=0)
    m2, m3 = np.nansum(d**2, axis=0), np.nansum(d**3, axis=0)
    with np.errstate(all="ignore"):
        g = np.sqrt(n) * m3 / m2**1.5
        return np.where((n > 2) & (m2 > 0), g * np.sqrt(n * (n - 1)) / (n - 2), 0.0)


def kurtosis(x: np.ndarray) -> np.ndarray:
    """Sample excess kurtosis per column, NaN skipped (e1071 type 2 = Excel KURT, as COINr)."""
    x = np.asarray(x, dtype=float)
    n = (~np.isnan(x)).sum(axis=0)
    d = x - np.nanmean(x, axis=0)
    m2, m4 = np.nansum(d**2, axis=0), np.nansum(d**4, axis=0)
    with np.errstate(all="ignore"):
        r = n * m4 / m2**2
        k = ((n + 1) * (r - 3) + 6) * (n - 1) / ((n - 2) * (n - 3))
        return np.where((n > 3) & (m2 > 0), k, 0.0)


def flagged(x: np.ndarray) -> np.ndarray:
    """Columns with outliers by the GII rule: |skewness| > 2.25 and kurtosis > 3.5."""
    return (np.abs(skewness(x)) > SKEW_MAX) & (kurtosis(x) > KURT_MAX)


def treat_column(x: np.ndarray) -> tuple[np.ndarray, str]:
    """One indicator's values treated for outliers: ('', 'winsorised:K' or 'log')."""
    x = np.asarray(x, dtype=float)
    if not flagged(x[:, None])[0]:
        return x.copy(), ""
    w, done = x.copy(), 0
    while done < WINSOR_MAX and flagged(w[:, None])[0]:
        side = np.nanmax if skewness(w[:, None])[0] >= 0 else np.nanmin
        hit = w == side(w)
        rest = w[~hit & ~np.isnan(w)]
        if rest.size == 0:
            break
        w[hit] = side(rest)
        done += int(hit.sum())
    if not flagged(w[:, None])[0]:
        return w, f"winsorised:{done}"
    lo, hi = np.nanmin(x), np.nanmax(x)
    return np.log(x - lo + 0.01 * (hi - lo)), "log"


def treat_outliers(scores: np.ndarray, direction: np.ndarray) -> tuple[np.ndarray, dict[int, str]]:
    """Scores (n, m) with flagged indicators treated and re-normalised to 0-100.

    Returns the treated scores and {column: treatment} for the columns that were treated.
    """
    out = np.array(scores, dtype=float, copy=True)
    raw = np.where(direction > 0, out, 100.0 - out)  # raw orientation (affine in raw values)
    done: dict[int, str] = {}
    for i in np.flatnonzero(flagged(raw)):
        col, how = treat_column(raw[:, i])
        if not how:
            continue
        s = renormalise(col[:, None])[:, 0]
        out[:, i] = np.where(np.isnan(scores[:, i]), np.nan, s if direction[i] > 0 else 100.0 - s)
        done[int(i)] = how
    return out, done


# --------------------------------------------------------------------------------------------
# Monte Carlo
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Uncertainty:
    """Rank uncertainty of every unit, for the baseline and optionally a scenario (paired)."""

    edition: int
    slugs: tuple[str, ...]
    unit: str | None
    scenario: Scenario | None
    runs: int
    seed: int
    spread: float
    weights: str
    nominal: np.ndarray  # (n,) the engine's ranks (baseline)
    ranks: np.ndarray  # (runs, n) baseline rank of every unit in every run
    median: np.ndarray  # (n,)
    p5: np.ndarray
    p95: np.ndarray
    parameters: pd.DataFrame  # one row per run: what was drawn (and the unit's ranks)
    treated: dict[str, str]  # indicator code -> outlier treatment (baseline data)
    scenario_nominal: np.ndarray | None = None
    scenario_ranks: np.ndarray | None = None
    scenario_median: np.ndarray | None = None
    scenario_p5: np.ndarray | None = None
    scenario_p95: np.ndarray | None = None
    scenario_treated: dict[str, str] | None = None

    def _u(self, unit: str | None) -> int:
        unit = unit or self.unit
        if unit is None:
            raise UncertaintyError("uncertainty.err_no_unit")
        try:
            return self.slugs.index(unit)
        except ValueError:
            raise UncertaintyError(
                "uncertainty.err_unknown_unit", unit=str(unit), valid=", ".join(self.slugs)
            ) from None

    def table(self) -> pd.DataFrame:
        """One row per unit: nominal rank, median rank, p5, p95 (and the scenario's)."""
        df = pd.DataFrame(
            {
                "unit": list(self.slugs),
                "rank": self.nominal,
                "median_rank": self.median,
                "p5": self.p5,
                "p95": self.p95,
            }
        )
        if self.scenario_ranks is not None:
            df["scenario_rank"] = self.scenario_nominal
            df["scenario_median_rank"] = self.scenario_median
            df["scenario_p5"] = self.scenario_p5
            df["scenario_p95"] = self.scenario_p95
        return df.sort_values(["rank", "unit"], kind="stable").reset_index(drop=True)

    def gain_share(self, unit: str | None = None) -> float | None:
        """Share of runs in which the scenario ranks the unit better than the baseline does."""
        if self.scenario_ranks is None:
            return None
        u = self._u(unit)
        return float((self.scenario_ranks[:, u] < self.ranks[:, u]).mean())

    def summary(self, unit: str | None = None) -> dict:
        u = self._u(unit)
        out: dict = {
            "unit": self.slugs[u],
            "edition": self.edition,
            "rank": int(self.nominal[u]),
            "median_rank": int(self.median[u]),
            "p5": int(self.p5[u]),
            "p95": int(self.p95[u]),
            "runs": self.runs,
            "seed": self.seed,
            "spread": self.spread,
            "weights": self.weights,
            "treated": dict(self.treated),
        }
        if self.scenario_ranks is not None:
            assert self.scenario_nominal is not None and self.scenario_median is not None
            assert self.scenario_p5 is not None and self.scenario_p95 is not None
            out["scenario"] = {
                "rank": int(self.scenario_nominal[u]),
                "median_rank": int(self.scenario_median[u]),
                "p5": int(self.scenario_p5[u]),
                "p95": int(self.scenario_p95[u]),
                "treated": dict(self.scenario_treated or {}),
            }
            out["gain_share"] = self.gain_share(self.slugs[u])
            out["beyond_interval"] = bool(self.scenario_median[u] < self.p5[u])
            out["verdict"] = self.verdict(self.slugs[u], "en")
        return out

    def verdict_message(self, unit: str | None = None) -> i18n.Message:
        """Plain words: does the scenario's rank gain hold beyond the method's uncertainty?"""
        if self.scenario_ranks is None:
            raise UncertaintyError("uncertainty.err_no_scenario")
        assert self.scenario_nominal is not None and self.scenario_median is not None
        u = self._u(unit)
        share = self.gain_share(self.slugs[u]) or 0.0
        r0, r1 = int(self.nominal[u]), int(self.scenario_nominal[u])
        med, lo, hi = int(self.scenario_median[u]), int(self.p5[u]), int(self.p95[u])
        params = dict(r0=r0, r1=r1, pct=round(100.0 * share), median=med, lo=lo, hi=hi)
        if r1 >= r0:
            return i18n.msg("uncertainty.verdict_no_gain", **params)
        if med < lo:
            return i18n.msg("uncertainty.verdict_beyond", **params)
        return i18n.msg("uncertainty.verdict_within", **params)

    def verdict(self, unit: str | None = None, lang: str = "vi") -> str:
        """The verdict (`verdict_message`) in `lang`."""
        return self.verdict_message(unit).render(lang)


def _quantiles(ranks: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    q = np.percentile(ranks, [5, 50, 95], axis=0, method="inverted_cdf")
    return q[1].astype(int), q[0].astype(int), q[2].astype(int)


def _pillars_nominal(ed: Edition, scores: np.ndarray) -> np.ndarray:
    return aggregate(ed.framework, scores).pillars  # (n, 7)


def _pillars_weighted(ed: Edition, scores: np.ndarray, w_ind: np.ndarray) -> np.ndarray:
    """Pillar scores (c, n, 7) for scores (c, n, m) under per-run indicator weights (c, m)."""
    fw = ed.framework
    onehot = (fw.w_raw > 0).astype(float)  # (m, G)
    present = ~np.isnan(scores)
    filled = np.where(present, scores, 0.0)
    if present.all():
        group_sum = w_ind @ onehot  # (c, G)
        wn = w_ind / group_sum[:, fw.ind_group]  # within-group weights (c, m)
        per_pillar = fw.w_pillar[fw.ind_group]  # (m, 7): the group's weight in its pillar
        return (filled * wn[:, None, :]) @ per_pillar
    num = (filled * w_ind[:, None, :]) @ onehot
    den = (present * w_ind[:, None, :]) @ onehot
    with np.errstate(all="ignore"):
        groups = np.where(den > 0, num / np.where(den > 0, den, 1.0), np.nan)
        gp = ~np.isnan(groups)
        pn = np.where(gp, groups, 0.0) @ fw.g_raw
        pd_ = gp.astype(float) @ fw.g_raw
        return np.where(pd_ > 0, pn / np.where(pd_ > 0, pd_, 1.0), np.nan)


def _pii(pillars: np.ndarray, pw: np.ndarray, geometric: np.ndarray) -> np.ndarray:
    """PII (c, n) from pillars (c or 1, n, 7), pillar weights (c, 7) summing to 1, per-run flag."""
    arith = np.einsum("cnp,cp->cn", np.broadcast_to(pillars, (len(pw), *pillars.shape[-2:])), pw)
    with np.errstate(all="ignore"):
        logs = np.log1p(0.99 * pillars)  # log(1 + 0.99 s): scores shifted to 1-100
        geo = np.exp(np.einsum("cnp,cp->cn", np.broadcast_to(logs, arith.shape + (7,)), pw))
    return np.where(geometric[:, None], geo, arith)


def uncertainty(
    ed: Edition,
    target: str | Scenario | None = None,
    *,
    runs: int = DEFAULT_RUNS,
    seed: int = DEFAULT_SEED,
    spread: float = DEFAULT_SPREAD,
    weights: str = "pillar",
    vary_aggregation: bool = True,
    vary_outliers: bool = True,
    trend: np.ndarray | None = None,
    chunk: int = 1000,
) -> Uncertainty:
    """Monte Carlo rank uncertainty for every unit; with a Scenario, the scenario beside it.

    target: a unit slug (whose summary and verdict are shown), a Scenario (its unit, and the
    scenario evaluated with the same draws) or None. The draws depend only on the seed, the
    number of runs, the weight mode and the framework, never on the data, so baseline and
    scenario share them run by run.
    """
    if (
        isinstance(runs, bool)
        or not isinstance(runs, int | np.integer)
        or not 1 <= runs <= MAX_RUNS
    ):
        raise UncertaintyError("uncertainty.err_runs", max=float(MAX_RUNS), value=str(runs))
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise UncertaintyError("uncertainty.err_seed", value=str(seed))
    if not (isinstance(spread, int | float) and math.isfinite(spread) and 0 <= spread < 1):
        raise UncertaintyError("uncertainty.err_spread", value=str(spread))
    if weights not in WEIGHT_MODES:
        raise UncertaintyError(
            "uncertainty.err_weights", valid=", ".join(WEIGHT_MODES), value=str(weights)
        )
    fw = ed.framework
    scenario, unit = None, None
    if isinstance(target, Scenario):
        check(target, ed)
        scenario, unit = target, target.unit
    elif target is not None:
        ed.unit_index(str(target))  # UnknownName for a bad slug
        unit = str(target)

    datasets = {"baseline": np.asarray(ed.scores, dtype=float)}
    if scenario is not None:
        u = ed.unit_index(scenario.unit)
        t = np.full(fw.m, np.nan)
        for code, v in scenario.targets:
            t[fw.index[code]] = v
        _, sc, _ = evaluate_targets(
            ed, u, t[None, :], scale=scenario.scale, peer_delta=_peer_delta(scenario, ed, trend)
        )
        datasets["scenario"] = sc[0]
    treated_scores, treatments = {}, {}
    for name, s in datasets.items():
        treated_scores[name], done = treat_outliers(s, fw.direction)
        treatments[name] = {fw.codes[i]: how for i, how in sorted(done.items())}

    # --- the draws (fixed layout: the same seed gives the same draws whatever the data) ---
    rng = np.random.default_rng(seed)
    k = len(fw.pillar_weights) if weights == "pillar" else fw.m
    mult = rng.uniform(1.0 - spread, 1.0 + spread, size=(runs, k))
    geometric = rng.random(runs) < 0.5
    outliers = rng.random(runs) < 0.5
    if not vary_aggregation:
        geometric[:] = False
    if not vary_outliers:
        outliers[:] = False
    if weights == "pillar":
        pw = fw.pillar_weights * mult
        pw /= pw.sum(axis=1, keepdims=True)
        w_ind = None
    else:
        pw = np.broadcast_to(fw.pillar_weights, (runs, 7))
        w_ind = fw.weights * mult

    results: dict[str, np.ndarray] = {}
    for name, off in datasets.items():
        on = treated_scores[name]
        ranks = np.empty((runs, ed.n), dtype=np.int16)
        if w_ind is None:
            p_off, p_on = _pillars_nominal(ed, off), _pillars_nominal(ed, on)
        for a in range(0, runs, chunk):
            b = min(a + chunk, runs)
            o, g = outliers[a:b], geometric[a:b]
            if w_ind is None:
                pillars = np.where(o[:, None, None], p_on, p_off)
            else:
                sel = np.where(o[:, None, None], on, off)
                pillars = _pillars_weighted(ed, sel, w_ind[a:b])
            ranks[a:b] = rank_desc(_pii(pillars, pw[a:b], g))
        results[name] = ranks

    params = pd.DataFrame(
        {
            "run": np.arange(1, runs + 1),
            "aggregation": np.where(geometric, "geometric", "arithmetic"),
            "outliers": outliers,
        }
    )
    if w_ind is None:
        for p in range(7):
            params[f"pillar_{p + 1}"] = pw[:, p]
    else:
        wn = w_ind / (w_ind @ (fw.w_raw > 0))[:, fw.ind_group]
        params = pd.concat(
            [params, pd.DataFrame(wn, columns=[f"indicator_{c}" for c in fw.codes])], axis=1
        )
    if unit is not None:
        u = ed.unit_index(unit)
        params["rank_baseline"] = results["baseline"][:, u]
        if "scenario" in results:
            params["rank_scenario"] = results["scenario"][:, u]

    med, p5, p95 = _quantiles(results["baseline"])
    extra = {}
    if "scenario" in results:
        smed, sp5, sp95 = _quantiles(results["scenario"])
        extra = dict(
            scenario_nominal=rank_desc(aggregate(fw, datasets["scenario"]).pii),
            scenario_ranks=results["scenario"],
            scenario_median=smed,
            scenario_p5=sp5,
            scenario_p95=sp95,
            scenario_treated=treatments["scenario"],
        )
    return Uncertainty(
        edition=ed.year,
        slugs=ed.slugs,
        unit=unit,
        scenario=scenario,
        runs=int(runs),
        seed=int(seed),
        spread=float(spread),
        weights=weights,
        nominal=ed.baseline().rank.copy(),
        ranks=results["baseline"],
        median=med,
        p5=p5,
        p95=p95,
        parameters=params,
        treated=treatments["baseline"],
        **extra,
    )


__all__ = [
    "DEFAULT_RUNS",
    "DEFAULT_SEED",
    "DEFAULT_SPREAD",
    "KURT_MAX",
    "MAX_RUNS",
    "SKEW_MAX",
    "WINSOR_MAX",
    "Uncertainty",
    "UncertaintyError",
    "flagged",
    "kurtosis",
    "skewness",
    "treat_column",
    "treat_outliers",
    "uncertainty",
]
