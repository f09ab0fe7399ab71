"""The starting point shared by movers, reach and attribution: a unit's values and weights.

Points are score-equivalents on the edition's goalposts, the units of `Scenario` targets.
`_one_indicator` evaluates many one-indicator variants at once, exactly (see model.movers).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from model.index.dataset import Edition
from model.index.engine import RANK_DECIMALS, aggregate, rank_desc, renormalise
from model.index.framework import Framework, UnknownCode
from model.index.scenario import (
    Scenario,
    ScenarioError,
    _peer_delta,
    check,
    effective_weights_for,
    evaluate_targets,
)

DEFAULT_STEP = 10.0
EXACT_SHAPLEY_MAX = 12  # up to 2**12 = 4,096 coalitions evaluated exactly
HALF_STEP = 0.5 * 10.0**-RANK_DECIMALS  # 0.005: a PII this far above a two-decimal score rounds up
_TINY = 1e-9  # margin above HALF_STEP so that rounding lands on the right side
_LP_MARGIN = 1e-6  # margin for the LP (HiGHS' feasibility tolerance is 1e-7)


class MoversError(ScenarioError):
    """Invalid input to movers, reach or attribution (a catalogue id and its parameters)."""


# --------------------------------------------------------------------------------------------
# The starting point
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class _State:
    ed: Edition
    scenario: Scenario
    unit: int
    values: np.ndarray  # (n, m) score-equivalents before normalisation (peers moved, targets set)
    scores: np.ndarray  # (n, m) the scores the engine aggregates
    pii: np.ndarray  # (n,)
    rank: np.ndarray  # (n,)
    weights: np.ndarray  # (n, m) d PII_j / d score_j,i (rows sum to 1)
    start: np.ndarray  # (m,) the unit's starting point, score-equivalents (NaN: no value)
    ceiling: np.ndarray  # (m,) national best: 100 (frozen) or the largest value of any unit
    peer_delta: np.ndarray | None

    @property
    def frozen(self) -> bool:
        return self.scenario.scale == "frozen"

    @property
    def headroom(self) -> np.ndarray:
        """Points each indicator can still rise (0 where the unit has no value)."""
        return np.nan_to_num(np.maximum(self.ceiling - self.start, 0.0), nan=0.0)

    @property
    def slug(self) -> str:
        return self.ed.slugs[self.unit]


def _scenario_of(ed: Edition, target: str | Scenario, scale: str | None) -> Scenario:
    if isinstance(target, Scenario):
        s = target if scale is None or scale == target.scale else replace(target, scale=scale)
    else:
        s = Scenario(unit=str(target), edition=ed.year, scale=scale or "frozen")
    check(s, ed)
    return s


def _prepare(
    ed: Edition, target: str | Scenario, scale: str | None, trend: np.ndarray | None
) -> _State:
    s = _scenario_of(ed, target, scale)
    fw, u = ed.framework, ed.unit_index(s.unit)
    base = ed.scores
    values = base.copy()
    delta = _peer_delta(s, ed, trend)
    if delta is not None:
        others = np.arange(ed.n) != u
        values[others] += delta[others]
    t = np.full(fw.m, np.nan)
    for code, v in s.targets:
        t[fw.index[code]] = v
    values[u] = np.where(np.isnan(t), base[u], t)
    if s.scale == "frozen":
        scores = np.clip(values, 0.0, 100.0)
        start = scores[u].copy()
        ceiling = np.full(fw.m, 100.0)
    else:
        scores = renormalise(values)
        start = values[u].copy()
        with np.errstate(all="ignore"):
            ceiling = np.nanmax(values, axis=0)
    pii = aggregate(fw, scores).pii
    weights = np.broadcast_to(fw.effective_weights(), scores.shape).copy()
    for j in np.flatnonzero(np.isnan(scores).any(axis=1)):
        weights[j] = effective_weights_for(ed, scores[j])
    return _State(ed, s, u, values, scores, pii, rank_desc(pii), weights, start, ceiling, delta)


def _one_indicator(st: _State, idx: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Every unit's PII (k, n) when the unit's indicator idx[k] is set to x[k] (exact)."""
    idx = np.asarray(idx, dtype=np.intp)
    x = np.asarray(x, dtype=float)
    k, u = len(idx), st.unit
    pii = np.broadcast_to(st.pii, (k, st.ed.n)).copy()
    if st.frozen:
        pii[:, u] += st.weights[u, idx] * (np.clip(x, 0.0, 100.0) - st.scores[u, idx])
        return pii
    cols = st.values[:, idx].T.copy()  # (k, n)
    cols[:, u] = x
    new = renormalise(cols[:, :, None])[:, :, 0]
    change = np.nan_to_num(new - st.scores[:, idx].T)
    return pii + st.weights[:, idx].T * change


def _evaluate(st: _State, gains: np.ndarray) -> np.ndarray:
    """Every unit's PII (n,) with the unit's gains (m,) applied, through the full engine."""
    own = st.start + gains  # NaN where the unit has no value: evaluate_targets keeps it missing
    agg, _, _ = evaluate_targets(
        st.ed, st.unit, own[None, :], scale=st.scenario.scale, peer_delta=st.peer_delta
    )
    return agg.pii[0]


def _rounded(pii: np.ndarray) -> np.ndarray:
    return np.round(np.nan_to_num(pii, nan=-np.inf), RANK_DECIMALS)


def _require(fw: Framework, code: str) -> int:
    """The code's position; MoversError (with the valid codes) for an unknown one."""
    try:
        return fw.require(code)
    except UnknownCode as exc:
        raise MoversError(exc.msg_id, **exc.params) from None
