"""Intervals around estimated PII scores, ranks and pillars, from the out-of-fold validation.

`python -m model validate --write` stores the error of every province it hid
(data/validation/holdout_errors.csv: the estimate without the province's published results
minus the published value). An estimate's interval is its value ± the QUANTILE of those
absolute errors among provinces estimated in the same part of the table (BANDS, by relative
rank: the top, the middle, the bottom), kept between the published scores ranked around the
ranks the unit can take. A rank interval follows from the PII intervals: the best rank is 1 +
the provinces surely above (their lower end above this upper end), the worst 1 + those possibly
above, both snapped to the ranks nobody published (a published rank is never an estimate's).
Published (or official) values get no interval: None / NaN. data/README.md, "Validation".

The library call for pages: `for_edition(ed, published)` -> `Intervals` (arrays per unit;
`published` = model.official.store.published(year)), or `unit_intervals(ed, published, slug)` for one
province; model.profile's `profile` and `ranking_table` add them when given `published`.
"""

from __future__ import annotations

import csv
import hashlib
import math
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from model.estimates.slots import rank_range
from model.index.engine import Aggregates
from model.paths import ROOT

ERRORS_FILE = ROOT / "data" / "validation" / "holdout_errors.csv"
ERROR_COLUMNS = (
    "edition",
    "unit",
    "fold",
    "level",
    "item",
    "est_rank",
    "n_units",
    "published",
    "estimate",
    "error",
    "naive",
)
# Levels below the PII, each with its own half-width (model/estimates/quality/levels.py measures them
# with the unit's PII known; an estimated PII adds its own error in quadrature).
BELOW_LEVELS = ("subindex", "pillar", "group", "indicator")
QUANTILE = 0.9  # the interval aims to hold the published value 9 times in 10
# The empirical quantile proper (the smallest error with at least 90 % of the errors at or
# below it), not numpy's default interpolation: with 4 to 37 errors a level the interpolated
# value fell between two errors and held 10 of 12 sub-index values (83 %), less than it claims.
METHOD = "inverted_cdf"
BANDS = (0.16, 0.8)  # relative rank (rank - 1) / (n - 1): top 16 %, middle, bottom 20 %
MIN_ERRORS = 5  # a band with fewer errors borrows the pooled quantile of every band
TOL = 0.005  # a published value is printed with two decimals


@dataclass(frozen=True)
class Known:
    """What an edition's published facts fix exactly, per unit (and pillar)."""

    pii: np.ndarray  # (n,) bool
    rank: np.ndarray  # (n,) bool
    pillars: np.ndarray  # (n, 7) bool
    ranges: dict[int, tuple[int, int]] = field(default_factory=dict)  # "rank range a-b"
    subs: np.ndarray | None = None  # (n, 2) bool: input, output published
    groups: dict[tuple[int, str], bool] = field(default_factory=dict)  # (unit, group) published


@dataclass(frozen=True)
class Intervals:
    """Lower and upper ends per unit; NaN (ranks: 0) where the value is published."""

    pii_low: np.ndarray
    pii_high: np.ndarray
    rank_low: np.ndarray  # best possible rank (the smaller number)
    rank_high: np.ndarray  # worst possible rank
    pillar_low: np.ndarray  # (n, 7)
    pillar_high: np.ndarray
    # input/output sub-indices (n, 2) and groups (n, G); NaN where published or not computed
    sub_low: np.ndarray | None = None
    sub_high: np.ndarray | None = None
    group_low: np.ndarray | None = None
    group_high: np.ndarray | None = None
    indicator_half: float = math.nan  # half-width around an estimated indicator score

    def of(self, u: int) -> dict:
        """One unit's ends as JSON-ready values (None where published)."""

        def f(x: float) -> float | None:
            return None if math.isnan(x) else round(float(x), 4)

        def r(x: int) -> int | None:
            return None if x <= 0 else int(x)

        return {
            "pii_low": f(self.pii_low[u]),
            "pii_high": f(self.pii_high[u]),
            "rank_low": r(self.rank_low[u]),
            "rank_high": r(self.rank_high[u]),
            "pillars_low": {str(k + 1): f(v) for k, v in enumerate(self.pillar_low[u])},
            "pillars_high": {str(k + 1): f(v) for k, v in enumerate(self.pillar_high[u])},
            **self._sub(u, f),
        }

    def _sub(self, u: int, f) -> dict:
        if self.sub_low is None or self.sub_high is None:
            return {}
        return {
            "input_low": f(self.sub_low[u, 0]),
            "input_high": f(self.sub_high[u, 0]),
            "output_low": f(self.sub_low[u, 1]),
            "output_high": f(self.sub_high[u, 1]),
        }


