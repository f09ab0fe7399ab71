"""Attribution: a scenario's PII change split over its changed indicators, as linear
contributions (frozen) or Shapley values (renormalize; exact up to 12 changes, else Monte
Carlo)."""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, replace

import numpy as np
import pandas as pd

from model.index.dataset import Edition
from model.index.scenario import Scenario, check, evaluate_targets
from model.movers.core import EXACT_SHAPLEY_MAX, MoversError, _prepare, _require, _State


@dataclass(frozen=True)
class Share:
    code: str
    delta_score: float  # target - starting value (score-equivalents)
    delta_pii: float  # this indicator's share of the PII change
    stderr: float  # Monte Carlo standard error (0 when exact)


@dataclass(frozen=True, eq=False)
class Attribution:
    """A scenario's PII change for its unit, split over the indicators it changes.

    total = pii - start_pii = sum of the shares (efficiency), where start_pii is the unit's PII
    with the other units moved as the scenario says but none of its own targets;
    peers_effect = start_pii - the edition's PII (0 with static peers).
    """

    unit: str
    edition: int
    scale: str
    method: str  # linear | shapley-exact | shapley-monte-carlo
    start_pii: float
    pii: float
    total: float
    peers_effect: float
    items: tuple[Share, ...]
    permutations: int = 0  # Monte Carlo only

    def __iter__(self) -> Iterator[Share]:
        return iter(self.items)

    def as_dict(self) -> dict[str, float]:
        return {s.code: s.delta_pii for s in self.items}

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame([asdict(s) for s in self.items])


@dataclass(frozen=True, eq=False)
class ShapleyValues:
    codes: tuple[str, ...]  # the players, in the order given
    values: np.ndarray  # (k,)
    stderr: np.ndarray  # (k,)
    v_empty: float  # the unit's PII with no change
    v_full: float  # with every change
    method: str  # exact | monte-carlo
    permutations: int


