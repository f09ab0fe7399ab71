"""An edition's data as arrays: units x indicators scores, raw values, goalposts, provenance."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from model import fmt, i18n
from model.index.engine import Aggregates, aggregate, denormalise, normalise
from model.index.framework import Framework


class UnknownName(i18n.LocalizedError, KeyError):
    """An unknown unit, edition or indicator: a catalogue id whose sentence lists the valid
    ones. Still a KeyError, so callers that catch KeyError keep working; `str()` is the plain
    English sentence (KeyError would quote it)."""


@dataclass(frozen=True, eq=False)
class Edition:
    year: int
    framework: Framework
    units: (
        pd.DataFrame
    )  # slug, name_vi, name_en, region, lat, lon, population_thousand, merged_from
    scores: np.ndarray  # (n, m) 0-100, NaN where missing
    raw: np.ndarray  # (n, m)
    lo: np.ndarray  # (m,) raw goalposts: national minimum (direction 1)
    hi: np.ndarray  # (m,) national maximum
    provenance: np.ndarray  # (n, m): official | published | statistics | reconstructed
    regions: pd.DataFrame = field(default_factory=pd.DataFrame)
    decimals: np.ndarray | None = None  # (m,) decimals of a raw value (goalposts.csv), or None

    def __post_init__(self) -> None:
        object.__setattr__(self, "slugs", tuple(self.units["slug"]))
        object.__setattr__(self, "_ix", {s: k for k, s in enumerate(self.slugs)})
        for arr in (self.scores, self.raw, self.lo, self.hi, self.decimals):
            if arr is not None:
                arr.setflags(write=False)

    slugs: tuple[str, ...] = field(init=False, repr=False)
    _ix: dict[str, int] = field(init=False, repr=False)

    @property
    def n(self) -> int:
        return len(self.slugs)

    def unit_index(self, slug: str) -> int:
        try:
            return self._ix[slug]
        except KeyError:
            raise UnknownName(
                "dataset.err_unknown_unit",
                unit=str(slug),
                year=self.year,
                valid=", ".join(self.slugs),
            ) from None

    def name(self, slug: str, lang: str = "vi") -> str:
        return str(self.units.iloc[self.unit_index(slug)][f"name_{lang}"])

    def region_of(self, slug: str) -> str:
        return str(self.units.iloc[self.unit_index(slug)]["region"])

    def baseline(self) -> Aggregates:
        """The edition as published (computed once; editions are immutable)."""
        cached = self.__dict__.get("_baseline")
        if cached is None:
            cached = aggregate(self.framework, self.scores)
            object.__setattr__(self, "_baseline", cached)
        return cached

    def score_to_raw(self, code: str, score: float | np.ndarray) -> np.ndarray:
        i = self.framework.require(code)
        return denormalise(
            np.asarray(score, float), self.lo[i], self.hi[i], self.framework.direction[i]
        )

    def raw_to_score(self, code: str, raw: float | np.ndarray) -> np.ndarray:
        """Score-equivalent of a raw value under this edition's goalposts (not clipped)."""
        i = self.framework.require(code)
        return normalise(
            np.asarray(raw, float), self.lo[i], self.hi[i], self.framework.direction[i]
        )

    def raw_decimals(self, code: str) -> int:
        """How many decimals a raw value of `code` is shown with: the goalposts' own
        (goalposts.csv `decimals`), else enough for the national range to read with about
        three significant digits (0.010-1.000 % of GRDP: 3; 20-900: 2)."""
        i = self.framework.require(code)
        if self.decimals is not None and math.isfinite(self.decimals[i]):
            return int(self.decimals[i])
        span = abs(float(self.hi[i] - self.lo[i]))
        if not math.isfinite(span) or span <= 0:
            return 2
        return min(6, max(2, 2 - math.floor(math.log10(span))))


def raw_decimals(ed: Edition, code: str) -> int:
    """Decimals for a raw value of `code` in `ed` (see Edition.raw_decimals)."""
    return ed.raw_decimals(code)


def raw_text(ed: Edition, code: str, value: float | None, lang: str = "vi") -> str:
    """A raw value as every screen prints it: the indicator's own decimals, the language's
    separators (0,034 in Vietnamese)."""
    return fmt.number(value, lang, ed.raw_decimals(code))