def json_fields(row) -> dict:
    """pii_low, pii_high, rank_low, rank_high of a ranking_table row (a namedtuple) that has
    them, for JSON: present only where the value is an estimate (published: left out)."""
    out: dict = {}
    for key in ("pii_low", "pii_high"):
        x = getattr(row, key, math.nan)
        if not pd.isna(x):
            out[key] = round(float(x), 4)
    for key in ("rank_low", "rank_high"):
        x = getattr(row, key, math.nan)
        if not pd.isna(x):
            out[key] = int(x)
    return out


# ---- the error table -------------------------------------------------------------------------


def band_of(rank: np.ndarray | int, n: int) -> np.ndarray:
    """0 (top), 1 (middle) or 2 (bottom) for ranks 1..n."""
    q = (np.asarray(rank, float) - 1.0) / max(n - 1, 1)
    return np.searchsorted(np.array(BANDS), q, side="left")


def read_errors(path: Path | None = None) -> pd.DataFrame:
    """The holdout errors written by `python -m model validate --write` (empty when absent)."""
    path = path or ERRORS_FILE
    if not path.exists():
        return pd.DataFrame(columns=list(ERROR_COLUMNS))
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    df = pd.DataFrame(rows, columns=list(ERROR_COLUMNS))
    for col in ("edition", "fold", "est_rank", "n_units"):
        df[col] = df[col].astype(int)
    for col in ("published", "estimate", "error", "naive"):
        df[col] = pd.to_numeric(df[col].replace("", np.nan), errors="coerce").astype(float)
    return df


def write_errors(df: pd.DataFrame, path: Path | None = None) -> Path:
    path = path or ERRORS_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    out = df[list(ERROR_COLUMNS)].copy()
    for col in ("edition", "fold", "est_rank", "n_units"):
        out[col] = out[col].astype(int)
    for col in ("published", "estimate", "error", "naive"):
        out[col] = out[col].astype(float).round(4)
    out = out.sort_values(["edition", "level", "item", "unit"])
    out.to_csv(path, index=False, lineterminator="\n", float_format="%.4f")
    return path


@dataclass(frozen=True)
class Widths:
    """Half-widths by band for the PII and for pillars (NaN: no errors to learn from)."""

    pii: tuple[float, float, float]
    pillar: tuple[float, float, float]
    n_pii: tuple[int, int, int]
    n_pillar: tuple[int, int, int]
    # half-width per level below the PII (the unit's PII known), and how many errors made it
    level: dict = field(default_factory=dict)
    n_level: dict = field(default_factory=dict)

    def below(self, level: str) -> float:
        return float(self.level.get(level, math.nan))


def _q(errors) -> float:
    return float(np.quantile(np.asarray(errors, dtype=float), QUANTILE, method=METHOD))


def _quantiles(err: pd.DataFrame) -> tuple[tuple[float, ...], tuple[int, ...]]:
    if err.empty:
        return (math.nan,) * 3, (0, 0, 0)
    a = err["error"].abs().to_numpy()
    band = _bands(err)
    pooled = _q(a)
    widths, counts = [], []
    for b in range(3):
        sel = a[band == b]
        counts.append(int(sel.size))
        widths.append(_q(sel) if sel.size >= MIN_ERRORS else pooled)
    return tuple(widths), tuple(counts)


def _bands(err: pd.DataFrame) -> np.ndarray:
    return np.array(
        [int(band_of(r, n)) for r, n in zip(err["est_rank"], err["n_units"], strict=True)]
    )


def level_widths(errors: pd.DataFrame) -> tuple[dict, dict]:
    """Half-width per level below the PII: the QUANTILE of its absolute errors, pooled over
    editions (few values each). A level with fewer than MIN_ERRORS borrows the quantile of
    all the levels from sub-index to group together (an indicator never lends or borrows: its
    errors are of another size)."""
    q, n = {}, {}
    mid = errors[errors["level"].isin(BELOW_LEVELS[:3])]
    pooled = _q(mid["error"].abs()) if len(mid) else math.nan
    for level in BELOW_LEVELS:
        e = errors.loc[errors["level"] == level, "error"].abs()
        n[level] = int(e.size)
        if e.size >= MIN_ERRORS:
            q[level] = _q(e)
        elif level != "indicator":
            q[level] = pooled
    return q, n


def widths_from(errors: pd.DataFrame) -> Widths:
    """Quantiles of the absolute out-of-fold errors: the PII by band; each level below it
    pooled (few values), the pillar's also kept as `pillar` for every band."""
    pii = errors[errors["level"] == "pii"]
    wp, n_p = _quantiles(pii)
    lv, n_lv = level_widths(errors)
    q = lv.get("pillar", math.nan)
    n_l = int(n_lv.get("pillar", 0))
    return Widths(wp, (q, q, q), n_p, (n_l, 0, 0), lv, n_lv)


@lru_cache(maxsize=4)
def _default_widths(mtime: float) -> Widths:
    del mtime  # the cache key: a rewritten file is read again
    return widths_from(read_errors())


