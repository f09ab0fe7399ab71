"""The index tree: indicator codes -> groups -> pillars -> input/output sub-indices -> PII.

Everything is keyed by code; positions exist only inside the arrays built here, and every
array's order is `Framework.codes` / `Framework.groups` / `PILLARS`.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from model import i18n, paths

PILLARS: tuple[str, ...] = ("1", "2", "3", "4", "5", "6", "7")
INPUT_PILLARS: tuple[str, ...] = ("1", "2", "3", "4", "5")
OUTPUT_PILLARS: tuple[str, ...] = ("6", "7")


class FrameworkError(i18n.LocalizedError, ValueError):
    """A malformed index tree (a catalogue id and its parameters)."""


class UnknownCode(i18n.LocalizedError, KeyError):
    """An indicator code the edition does not have; the sentence lists the valid codes."""


def _code_key(code: str) -> tuple[int, ...]:
    return tuple(int(p) for p in code.split("."))


def _pick(lang: str, vi: str, en: str) -> str:
    """The text in `lang`, the Vietnamese one where no English is given."""
    return (en or vi) if lang == "en" else vi


@dataclass(frozen=True, eq=False)
class Indicator:
    code: str
    group: str
    pillar: str
    name_vi: str
    name_en: str
    unit_vi: str = ""
    unit_en: str = ""
    direction: int = 1
    weight: float = 1.0
    origin: str = ""
    status: str = "provisional"
    # Whether a province's own action (policy, spending, services, registrations, its
    # administrative practice) moves it, and why (actionable.csv); None: not recorded.
    actionable: bool | None = None
    actionable_vi: str = ""
    actionable_en: str = ""

    def name(self, lang: str = "vi") -> str:
        """The indicator's name in `lang` (framework.csv name_vi / name_en)."""
        return _pick(lang, self.name_vi, self.name_en)

    def unit(self, lang: str = "vi") -> str:
        """The unit of its raw value in `lang` (unit_vi / unit_en; "" when none is given)."""
        return _pick(lang, self.unit_vi, self.unit_en)

    def actionable_reason(self, lang: str = "vi") -> str:
        """Why a province can (or cannot) move it, in `lang` (actionable.csv)."""
        return _pick(lang, self.actionable_vi, self.actionable_en)


