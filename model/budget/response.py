"""The prepared model: response curves as arrays for one unit, edition and number of years, the
exact forward simulation (spending -> raw change) and its evaluation by the engine."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from model.index.dataset import Edition
from model.index.scenario import ScenarioError, effective_weights_for, evaluate_targets

from .assumptions import Assumptions
from .levers import DENOMINATOR_FACTOR, MILLION_PER_BILLION, Lever

TRANCHES = 5  # diminishing returns: tranche j (0-based) costs (1 + j) x the base cost


@dataclass(frozen=True, eq=False)
class Model:
    a: Assumptions
    ed: Edition
    u: int  # the unit's row in the edition
    H: int  # years 1..H
    levers: tuple[Lever, ...]  # moveable, L; lever i moves indicator i (also_counts_in
    codes: tuple[str, ...]  # targets are levers too), so the indicators are I = L
    fw_ix: np.ndarray  # (I,) positions in the framework
    w: np.ndarray  # (I,) d PII / d score
    k: np.ndarray  # (I,) score points per raw unit
    base: np.ndarray  # (I,) baseline score
    head: np.ndarray  # (I,) score headroom to 100
    cap: np.ndarray  # (I,) raw change per year (inf: none)
    cost0: np.ndarray  # (L,) million VND per raw unit at the edition year's denominators
    rho: np.ndarray  # (L, H) denominator(edition) / denominator(year t): deflates spending
    A: np.ndarray  # (L, H, H) effective spending of year t from spending of year s
    start: np.ndarray  # (L, K) tranche starts, billion VND of deflated effective spending
    length: np.ndarray  # (L, K) tranche lengths (inf: linear)
    slope: np.ndarray  # (L, K) raw units per billion VND of deflated spending
    side: np.ndarray  # (I, L, H) raw units per billion VND spent that year (2.2.2, 2.2.3)

    @property
    def L(self) -> int:
        return len(self.levers)

    def lever_ix(self, code: str) -> int:
        for j, lv in enumerate(self.levers):
            if lv.code == code:
                return j
        raise ScenarioError("budget.err_not_moveable", code=code)


def _denominator(a: Assumptions, lv: Lever, year: int) -> float:
    if not lv.denominator:
        return 1.0
    return a.economy_value(lv.denominator, year) * DENOMINATOR_FACTOR.get(lv.denominator, 1.0)


def _tranches(lv: Lever, cost0: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Start, length (billion VND of effective spending) and slope (raw per billion VND)."""
    length, slope = np.zeros(TRANCHES), np.zeros(TRANCHES)
    if lv.response == "linear":
        length[0], slope[0] = np.inf, MILLION_PER_BILLION / cost0
    else:
        step_raw = lv.saturation_raw / TRANCHES
        cost_j = cost0 * (1.0 + np.arange(TRANCHES))  # million VND per raw unit
        length[:] = step_raw * cost_j / MILLION_PER_BILLION
        slope[:] = MILLION_PER_BILLION / cost_j
    start = np.concatenate([[0.0], np.cumsum(length)[:-1]])
    return start, length, slope


def _lag_matrix(lv: Lever, H: int) -> np.ndarray:
    t, s = np.arange(H)[:, None], np.arange(H)[None, :]
    if lv.flow:
        return (s == t - lv.lag_years).astype(float)
    return (s <= t - lv.lag_years).astype(float)