def default_widths() -> Widths:
    mtime = ERRORS_FILE.stat().st_mtime if ERRORS_FILE.exists() else 0.0
    return _default_widths(mtime)


# ---- what is published -----------------------------------------------------------------------


def known_from_published(
    published: pd.DataFrame,
    edition: int,
    units: list[str] | tuple[str, ...],
    agg: Aggregates,
    official: np.ndarray | None = None,
) -> Known:
    """Which PII, ranks and pillars an edition's published facts fix (as the fidelity report
    and model.index.provenance see them: a published value still reproduced, or every cell official).
    A PII is also fixed when its input and output both are (it is their mean)."""
    ix = {u: k for k, u in enumerate(units)}
    n = len(units)
    p = published[
        (published["edition"].astype(int) == int(edition))
        & (published["use_as_constraint"].astype(str).str.lower() == "yes")
        & (published["stat"].astype(str) == "value")
        & published["unit"].isin(ix)
    ]
    pii, rank = np.zeros(n, bool), np.zeros(n, bool)
    pillars = np.zeros((n, 7), bool)
    sub = {"input": np.zeros(n, bool), "output": np.zeros(n, bool)}
    ranges: dict[int, tuple[int, int]] = {}
    groups: dict[tuple[int, str], bool] = {}
    for r in p.itertuples():
        u = ix[r.unit]
        value = pd.to_numeric(r.value, errors="coerce")
        have = not pd.isna(value)
        if r.level == "pii":
            pii[u] |= have and abs(float(agg.pii[u]) - float(value)) <= TOL + 1e-9
            rank[u] |= not pd.isna(pd.to_numeric(r.rank, errors="coerce"))
            rr = rank_range(str(r.note or ""))
            if rr:
                ranges[u] = rr
        elif r.level in sub and have:
            sub[r.level][u] = abs(float(getattr(agg, r.level)[u]) - float(value)) <= TOL + 1e-9
        elif r.level == "pillar" and have:
            k = int(r.item) - 1
            pillars[u, k] = abs(float(agg.pillars[u, k]) - float(value)) <= TOL + 1e-9
        elif r.level == "group" and have:
            groups[(u, str(r.item))] = True
    pii |= sub["input"] & sub["output"]
    subs = np.stack([sub["input"], sub["output"]], axis=1)
    if official is not None:  # a province whose every cell is official: nothing estimated
        pii |= official
        rank |= official if bool(official.all()) else np.zeros(n, bool)
        pillars |= official[:, None]
        subs |= official[:, None]
    return Known(pii, rank, pillars, ranges, subs, groups)


def known_from_sources(s, edition: int, hide: set[str], units: list[str], agg: Aggregates) -> Known:
    """`known_from_published` on the sources with the hidden provinces' facts left out."""
    pub = s.published[~((s.published["edition"] == edition) & s.published["unit"].isin(hide))]
    return known_from_published(pub, edition, units, agg)


# ---- intervals -------------------------------------------------------------------------------


