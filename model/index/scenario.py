"""Scenarios: what a planner changes, as a value (frozen, JSON-serialisable), and its evaluation.

A Scenario sets one unit's indicator targets in score units of the baseline edition's
goalposts ("score-equivalents": linear in the raw value, so a raw value beyond the national
maximum maps above 100). How the other units move (peers) and how scores are normalised
(scale) are part of the scenario too.

Scale modes:
  frozen       the baseline's goalposts stay; a score beyond 0-100 is capped and flagged.
  renormalize  min and max are recomputed over all units, as the Ministry would.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from model import fmt, i18n
from model.index.dataset import Edition
from model.index.engine import Aggregates, aggregate, rank_desc, renormalise

SCALES = ("frozen", "renormalize")
# Score-equivalents a target may take: up to 100 national ranges beyond either goalpost. Any
# plausible raw value fits (10 % of GRDP on R&D for 2.2.3, whose range is 0.01-1 %, is 1009);
# the limit only catches a mistyped magnitude. Inside it, a value beyond 0-100 is capped
# (frozen) or becomes the new minimum or maximum (renormalize).
TARGET_LIMITS = (-10_000.0, 10_000.0)
_PEERS = re.compile(r"^(static|trend|drift:(-?\d+(\.\d+)?))$")
_CODE = re.compile(r"^\d+\.\d+\.\d+$")


class ScenarioError(i18n.LocalizedError, ValueError):
    """A scenario that cannot be evaluated: a catalogue id and its parameters."""


@dataclass(frozen=True)
class Scenario:
    unit: str = "bac-giang"
    edition: int = 2023
    targets: tuple[tuple[str, float], ...] = ()
    peers: str = "static"  # static | drift:POINTS (per year) | trend
    scale: str = "frozen"
    target_year: int | None = None
    name: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.unit, str) or not self.unit:
            raise ScenarioError("scenario.err_unit_empty")
        if not isinstance(self.edition, int) or isinstance(self.edition, bool):
            raise ScenarioError("scenario.err_edition_type")
        if self.scale not in SCALES:
            raise ScenarioError(
                "scenario.err_scale", valid=", ".join(SCALES), value=str(self.scale)
            )
        if not isinstance(self.peers, str) or not _PEERS.match(self.peers):
            raise ScenarioError("scenario.err_peers", value=str(self.peers))
        if self.target_year is not None and not (
            self.edition <= self.target_year <= self.edition + 20
        ):
            raise ScenarioError(
                "scenario.err_target_year", first=self.edition, last=self.edition + 20
            )
        clean: dict[str, float] = {}
        for code, value in self.targets:
            clean[code] = target_score(code, float(value))
        object.__setattr__(
            self, "targets", tuple(sorted(clean.items(), key=lambda kv: _key(kv[0])))
        )

    # --- construction helpers --------------------------------------------------------------
    @property
    def target_map(self) -> dict[str, float]:
        return dict(self.targets)

    def with_targets(self, targets: Mapping[str, float]) -> Scenario:
        merged = {**self.target_map, **targets}
        return replace(self, targets=tuple(merged.items()))

    def without(self, code: str) -> Scenario:
        return replace(self, targets=tuple((c, v) for c, v in self.targets if c != code))

    @property
    def years(self) -> int:
        return max(1, (self.target_year or self.edition + 1) - self.edition)

    @property
    def drift(self) -> float:
        return float(self.peers.split(":", 1)[1]) if self.peers.startswith("drift:") else 0.0

    # --- serialisation (never pickle or eval) ---------------------------------------------
    def to_dict(self) -> dict:
        return {
            "unit": self.unit,
            "edition": self.edition,
            "targets": {c: v for c, v in self.targets},
            "peers": self.peers,
            "scale": self.scale,
            "target_year": self.target_year,
            "name": self.name,
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_dict(cls, d: Mapping) -> Scenario:
        if not isinstance(d, Mapping):
            raise ScenarioError("scenario.err_not_object")
        targets = d.get("targets", {})
        if not isinstance(targets, Mapping):
            raise ScenarioError("scenario.err_targets_type")
        for value in targets.values():
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise ScenarioError("scenario.err_target_type", value=str(value))
        edition = d.get("edition", 2023)
        if isinstance(edition, bool) or not isinstance(edition, int):
            raise ScenarioError("scenario.err_edition_value", value=str(edition))
        try:
            return cls(
                unit=str(d.get("unit", "bac-giang")),
                edition=edition,
                targets=tuple((str(k), float(v)) for k, v in targets.items()),
                peers=str(d.get("peers", "static")),
                scale=str(d.get("scale", "frozen")),
                target_year=_year_or_none(d.get("target_year")),
                name=str(d.get("name", ""))[:200],
            )
        except (TypeError, ValueError) as exc:
            if isinstance(exc, ScenarioError):
                raise
            raise ScenarioError("scenario.err_invalid") from None

    @classmethod
    def from_json(cls, text: str) -> Scenario:
        try:
            return cls.from_dict(json.loads(text))
        except json.JSONDecodeError as exc:
            raise ScenarioError("scenario.err_json", line=exc.lineno, column=exc.colno) from None


def target_score(code: str, value: float, ed: Edition | None = None, *, raw: bool = False) -> float:
    """The score-equivalent a target stands for: the one rule for a Scenario's targets, a raw
    value typed on the scenario page (`raw=True`, through `ed`'s goalposts), a link's `t=` and
    the CLI's `--set`. ScenarioError (in the user's language) for a code of the wrong form,
    a value that is not finite, or one beyond TARGET_LIMITS; UnknownCode (a KeyError) for a
    code `ed` lacks. A value beyond 0-100 is a valid target: see `beyond`, `target_notice`."""
    if not isinstance(code, str) or not _CODE.match(code):
        raise ScenarioError("scenario.err_code_form", code=str(code))
    if ed is not None:
        ed.framework.require(code)
    v = float(value)
    if not math.isfinite(v):
        raise ScenarioError("scenario.err_target_finite", code=code)
    if raw and ed is None:
        raise TypeError("a raw value needs the edition whose goalposts convert it")
    if raw and ed is not None:
        check_raw(ed, code, v, TARGET_LIMITS)
        return float(ed.raw_to_score(code, v))
    if TARGET_LIMITS[0] <= v <= TARGET_LIMITS[1]:
        return v
    raise ScenarioError(
        "scenario.err_target_far",
        code=code,
        value=_shown(v),
        lo=TARGET_LIMITS[0],
        hi=TARGET_LIMITS[1],
    )


def can_be_negative(ed: Edition, code: str) -> bool:
    """Whether a raw value of `code` may be below zero: only a change over a year (growth in %
    per year, percentage points per year; framework.csv `unit_en`) or an indicator whose
    national minimum is already negative. Shares, counts, money and points cannot."""
    ind = ed.framework.indicator(code)
    return "per year" in ind.unit_en or float(ed.lo[ed.framework.index[code]]) < 0


def raw_limits(ed: Edition, code: str, limits: tuple[float, float]) -> tuple[float, float]:
    """The raw values accepted for `code`: the score-equivalents `limits` through `ed`'s
    goalposts (in either direction), from 0 for a quantity that cannot be negative."""
    lo, hi = sorted(float(x) for x in ed.score_to_raw(code, np.array(limits)))
    if not can_be_negative(ed, code):
        lo, hi = max(lo, 0.0), max(hi, 0.0)
    return lo, hi


def check_raw(ed: Edition, code: str, v: float, limits: tuple[float, float]) -> None:
    """ScenarioError when the raw value `v` is negative for a quantity that cannot be, or
    beyond `raw_limits` (the range said in the indicator's unit and with its decimals)."""
    lo, hi = raw_limits(ed, code, limits)
    if lo <= v <= hi:
        return
    i = ed.framework.index[code]
    ind = ed.framework.indicator(code)
    unit = _DataText(vi=ind.unit("vi"), en=ind.unit("en"))
    d = ed.raw_decimals(code)
    if v < 0 <= lo and not can_be_negative(ed, code):
        raise ScenarioError("scenario.err_raw_negative", code=code, raw=_shown(v), unit=unit)
    raise ScenarioError(
        "scenario.err_target_far_raw",
        code=code,
        raw=_shown(v),
        unit=unit,
        min=_Fixed(x=float(ed.lo[i]), decimals=d),
        max=_Fixed(x=float(ed.hi[i]), decimals=d),
        raw_lo=_Fixed(x=lo, decimals=d),
        raw_hi=_Fixed(x=hi, decimals=d),
    )


@dataclass(frozen=True)
class _Fixed(i18n.Message):
    """A number as a message parameter rounded to an indicator's own decimals, trailing zeros
    dropped (0; 1,99; 99,01), in the sentence's language."""

    msg_id: str = ""
    x: float = 0.0
    decimals: int = 2

    def render(self, lang: str) -> str:
        text = fmt.number(self.x, lang, self.decimals)
        mark = fmt.decimal_mark(lang)
        return text.rstrip("0").rstrip(mark) if mark in text else text


def _shown(v: float) -> float | str:
    """A value for a message: a number up to 1e15 (formatted in the reader's language),
    beyond that in exponent form (number formatting has 28 digits to work with)."""
    return v if abs(v) < 1e15 else f"{v:.6g}"


@dataclass(frozen=True)
class _DataText(i18n.Message):
    """Text from the data in both languages (an indicator's unit) as a message parameter: it
    renders in the sentence's language (as model.merge does for names and units)."""

    msg_id: str = ""
    vi: str = ""
    en: str = ""

    def render(self, lang: str) -> str:
        return (self.en or self.vi) if lang == "en" else self.vi


def beyond(score: float) -> str | None:
    """Which side of the national range a score-equivalent lies: "low", "high" or None."""
    return "low" if score < 0.0 else ("high" if score > 100.0 else None)


# What happens to a target beyond the national range, by scale and side.
_NOTICES = {
    ("frozen", "high"): "scenario.warn_capped_high",
    ("frozen", "low"): "scenario.warn_capped_low",
    ("renormalize", "high"): "scenario.warn_new_max",
    ("renormalize", "low"): "scenario.warn_new_min",
}


def target_notice(code: str, score: float, scale: str) -> i18n.Message | None:
    """What a target beyond 0-100 does: capped at 0 or 100 (frozen), or the new minimum or
    maximum (renormalize); None inside the range."""
    side = beyond(score)
    return i18n.msg(_NOTICES[(scale, side)], code=code) if side else None


def _year_or_none(value: object) -> int | None:
    """A target year from JSON: empty, a whole number, or a ScenarioError."""
    if value in (None, ""):
        return None
    try:
        return int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        raise ScenarioError("scenario.err_target_year_value", value=str(value)) from None


def _key(code: str) -> tuple[int, ...]:
    return tuple(int(p) for p in code.split("."))


def check(s: Scenario, ed: Edition) -> None:
    """Raise ScenarioError unless every name in the scenario exists in the edition."""
    if s.edition != ed.year:
        raise ScenarioError("scenario.err_edition_mismatch", edition=s.edition, year=ed.year)
    if s.unit not in ed.slugs:
        raise ScenarioError("scenario.err_unknown_unit", unit=s.unit, valid=", ".join(ed.slugs))
    bad = [c for c, _ in s.targets if c not in ed.framework.index]
    if bad:
        raise ScenarioError(
            "scenario.err_unknown_codes",
            codes=", ".join(bad),
            valid=", ".join(ed.framework.codes),
        )


# --------------------------------------------------------------------------------------------
# Evaluation
# --------------------------------------------------------------------------------------------


def peer_trend(earlier: Edition, later: Edition) -> np.ndarray:
    """Each unit's yearly score change between two editions on the same map of units."""
    if earlier.slugs != later.slugs or earlier.framework.codes != later.framework.codes:
        raise ScenarioError("scenario.err_trend_maps", first=earlier.year, second=later.year)
    return (later.scores - earlier.scores) / (later.year - earlier.year)


def evaluate_targets(
    ed: Edition,
    unit: int,
    targets: np.ndarray,
    *,
    scale: str = "frozen",
    peer_delta: np.ndarray | None = None,
) -> tuple[Aggregates, np.ndarray, np.ndarray]:
    """Evaluate S target vectors for one unit at once.

    targets: (S, m) score-equivalents, NaN = leave the baseline value.
    peer_delta: (n, m) change applied to every other unit (score-equivalents), or None.
    Returns the aggregates (S, n, ...), the scores used (S, n, m) and a capped mask (S, m) for
    the unit's own indicators.
    """
    targets = np.atleast_2d(np.asarray(targets, dtype=float))
    S = targets.shape[0]
    base = ed.scores
    own = np.where(np.isnan(targets), base[unit], targets)  # (S, m)
    capped = (own > 100.0) | (own < 0.0)
    if scale == "frozen" and peer_delta is None:
        # Fast path: only the unit's row changes; the others keep their baseline.
        agg0 = ed.baseline()
        own_c = np.clip(own, 0.0, 100.0)
        one = aggregate(ed.framework, own_c[:, None, :])  # (S, 1, ...)
        groups = np.broadcast_to(agg0.groups, (S, *agg0.groups.shape)).copy()
        pillars = np.broadcast_to(agg0.pillars, (S, *agg0.pillars.shape)).copy()
        groups[:, unit] = one.groups[:, 0]
        pillars[:, unit] = one.pillars[:, 0]
        inp = np.broadcast_to(agg0.input, (S, ed.n)).copy()
        out = np.broadcast_to(agg0.output, (S, ed.n)).copy()
        pii = np.broadcast_to(agg0.pii, (S, ed.n)).copy()
        inp[:, unit], out[:, unit], pii[:, unit] = one.input[:, 0], one.output[:, 0], one.pii[:, 0]
        cov = np.broadcast_to(agg0.coverage, (S, ed.n)).copy()
        cov[:, unit] = one.coverage[:, 0]
        agg = Aggregates(groups, pillars, inp, out, pii, rank_desc(pii), cov)
        scores = np.broadcast_to(base, (S, *base.shape)).copy()
        scores[:, unit] = own_c
        return agg, scores, capped
    values = np.broadcast_to(base, (S, *base.shape)).copy()
    if peer_delta is not None:
        mask = np.ones(ed.n, dtype=bool)
        mask[unit] = False
        values[:, mask] += peer_delta[mask]
    values[:, unit] = own
    if scale == "frozen":
        scores = np.clip(values, 0.0, 100.0)
    else:
        scores = renormalise(values)
    return aggregate(ed.framework, scores), scores, capped


def _peer_delta(s: Scenario, ed: Edition, trend: np.ndarray | None) -> np.ndarray | None:
    if s.peers == "static":
        return None
    if s.peers == "trend":
        if trend is None:
            raise ScenarioError("scenario.err_trend_missing", year=ed.year)
        return trend * s.years
    return np.full(ed.scores.shape, s.drift * s.years)


@dataclass(frozen=True)
class Contribution:
    code: str
    baseline_score: float
    scenario_score: float
    delta_score: float
    delta_pii: float
    capped: bool


@dataclass(frozen=True, eq=False)
class Outcome:
    """A scenario's result for its unit, beside the baseline: what every screen renders."""

    scenario: Scenario
    edition: Edition
    baseline: Aggregates  # (n, ...)
    result: Aggregates  # (n, ...)
    scores: np.ndarray  # (n, m) scenario scores
    contributions: tuple[Contribution, ...]
    notices: tuple[i18n.Message, ...] = field(default=())  # e.g. a target capped at 100

    @property
    def warnings(self) -> tuple[str, ...]:
        """The notices in English (logs); screens render `notices` in their language."""
        return tuple(str(m) for m in self.notices)

    @property
    def unit_index(self) -> int:
        return self.edition.unit_index(self.scenario.unit)

    def summary(self) -> dict:
        u = self.unit_index
        b, r = self.baseline, self.result
        return {
            "baseline": {
                "pii": float(b.pii[u]),
                "rank": int(b.rank[u]),
                "input": float(b.input[u]),
                "output": float(b.output[u]),
            },
            "scenario": {
                "pii": float(r.pii[u]),
                "rank": int(r.rank[u]),
                "input": float(r.input[u]),
                "output": float(r.output[u]),
                "pillars": {str(k + 1): float(v) for k, v in enumerate(r.pillars[u])},
            },
            "contributions": [
                {"code": c.code, "delta_score": c.delta_score, "delta_pii": c.delta_pii}
                for c in self.contributions
            ],
        }


def effective_weights_for(ed: Edition, scores_row: np.ndarray) -> np.ndarray:
    """d PII / d score for one unit, honouring missing indicators (weights renormalised)."""
    fw = ed.framework
    present = ~np.isnan(scores_row)
    w = fw.w_raw * present[:, None]
    col = w.sum(axis=0)
    wg = np.divide(w, col, out=np.zeros_like(w), where=col > 0)
    gpresent = col > 0
    gp = fw.g_raw * gpresent[:, None]
    pcol = gp.sum(axis=0)
    wp = np.divide(gp, pcol, out=np.zeros_like(gp), where=pcol > 0)
    return wg @ (wp @ fw.pillar_weights)


def simulate(ed: Edition, s: Scenario, trend: np.ndarray | None = None) -> Outcome:
    """Evaluate one scenario against its baseline edition."""
    check(s, ed)
    u = ed.unit_index(s.unit)
    fw = ed.framework
    t = np.full(fw.m, np.nan)
    for code, v in s.targets:
        t[fw.index[code]] = v
    agg, scores, capped = evaluate_targets(
        ed, u, t[None, :], scale=s.scale, peer_delta=_peer_delta(s, ed, trend)
    )
    result = Aggregates(*(getattr(agg, f)[0] for f in Aggregates.__dataclass_fields__))
    base_row, new_row = ed.scores[u], scores[0, u]
    eff = effective_weights_for(ed, base_row)
    contribs = []
    for i, code in enumerate(fw.codes):
        d = new_row[i] - base_row[i]
        if abs(d) > 1e-9 or (capped[0, i] and code in s.target_map):
            contribs.append(
                Contribution(
                    code,
                    float(base_row[i]),
                    float(new_row[i]),
                    float(d),
                    float(eff[i] * d),
                    bool(capped[0, i]),
                )
            )
    targets = s.target_map
    notices = tuple(
        m
        for c in contribs
        if c.capped and (m := target_notice(c.code, targets.get(c.code, 50.0), s.scale))
    )
    return Outcome(s, ed, ed.baseline(), result, scores[0], tuple(contribs), notices)


def simulate_many(
    ed: Edition, scenarios: Sequence[Scenario], trend: np.ndarray | None = None
) -> Aggregates:
    """Evaluate many scenarios for the same unit, scale and peers in one vectorised call."""
    if not scenarios:
        raise ScenarioError("scenario.err_none_given")
    first = scenarios[0]
    for s in scenarios:
        check(s, ed)
        if (s.unit, s.scale, s.peers, s.years) != (
            first.unit,
            first.scale,
            first.peers,
            first.years,
        ):
            raise ScenarioError("scenario.err_many_mixed")
    fw = ed.framework
    t = np.full((len(scenarios), fw.m), np.nan)
    for k, s in enumerate(scenarios):
        for code, v in s.targets:
            t[k, fw.index[code]] = v
    agg, _, _ = evaluate_targets(
        ed,
        ed.unit_index(first.unit),
        t,
        scale=first.scale,
        peer_delta=_peer_delta(first, ed, trend),
    )
    return agg