def shapley_values(
    ed: Edition,
    unit: str,
    changes: Sequence[tuple[str, float]],
    *,
    scale: str = "frozen",
    peer_delta: np.ndarray | None = None,
    exact_max: int = EXACT_SHAPLEY_MAX,
    permutations: int = 256,
    seed: int = 2024,
    chunk: int = 512,
) -> ShapleyValues:
    """Shapley values of the unit's PII over `changes` (code, target in score-equivalents).

    The value of a coalition is the unit's PII with those targets set (the others left at their
    start), evaluated with `evaluate_targets` in batches of `chunk` coalitions.

    Up to `exact_max` changes: exact, all 2^k coalitions. Beyond: Monte Carlo over `permutations`
    random orders (half of them the reverses of the other half: antithetic pairs), drawn with
    `seed` after putting the changes in code order, so the estimate does not depend on the order
    given. Each order's marginal contributions add up to the total change, so the estimate is
    efficient exactly; `stderr` is the standard error of each value over the pairs (it is 0 when
    the indicators do not interact, as for the PII under arithmetic means without missing
    values: then every marginal contribution equals the indicator's own effect).
    """
    fw, u = ed.framework, ed.unit_index(unit)
    codes = tuple(str(c) for c, _ in changes)
    if len(set(codes)) != len(codes):
        raise MoversError("movers.err_duplicate")
    idx = np.array([_require(fw, c) for c in codes], dtype=np.intp)
    vals = np.array([float(v) for _, v in changes])
    k = len(codes)

    def value(member: np.ndarray) -> np.ndarray:  # (N, k) bool -> the unit's PII (N,)
        out = np.empty(len(member))
        for a in range(0, len(member), chunk):
            mb = member[a : a + chunk]
            t = np.full((len(mb), fw.m), np.nan)
            t[:, idx] = np.where(mb, vals, np.nan)
            agg, _, _ = evaluate_targets(ed, u, t, scale=scale, peer_delta=peer_delta)
            out[a : a + chunk] = agg.pii[:, u]
        return out

    ends = value(np.array([[False] * k, [True] * k]))
    if k == 0:
        return ShapleyValues(codes, np.zeros(0), np.zeros(0), ends[0], ends[1], "exact", 0)
    if k <= exact_max:
        masks = np.arange(2**k)
        member = ((masks[:, None] >> np.arange(k)) & 1).astype(bool)
        v = value(member)
        size = member.sum(axis=1)
        fact = np.array([math.factorial(s) for s in range(k + 1)], dtype=float)
        phi = np.empty(k)
        for j in range(k):
            without = masks[~member[:, j]]
            s = size[without]
            w = fact[s] * fact[k - s - 1] / fact[k]
            phi[j] = w @ (v[without | (1 << j)] - v[without])
        return ShapleyValues(codes, phi, np.zeros(k), ends[0], ends[1], "exact", 0)

    order = sorted(range(k), key=lambda j: tuple(int(p) for p in codes[j].split(".")))
    half = max(1, permutations // 2)
    rng = np.random.default_rng(seed)
    perms = np.array([rng.permutation(k) for _ in range(half)])
    perms = np.stack([perms, perms[:, ::-1]], axis=1).reshape(2 * half, k)  # antithetic pairs
    players = np.array(order)[perms]  # (P, k): positions in `codes`
    pos = np.empty_like(players)
    pos[np.arange(len(players))[:, None], players] = np.arange(k)
    # coalition after t players of each order, t = 1..k-1 (t = 0 and k are the ends)
    member = pos[:, None, :] < np.arange(1, k)[None, :, None]  # (P, k-1, k)
    v = value(member.reshape(-1, k)).reshape(len(players), k - 1)
    v = np.concatenate(
        [np.full((len(players), 1), ends[0]), v, np.full((len(players), 1), ends[1])], axis=1
    )
    marg = np.diff(v, axis=1)  # (P, k) in order position
    contrib = np.empty_like(marg)
    contrib[np.arange(len(players))[:, None], players] = marg
    pairs = contrib.reshape(half, 2, k).mean(axis=1)
    phi = pairs.mean(axis=0)
    err = pairs.std(axis=0, ddof=1) / math.sqrt(half) if half > 1 else np.full(k, np.nan)
    return ShapleyValues(codes, phi, err, ends[0], ends[1], "monte-carlo", 2 * half)


def attribution(
    ed: Edition,
    scenario: Scenario,
    *,
    method: str = "auto",
    trend: np.ndarray | None = None,
    exact_max: int = EXACT_SHAPLEY_MAX,
    permutations: int = 256,
    seed: int = 2024,
) -> Attribution:
    """Split the scenario's PII change for its unit over the indicators it changes.

    method: auto (linear in frozen mode, Shapley in renormalize mode), linear or shapley.
    Linear contributions are weight x score change, exact in frozen mode (the PII is linear in
    the unit's own scores and nobody else moves). Shapley values are order-free in any mode.
    """
    if method not in ("auto", "linear", "shapley"):
        raise MoversError("movers.err_method", value=str(method))
    check(scenario, ed)
    st = _prepare(ed, replace(scenario, targets=()), None, trend)
    fw, u = ed.framework, st.unit
    changes = [(c, v) for c, v in scenario.targets if abs(v - ed.scores[u, fw.index[c]]) > 1e-12]
    p_start = float(st.pii[u])
    peers_effect = p_start - float(ed.baseline().pii[u])
    if method == "auto":
        method = "linear" if scenario.scale == "frozen" else "shapley"
    if method == "linear":
        # weight x change of the unit's own score (its score after normalisation)
        idx = np.array([fw.index[c] for c, _ in changes], dtype=np.intp)
        gains = _gains_of(st, changes)
        own = (st.start + gains)[None, :]
        agg, scores, _ = evaluate_targets(
            ed, u, own, scale=scenario.scale, peer_delta=st.peer_delta
        )
        contrib = st.weights[u, idx] * (scores[0, u, idx] - st.scores[u, idx])
        pii = float(agg.pii[0, u])
        items = tuple(
            Share(c, float(gains[i]), float(d), 0.0)
            for (c, _), i, d in zip(changes, idx, contrib, strict=True)
        )
        return Attribution(
            st.slug,
            ed.year,
            scenario.scale,
            "linear",
            p_start,
            pii,
            pii - p_start,
            peers_effect,
            items,
        )
    sv = shapley_values(
        ed,
        scenario.unit,
        changes,
        scale=scenario.scale,
        peer_delta=st.peer_delta,
        exact_max=exact_max,
        permutations=permutations,
        seed=seed,
    )
    items = tuple(
        Share(c, float(v - st.start[fw.index[c]]), float(phi), float(e))
        for (c, v), phi, e in zip(changes, sv.values, sv.stderr, strict=True)
    )
    return Attribution(
        st.slug,
        ed.year,
        scenario.scale,
        f"shapley-{sv.method}",
        float(sv.v_empty),
        float(sv.v_full),
        float(sv.v_full - sv.v_empty),
        peers_effect,
        items,
        sv.permutations,
    )


def _gains_of(st: _State, changes: Sequence[tuple[str, float]]) -> np.ndarray:
    g = np.zeros(st.ed.framework.m)
    for c, v in changes:
        i = st.ed.framework.index[c]
        g[i] = v - st.start[i]
    return g