@dataclass(frozen=True, eq=False)
class Framework:
    """One edition's framework with the matrices the engine aggregates with."""

    edition: int
    indicators: tuple[Indicator, ...]
    group_names: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    pillar_names: Mapping[str, tuple[str, str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        inds = tuple(sorted(self.indicators, key=lambda i: _code_key(i.code)))
        object.__setattr__(self, "indicators", inds)
        codes = tuple(i.code for i in inds)
        if len(set(codes)) != len(codes):
            raise FrameworkError("framework.err_duplicate", edition=self.edition)
        groups = tuple(sorted({i.group for i in inds}, key=_code_key))
        for ind in inds:
            if ind.pillar not in PILLARS:
                raise FrameworkError("framework.err_pillar", code=ind.code, pillar=ind.pillar)
            if not ind.code.startswith(ind.group + "."):
                raise FrameworkError("framework.err_group", code=ind.code, group=ind.group)
            if ind.weight <= 0:
                raise FrameworkError("framework.err_weight", code=ind.code)
        group_pillar = {i.group: i.pillar for i in inds}
        missing = [p for p in PILLARS if p not in group_pillar.values()]
        if missing:
            raise FrameworkError(
                "framework.err_empty_pillars", edition=self.edition, pillars=", ".join(missing)
            )
        object.__setattr__(self, "codes", codes)
        object.__setattr__(self, "groups", groups)
        object.__setattr__(self, "index", {c: k for k, c in enumerate(codes)})
        object.__setattr__(self, "group_index", {g: k for k, g in enumerate(groups)})
        object.__setattr__(
            self, "ind_group", np.array([groups.index(i.group) for i in inds], dtype=np.intp)
        )
        object.__setattr__(
            self,
            "group_pillar",
            np.array([PILLARS.index(group_pillar[g]) for g in groups], dtype=np.intp),
        )
        object.__setattr__(self, "weights", np.array([i.weight for i in inds], dtype=float))
        object.__setattr__(self, "direction", np.array([i.direction for i in inds], dtype=float))
        # Indicator -> group weighted-mean matrix (m x G), columns sum to 1.
        wg = np.zeros((len(codes), len(groups)))
        wg[np.arange(len(codes)), self.ind_group] = self.weights
        object.__setattr__(self, "w_raw", wg)
        object.__setattr__(self, "w_group", wg / wg.sum(axis=0, keepdims=True))
        # Group -> pillar mean matrix (G x 7), columns sum to 1.
        gp = np.zeros((len(groups), len(PILLARS)))
        gp[np.arange(len(groups)), self.group_pillar] = 1.0
        object.__setattr__(self, "g_raw", gp)
        object.__setattr__(self, "w_pillar", gp / gp.sum(axis=0, keepdims=True))
        # Pillar -> PII: half the weight to the mean of input pillars, half to output.
        pw = np.array([0.5 / len(INPUT_PILLARS)] * 5 + [0.5 / len(OUTPUT_PILLARS)] * 2)
        object.__setattr__(self, "pillar_weights", pw)
        for arr in (self.weights, self.direction, wg, gp, self.w_group, self.w_pillar, pw):
            arr.setflags(write=False)

    # --- declared for type checkers; set in __post_init__ -------------------------------
    codes: tuple[str, ...] = field(init=False, repr=False)
    groups: tuple[str, ...] = field(init=False, repr=False)
    index: Mapping[str, int] = field(init=False, repr=False)
    group_index: Mapping[str, int] = field(init=False, repr=False)
    ind_group: np.ndarray = field(init=False, repr=False)
    group_pillar: np.ndarray = field(init=False, repr=False)
    weights: np.ndarray = field(init=False, repr=False)
    direction: np.ndarray = field(init=False, repr=False)
    w_raw: np.ndarray = field(init=False, repr=False)
    w_group: np.ndarray = field(init=False, repr=False)
    g_raw: np.ndarray = field(init=False, repr=False)
    w_pillar: np.ndarray = field(init=False, repr=False)
    pillar_weights: np.ndarray = field(init=False, repr=False)

    @property
    def m(self) -> int:
        return len(self.codes)

    def indicator(self, code: str) -> Indicator:
        return self.indicators[self.require(code)]

    def require(self, code: str) -> int:
        """Position of an indicator code; a clear error listing valid codes otherwise."""
        try:
            return self.index[code]
        except KeyError:
            raise UnknownCode(
                "framework.err_unknown_code",
                code=str(code),
                edition=self.edition,
                valid=", ".join(self.codes),
            ) from None

    def group_name(self, group: str, lang: str = "vi") -> str:
        """A group's name in `lang` (groups.csv), its code when the framework has no name."""
        vi, en = self.group_names.get(group, ("", ""))
        return _pick(lang, vi, en) or group

    def pillar_name(self, pillar: str, lang: str = "vi") -> str:
        """A pillar's name in `lang` (pillars.csv), its number when the framework has none."""
        vi, en = self.pillar_names.get(str(pillar), ("", ""))
        return _pick(lang, vi, en) or str(pillar)

    def group_weights(self) -> np.ndarray:
        """Effective weight of each group in the PII (sums to 1)."""
        return self.w_pillar @ self.pillar_weights

    def effective_weights(self) -> np.ndarray:
        """Effective weight of each indicator in the PII under full coverage (sums to 1).

        Under arithmetic means the PII is linear in the scores, so d PII / d score_i is
        exactly this weight.
        """
        return self.w_group @ self.group_weights()

    def codes_in(self, *, pillar: str | None = None, group: str | None = None) -> list[str]:
        return [
            i.code
            for i in self.indicators
            if (pillar is None or i.pillar == pillar) and (group is None or i.group == group)
        ]

    def pillar_of(self, code: str) -> str:
        return self.indicator(code).pillar

    def actionable_codes(self) -> tuple[str, ...]:
        """The indicators a province can act on (actionable.csv), in framework order."""
        return tuple(i.code for i in self.indicators if i.actionable)


ACTIONABLE_FILE = "actionable.csv"
ACTIONABLE_COLUMNS = ("edition", "code", "actionable", "reason_vi", "reason_en", "source")
_YES_NO = {"yes": True, "no": False}


def load_actionable(path: Path | None = None) -> dict[int, dict[str, tuple[bool, str, str]]]:
    """actionable.csv: edition -> code -> (actionable, reason_vi, reason_en); {} without the
    file. Strict about what is there: the columns, yes/no, both reasons, one row per code."""
    path = path or paths.sources_dir() / ACTIONABLE_FILE
    if not path.exists():
        return {}
    return _read_actionable(str(path), path.stat().st_mtime_ns)


@lru_cache(maxsize=4)
def _read_actionable(path: str, _mtime: int) -> dict[int, dict[str, tuple[bool, str, str]]]:
    name = Path(path).name
    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in ACTIONABLE_COLUMNS if c not in (reader.fieldnames or ())]
        if missing:
            raise FrameworkError(
                "framework.err_actionable_columns", file=name, columns=", ".join(missing)
            )
        out: dict[int, dict[str, tuple[bool, str, str]]] = {}
        for line, r in enumerate(reader, start=2):
            flag = _YES_NO.get(r["actionable"].strip())
            vi, en = r["reason_vi"].strip(), r["reason_en"].strip()
            if flag is None or not vi or not en or not r["edition"].strip().isdigit():
                raise FrameworkError("framework.err_actionable_row", file=name, line=line)
            per = out.setdefault(int(r["edition"]), {})
            if r["code"] in per:
                raise FrameworkError(
                    "framework.err_actionable_twice", file=name, line=line, code=r["code"]
                )
            per[r["code"]] = (flag, vi, en)
    return out


def framework_from_rows(
    edition: int,
    rows: Sequence[Mapping[str, object]],
    group_rows: Sequence[Mapping[str, object]] = (),
    pillar_rows: Sequence[Mapping[str, object]] = (),
    actionable: Mapping[str, tuple[bool, str, str]] | None = None,
) -> Framework:
    """The edition's framework from its rows; `actionable` (code -> flag and reasons) defaults
    to the edition's rows of actionable.csv in the sources directory (a code without a row:
    None, unknown)."""
    flags = load_actionable().get(int(edition), {}) if actionable is None else actionable
    inds = tuple(
        Indicator(
            code=str(r["code"]),
            group=str(r["group"]),
            pillar=str(r["pillar"]),
            name_vi=str(r["name_vi"]),
            name_en=str(r["name_en"]),
            unit_vi=str(r.get("unit_vi") or ""),
            unit_en=str(r.get("unit_en") or ""),
            direction=int(float(r.get("direction") or 1)),
            weight=float(r.get("weight") or 1.0),
            origin=str(r.get("origin") or ""),
            status=str(r.get("status") or "provisional"),
            **_flag_fields(flags.get(str(r["code"]))),
        )
        for r in rows
    )
    groups = {str(g["group"]): (str(g["name_vi"]), str(g["name_en"])) for g in group_rows}
    pillars = {str(p["pillar"]): (str(p["name_vi"]), str(p["name_en"])) for p in pillar_rows}
    return Framework(edition, inds, groups, pillars)


def _flag_fields(flag: tuple[bool, str, str] | None) -> dict[str, object]:
    if flag is None:
        return {}
    return {"actionable": flag[0], "actionable_vi": flag[1], "actionable_en": flag[2]}