def prepare(a: Assumptions, ed: Edition, H: int) -> Model:
    if a.edition != ed.year:
        raise ScenarioError("budget.err_edition_mismatch", edition=a.edition, year=ed.year)
    if a.unit not in ed.slugs:
        raise ScenarioError("budget.err_unknown_unit", unit=a.unit, valid=", ".join(ed.slugs))
    fw, u = ed.framework, ed.unit_index(a.unit)
    unknown = [lv.code for lv in a.levers if lv.code not in fw.index]
    if unknown:
        raise ScenarioError("budget.err_codes_edition", codes=", ".join(unknown), year=ed.year)
    # A lever on an indicator the unit has no value for cannot be evaluated: left out.
    levers = tuple(
        lv for lv in a.levers if lv.moveable and not np.isnan(ed.scores[u, fw.index[lv.code]])
    )
    codes = tuple(lv.code for lv in levers)
    fw_ix = np.array([fw.index[c] for c in codes], dtype=np.intp)
    years = [ed.year + t for t in range(1, H + 1)]
    cost0 = np.array(
        [lv.cost_million_vnd_per_item * _denominator(a, lv, ed.year) / lv.per for lv in levers]
    )
    rho = np.array(
        [[_denominator(a, lv, ed.year) / _denominator(a, lv, y) for y in years] for lv in levers]
    ).reshape(len(levers), H)
    tr = [_tranches(lv, c) for lv, c in zip(levers, cost0, strict=True)]
    L = len(levers)
    side = np.zeros((L, L, H))
    for j, lv in enumerate(levers):
        for c in lv.also_counts_in:
            if c in codes:
                i = codes.index(c)
                side[i, j] = tr[i][2][0] * rho[i]
    span = ed.hi[fw_ix] - ed.lo[fw_ix]
    base = ed.scores[u, fw_ix]
    caps = [lv.max_change_per_year_raw for lv in levers]
    return Model(
        a=a,
        ed=ed,
        u=u,
        H=H,
        levers=levers,
        codes=codes,
        fw_ix=fw_ix,
        w=effective_weights_for(ed, ed.scores[u])[fw_ix],
        k=100.0 / span,
        base=base,
        head=np.maximum(100.0 - base, 0.0),
        cap=np.array([np.inf if c is None else c for c in caps]),
        cost0=cost0,
        rho=rho,
        A=np.array([_lag_matrix(lv, H) for lv in levers]).reshape(L, H, H),
        start=np.array([t[0] for t in tr]).reshape(L, TRANCHES),
        length=np.array([t[1] for t in tr]).reshape(L, TRANCHES),
        slope=np.array([t[2] for t in tr]).reshape(L, TRANCHES),
        side=side,
    )


# --------------------------------------------------------------------------------------------
# Forward simulation (exact) and evaluation by the engine
# --------------------------------------------------------------------------------------------


def forward(md: Model, X: np.ndarray) -> np.ndarray:
    """Spending X (S, L, H) in billion VND per year -> raw improvement D (S, I, H)."""
    # effective spending deflated to the edition year's denominator: the curve is in raw units
    E = np.einsum("lts,bls->blt", md.A, X) * md.rho[None]
    part = np.clip(E[..., None] - md.start[None, :, None, :], 0.0, md.length[None, :, None, :])
    gain = (part * md.slope[None, :, None, :]).sum(-1)
    total = gain + np.einsum("ilt,blt->bit", md.side, X)
    D = np.empty_like(total)
    prev = np.zeros(total.shape[:2])
    for t in range(md.H):  # an indicator rises at most `cap` a year
        prev = np.minimum(total[..., t], prev + md.cap)
        D[..., t] = prev
    return D


def peer_delta(md: Model, t: int, trend: np.ndarray | None) -> np.ndarray | None:
    """How every other unit has moved by year t (score points), per the peers assumption."""
    peers = md.a.peers
    if peers == "static":
        return None
    if peers == "trend":
        if trend is None:
            raise ScenarioError("budget.err_trend")
        return trend * t
    return np.full(md.ed.scores.shape, float(peers.split(":", 1)[1]) * t)


def evaluate(
    md: Model, D: np.ndarray, trend: np.ndarray | None = None, years: Sequence[int] | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """PII and rank (S, len(years)) of the unit through the engine, frozen goalposts."""
    years = list(range(md.H)) if years is None else list(years)
    S, m = D.shape[0], md.ed.framework.m
    T = np.full((S, len(years), m), np.nan)
    T[:, :, md.fw_ix] = (md.base[None, :, None] + D[:, :, years] * md.k[None, :, None]).transpose(
        0, 2, 1
    )
    if md.a.peers == "static":
        agg, _, _ = evaluate_targets(md.ed, md.u, T.reshape(-1, m))
        shape = (S, len(years))
        return agg.pii[:, md.u].reshape(shape), agg.rank[:, md.u].reshape(shape)
    pii, rank = np.empty((S, len(years))), np.empty((S, len(years)), dtype=int)
    for c, t in enumerate(years):
        agg, _, _ = evaluate_targets(md.ed, md.u, T[:, c], peer_delta=peer_delta(md, t + 1, trend))
        pii[:, c], rank[:, c] = agg.pii[:, md.u], agg.rank[:, md.u]
    return pii, rank
