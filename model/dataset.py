"""An edition's data as arrays: units x indicators scores, raw values, goalposts, provenance."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from . import i18n
from .engine import Aggregates, aggregate, denormalise, normalise
from .framework import Framework


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
    provenance: np.ndarray  # (n, m): official | published | reconstructed
    regions: pd.DataFrame = field(default_factory=pd.DataFrame)

    def __post_init__(self) -> None:
        object.__setattr__(self, "slugs", tuple(self.units["slug"]))
        object.__setattr__(self, "_ix", {s: k for k, s in enumerate(self.slugs)})
        for arr in (self.scores, self.raw, self.lo, self.hi):
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