def compute(edition: int, agg: Aggregates, known: Known, widths: Widths | None = None) -> Intervals:
    """Intervals for every estimated PII, rank and pillar of one edition (see the module doc).

    Published ranks are facts: an estimated unit can only take a rank nobody published (and one
    inside its published range), so its rank interval is snapped to those ranks and its PII
    interval kept between the published scores around them."""
    del edition  # the widths are pooled over editions, banded by relative rank
    w = widths or default_widths()
    n = agg.pii.shape[0]
    band = band_of(agg.rank, n)
    half = np.array(w.pii)[band]
    low = np.where(known.pii, np.nan, np.clip(agg.pii - half, 0.0, 100.0))
    high = np.where(known.pii, np.nan, np.clip(agg.pii + half, 0.0, 100.0))
    taken = {int(agg.rank[u]) for u in np.nonzero(known.rank)[0]}
    free = [r for r in range(1, n + 1) if r not in taken]
    valued = [(int(agg.rank[u]), float(agg.pii[u])) for u in np.nonzero(known.pii & known.rank)[0]]
    for u in np.nonzero(~known.pii)[0]:
        slots = _slots(free, known.ranges.get(int(u)))
        if slots:  # between the published scores ranked just above and below its ranks
            above = [v for r, v in valued if r < slots[0]]
            below = [v for r, v in valued if r > slots[-1]]
            cap_hi = min(above) if above else 100.0
            cap_lo = max(below) if below else 0.0
            point = float(agg.pii[u])
            high[u] = max(min(high[u], cap_hi), point)
            low[u] = min(max(low[u], cap_lo), point)
    lo_all = np.where(known.pii, agg.pii, low)  # published values are exact for the others
    hi_all = np.where(known.pii, agg.pii, high)
    r_lo = np.round(lo_all, 2)
    r_hi = np.round(hi_all, 2)
    above_surely = (r_lo[None, :] > r_hi[:, None]).sum(axis=1)  # v with low_v > high_u
    above_maybe = (r_hi[None, :] > r_lo[:, None]).sum(axis=1) - (r_hi > r_lo)  # minus u itself
    rank_low = np.zeros(n, int)
    rank_high = np.zeros(n, int)
    for u in np.nonzero(~known.rank)[0]:
        point = int(agg.rank[u])
        slots = _slots(free, known.ranges.get(int(u))) or [point]
        best = [r for r in slots if r >= 1 + above_surely[u]]
        worst = [r for r in slots if r <= 1 + above_maybe[u]]
        rank_low[u] = min(best[0] if best else point, point)
        rank_high[u] = max(worst[-1] if worst else point, point)
    # Below the PII: the level's half-width (PII known), widened by the PII's own error where
    # the PII is an estimate (independent errors add in quadrature).
    pii_half = np.where(known.pii, 0.0, np.nan_to_num(half))

    def around(values: np.ndarray, level: str, fixed: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        q = w.below(level) if w.level else float(np.array(w.pillar)[0])
        h = np.sqrt(q**2 + pii_half**2).reshape((-1,) + (1,) * (values.ndim - 1))
        lo_ = np.where(fixed, np.nan, np.clip(values - h, 0.0, 100.0))
        hi_ = np.where(fixed, np.nan, np.clip(values + h, 0.0, 100.0))
        return lo_, hi_

    pillar_low, pillar_high = around(agg.pillars, "pillar", known.pillars)
    subs = np.stack([agg.input, agg.output], axis=1)
    fixed_sub = known.subs if known.subs is not None else np.zeros(subs.shape, bool)
    sub_low, sub_high = around(subs, "subindex", fixed_sub)
    group_low, group_high = around(agg.groups, "group", np.zeros(agg.groups.shape, bool))
    return Intervals(
        low,
        high,
        rank_low,
        rank_high,
        pillar_low,
        pillar_high,
        sub_low,
        sub_high,
        group_low,
        group_high,
        w.below("indicator"),
    )


def _slots(free: list[int], rng: tuple[int, int] | None) -> list[int]:
    """The ranks an estimated unit can take: those nobody published, inside its range."""
    return [r for r in free if rng is None or rng[0] <= r <= rng[1]]


def for_edition(ed, published: pd.DataFrame, widths: Widths | None = None) -> Intervals:
    """The intervals of a loaded edition (model.index.dataset.Edition) given its published rows
    (model.official.store.published(year)); official cells count as known. Kept for the last
    few editions and published tables (an edition object never changes; the Plan page asked
    twice a run, 15 ms each)."""
    if widths is not None:
        return _for_edition(ed, published, widths)
    w = default_widths()  # one object until the stored errors change
    key = (id(ed), _fingerprint(published), id(w))
    hit = _RECENT.get(key)
    if hit is None or hit[0] is not ed or hit[1] is not w:
        hit = _RECENT[key] = (ed, w, _read_only(_for_edition(ed, published, w)))
        while len(_RECENT) > 8:
            _RECENT.pop(next(iter(_RECENT)))
    return hit[2]


def _read_only(iv: Intervals) -> Intervals:
    """Shared between callers: an array changed in place would change everyone's."""
    for value in vars(iv).values():
        if isinstance(value, np.ndarray):
            value.setflags(write=False)
    return iv


# key -> (the edition and widths, kept alive so their ids stay theirs; the Intervals)
_RECENT: dict[tuple, tuple] = {}


def _fingerprint(df: pd.DataFrame) -> str:
    """What known_from_published reads of the published rows (a few dozen per edition), as a
    digest: repr of each column's plain values is six times faster than pandas' row hashing."""
    cols = [c for c in FINGERPRINT_COLUMNS if c in df.columns]
    text = repr([(c, df[c].tolist()) for c in cols])  # repr: a NaN's hash is its identity
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


FINGERPRINT_COLUMNS = (
    "edition",
    "unit",
    "level",
    "item",
    "stat",
    "value",
    "rank",
    "use_as_constraint",
)


def _for_edition(ed, published: pd.DataFrame, widths: Widths | None) -> Intervals:
    agg = ed.baseline()
    official = (ed.provenance == "official").all(axis=1)
    known = known_from_published(published, ed.year, ed.slugs, agg, official)
    return compute(ed.year, agg, known, widths)


def unit_intervals(ed, published: pd.DataFrame, slug: str) -> dict:
    return for_edition(ed, published).of(ed.unit_index(slug))


__all__ = [
    "BANDS",
    "QUANTILE",
    "Intervals",
    "Known",
    "Widths",
    "compute",
    "for_edition",
    "known_from_published",
    "unit_intervals",
    "widths_from",
]
