"""The linear programme: maximise the PII under yearly budgets, or reach a PII gain at least cost.

The response curves are concave and piecewise linear (tranches) and the PII is linear in the
scores under frozen goalposts, so both problems are exact linear programmes (HiGHS).
"""

from __future__ import annotations

import numpy as np
from scipy import sparse
from scipy.optimize import linprog

from model.index.scenario import ScenarioError

from .response import TRANCHES, Model


class _LP:
    """Variables: z (L x J) decisions in billion VND a year; e (L x H x K) tranche fills;
    D (I x H) score gains. Spending of year t is X = P @ z (P: H x J)."""

    def __init__(self, md: Model, P: np.ndarray, budgets: np.ndarray | None) -> None:
        self.md, self.P = md, P
        L, H, J = md.L, md.H, P.shape[1]
        self.nz, self.ne, self.nd = L * J, L * H * TRANCHES, L * H
        self.n = self.nz + self.ne + self.nd
        self.rows: list[tuple[list[int], list[float], float]] = []
        self._build(budgets)

    def z(self, l: int, j: int) -> int:  # noqa: E741
        return l * self.P.shape[1] + j

    def e(self, l: int, t: int, k: int) -> int:  # noqa: E741
        return self.nz + (l * self.md.H + t) * TRANCHES + k

    def d(self, i: int, t: int) -> int:
        return self.nz + self.ne + i * self.md.H + t

    def _spend(self, l: int, t: int, coef: float) -> tuple[list[int], list[float]]:  # noqa: E741
        """Column entries for coef * spending of lever l in year t."""
        J = self.P.shape[1]
        js = [j for j in range(J) if self.P[t, j]]
        return [self.z(l, j) for j in js], [coef * self.P[t, j] for j in js]

    def _build(self, budgets: np.ndarray | None) -> None:
        md, H = self.md, self.md.H
        G = np.einsum("lts,sj->ltj", md.A, self.P)  # effective spending per decision
        for t in range(H if budgets is not None else 0):
            cols, vals = [], []
            for l in range(md.L):  # noqa: E741
                c, v = self._spend(l, t, 1.0)
                cols += c
                vals += v
            self.rows.append((cols, vals, float(budgets[t])))
        for l in range(md.L):  # noqa: E741
            for t in range(H):
                cols = [self.e(l, t, k) for k in range(TRANCHES)]
                vals = [1.0] * TRANCHES
                js = np.nonzero(G[l, t])[0]
                cols += [self.z(l, j) for j in js]
                vals += [-md.rho[l, t] * G[l, t, j] for j in js]
                self.rows.append((cols, vals, 0.0))
        for i in range(md.L):
            for t in range(H):
                cols, vals = [self.d(i, t)], [1.0]
                for k in range(TRANCHES):
                    cols.append(self.e(i, t, k))
                    vals.append(-md.k[i] * md.slope[i, k])
                for l in np.nonzero(md.side[i, :, t])[0]:  # noqa: E741
                    c, v = self._spend(int(l), t, -md.k[i] * md.side[i, l, t])
                    cols += c
                    vals += v
                self.rows.append((cols, vals, 0.0))
                if np.isfinite(md.cap[i]) and t > 0:
                    self.rows.append(
                        ([self.d(i, t), self.d(i, t - 1)], [1.0, -1.0], md.k[i] * md.cap[i])
                    )
                elif np.isfinite(md.cap[i]):
                    self.rows.append(([self.d(i, t)], [1.0], md.k[i] * md.cap[i]))

    def bounds(self) -> list[tuple[float, float | None]]:
        md = self.md
        b: list[tuple[float, float | None]] = [(0.0, None)] * self.nz
        for l in range(md.L):  # noqa: E741
            for _t in range(md.H):
                b += [(0.0, None if np.isinf(x) else float(x)) for x in md.length[l]]
        for i in range(md.L):
            b += [(0.0, float(md.head[i]))] * md.H
        return b

    def gain_coef(self, weights: np.ndarray) -> np.ndarray:
        """Objective row: sum over years of weights[t] * PII gain in year t."""
        c = np.zeros(self.n)
        for i in range(self.md.L):
            for t in range(self.md.H):
                c[self.d(i, t)] = weights[t] * self.md.w[i]
        return c

    def spend_coef(self) -> np.ndarray:
        c = np.zeros(self.n)
        for l in range(self.md.L):  # noqa: E741
            for j in range(self.P.shape[1]):
                c[self.z(l, j)] = self.P[:, j].sum()
        return c

    def solve(self, c: np.ndarray, extra: list[tuple[np.ndarray, float]] = ()):
        rows = list(self.rows)
        ri, ci, vi, b = [], [], [], []
        for r, (cols, vals, rhs) in enumerate(rows):
            ri += [r] * len(cols)
            ci += cols
            vi += vals
            b.append(rhs)
        A = sparse.coo_matrix((vi, (ri, ci)), shape=(len(rows), self.n)).tocsr()
        if extra:
            A = sparse.vstack([A, sparse.csr_matrix(np.array([x for x, _ in extra]))]).tocsr()
            b += [rhs for _, rhs in extra]
        return linprog(c, A_ub=A, b_ub=np.array(b), bounds=self.bounds(), method="highs")

    def spending(self, x: np.ndarray) -> np.ndarray:
        """Decisions -> spending X (L, H) in billion VND a year, noise removed."""
        z = np.maximum(x[: self.nz].reshape(self.md.L, self.P.shape[1]), 0.0)
        X = z @ self.P.T
        return np.where(X < 1e-9, 0.0, X)


def _fit_budget(X: np.ndarray, budgets: np.ndarray | None) -> np.ndarray:
    """Scale a year's spending down if the solver overshot its budget by its tolerance."""
    if budgets is None:
        return X
    total = X.sum(axis=0)
    over = total > budgets
    X = X.copy()
    X[:, over] *= budgets[over] / total[over]
    return X


def max_pii(
    md: Model, P: np.ndarray, budgets: np.ndarray | None, weights: np.ndarray
) -> np.ndarray:
    """Maximise the weighted PII gain, then spend as little as gives that gain."""
    lp = _LP(md, P, budgets)
    gain = lp.gain_coef(weights)
    first = lp.solve(-gain)
    if first.status != 0:
        raise ScenarioError("budget.err_solver", status=first.status, detail=first.message)
    best = -first.fun
    floor = best - 1e-9 * max(1.0, abs(best))
    second = lp.solve(lp.spend_coef(), [(-gain, -floor)])
    x = second.x if second.status == 0 else first.x
    return _fit_budget(lp.spending(x), budgets)


def min_cost(
    md: Model, P: np.ndarray, budgets: np.ndarray | None, pii_gain: float
) -> np.ndarray | None:
    """Cheapest spending whose final-year PII gain is at least pii_gain; None if out of reach."""
    lp = _LP(md, P, budgets)
    weights = np.zeros(md.H)
    weights[-1] = 1.0
    res = lp.solve(lp.spend_coef(), [(-lp.gain_coef(weights), -pii_gain)])
    if res.status == 2:
        return None
    if res.status != 0:
        raise ScenarioError("budget.err_solver", status=res.status, detail=res.message)
    return _fit_budget(lp.spending(res.x), budgets)
