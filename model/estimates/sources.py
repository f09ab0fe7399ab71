"""The version-controlled CSV sources under data/sources, read and checked.

Each file's columns are documented in data/README.md. Reading is strict: a missing file or
column, or a code or unit that does not exist, stops the build with a message naming the file
and row, so that a broken source can never produce a silently wrong database.
"""

from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from model import i18n
from model.estimates import statistics
from model.index.framework import Framework, framework_from_rows

REQUIRED: dict[str, tuple[str, ...]] = {
    "regions.csv": ("code", "name_vi", "name_en", "source"),
    "units.csv": (
        "map",
        "slug",
        "name_vi",
        "name_en",
        "region",
        "lat",
        "lon",
        "population_thousand",
        "population_year",
        "merged_from",
        "provenance",
        "source",
    ),
    "pillars.csv": ("pillar", "name_vi", "name_en", "block", "source"),
    "groups.csv": ("edition", "group", "pillar", "name_vi", "name_en", "status", "source"),
    "framework.csv": (
        "edition",
        "code",
        "pillar",
        "group",
        "name_vi",
        "name_en",
        "unit_vi",
        "unit_en",
        "direction",
        "weight",
        "origin",
        "status",
        "source",
    ),
    "goalposts.csv": ("edition", "code", "min_raw", "max_raw", "decimals", "provenance", "source"),
    "published.csv": (
        "edition",
        "unit",
        "unit_name",
        "level",
        "item",
        "stat",
        "value",
        "rank",
        "status",
        "use_as_constraint",
        "note",
        "source",
    ),
    "indicator_facts.csv": (
        "edition",
        "unit",
        "code",
        "kind",
        "value",
        "status",
        "use_as_constraint",
        "note",
        "source",
    ),
    "plan_bac_giang_2024.csv": (
        "plan",
        "row",
        "code",
        "score_2023",
        "target_2024",
        "target_text",
        "lead_unit",
        "coordinating_units",
        "timeframe",
        "tasks_vi",
        "source",
    ),
    "merge_rules.csv": ("code", "rule", "weight", "rationale", "source"),
    "correlates.csv": ("indicator", "year", "unit", "value", "measure", "source"),
    statistics.FILE: statistics.COLUMNS,  # NSO tables of every unit (model.estimates.statistics)
}

# How a merged unit's indicator is estimated from its parts (data/README.md, "Merged provinces"):
# the rule names, and the weights a mean rule may name (`sum`, `max` and `min` take none).
MERGE_RULES: tuple[str, ...] = ("sum", "population_mean", "denominator_mean", "max", "min")
MERGE_WEIGHTS: tuple[str, ...] = (
    "population",
    "grdp",
    "firms",
    "employed",
    "new_firms",
    "manufacturing",
)
MERGE_EDITION = 2025  # the first edition on the merged map; merge_rules.csv covers its codes

# Which map of units each edition uses: 63 provinces until the 1 July 2025 merger, then 34.
EDITION_MAP: dict[int, str] = {2023: "63", 2024: "63", 2025: "34"}
EDITIONS: tuple[int, ...] = tuple(EDITION_MAP)


class SourceError(i18n.LocalizedError, ValueError):
    """A source file is missing, malformed or inconsistent: a catalogue id and its parameters."""


@dataclass(frozen=True, eq=False)
class Sources:
    regions: pd.DataFrame
    units: pd.DataFrame
    pillars: pd.DataFrame
    groups: pd.DataFrame
    framework: pd.DataFrame
    goalposts: pd.DataFrame
    published: pd.DataFrame
    facts: pd.DataFrame
    plan: pd.DataFrame
    merge_rules: pd.DataFrame
    correlates: (
        pd.DataFrame
    )  # public statistics of every 2023/2024 province (model.estimates.priors)
    digest: str
    # statistics.csv, checked and typed (model.estimates.statistics.check); None: not read
    statistics: pd.DataFrame | None = None

    def units_of(self, edition: int) -> pd.DataFrame:
        u = self.units[self.units["map"] == EDITION_MAP[edition]]
        return u.sort_values("slug").reset_index(drop=True)

    def framework_of(self, edition: int) -> Framework:
        rows = self.framework[self.framework["edition"] == edition].to_dict("records")
        groups = self.groups[self.groups["edition"] == edition].to_dict("records")
        return framework_from_rows(edition, rows, groups, self.pillars.to_dict("records"))


def source_files(directory: Path) -> list[Path]:
    return sorted(directory / name for name in REQUIRED)


def digest_of(paths: list[Path], extra: str = "") -> str:
    h = hashlib.sha256(extra.encode())
    for p in paths:
        h.update(p.name.encode())
        h.update(p.read_bytes())
    return h.hexdigest()


def _read(directory: Path, name: str) -> pd.DataFrame:
    path = directory / name
    if not path.exists():
        raise SourceError("sources.err_missing_file", path=str(path))
    try:
        df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except (UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise SourceError("sources.err_unreadable", path=str(path)) from exc
    missing = [c for c in REQUIRED[name] if c not in df.columns]
    if missing:
        raise SourceError("sources.err_missing_columns", path=str(path), columns=", ".join(missing))
    return df


def _numbers(df: pd.DataFrame, name: str, cols: tuple[str, ...], required: bool) -> None:
    for col in cols:
        parsed = pd.to_numeric(df[col].str.strip().replace("", None), errors="coerce")
        bad = df[col].str.strip().ne("") & parsed.isna()
        if required:
            bad |= df[col].str.strip().eq("")
        if bad.any():
            row = int(bad.idxmax()) + 2  # header is line 1
            raise SourceError(
                "sources.err_not_a_number",
                file=name,
                line=row,
                column=col,
                value=str(df.at[bad.idxmax(), col]),
            )
        df[col] = parsed.astype(float)


def load_sources(directory: Path, extra_digest: str = "") -> Sources:
    """Read and cross-check every source file."""
    d = {name: _read(directory, name) for name in REQUIRED}
    _numbers(
        d["units.csv"], "units.csv", ("lat", "lon", "population_thousand", "population_year"), False
    )
    _numbers(d["framework.csv"], "framework.csv", ("edition", "direction", "weight"), True)
    _numbers(d["groups.csv"], "groups.csv", ("edition",), True)
    _numbers(
        d["goalposts.csv"], "goalposts.csv", ("edition", "min_raw", "max_raw", "decimals"), True
    )
    _numbers(d["published.csv"], "published.csv", ("edition",), True)
    _numbers(d["published.csv"], "published.csv", ("value", "rank"), False)
    _numbers(d["indicator_facts.csv"], "indicator_facts.csv", ("edition", "value"), True)
    _numbers(d["correlates.csv"], "correlates.csv", ("year", "value"), True)
    _numbers(
        d["plan_bac_giang_2024.csv"],
        "plan_bac_giang_2024.csv",
        ("row", "score_2023", "target_2024"),
        True,
    )
    for key in (
        "framework.csv",
        "groups.csv",
        "goalposts.csv",
        "published.csv",
        "indicator_facts.csv",
    ):
        d[key]["edition"] = d[key]["edition"].astype(int)

    s = Sources(
        regions=d["regions.csv"],
        units=d["units.csv"],
        pillars=d["pillars.csv"],
        groups=d["groups.csv"],
        framework=d["framework.csv"],
        goalposts=d["goalposts.csv"],
        published=d["published.csv"],
        facts=d["indicator_facts.csv"],
        plan=d["plan_bac_giang_2024.csv"],
        merge_rules=d["merge_rules.csv"],
        correlates=d["correlates.csv"],
        digest=digest_of(source_files(directory), extra_digest),
        statistics=_statistics(d[statistics.FILE], d["units.csv"]),
    )
    _cross_check(s)
    return _with_statistics_goalposts(s)


def _statistics(rows: pd.DataFrame, units: pd.DataFrame) -> pd.DataFrame:
    """statistics.csv checked; its error (naming the line) as a SourceError like any source's."""
    try:
        return statistics.check(rows, units)
    except statistics.StatisticsError as exc:
        raise SourceError(exc.msg_id, **exc.params) from None


def read_statistics(directory: Path) -> pd.DataFrame:
    """statistics.csv read and checked against units.csv, without the other sources."""
    return _statistics(_read(directory, statistics.FILE), _read(directory, "units.csv"))


def _with_statistics_goalposts(s: Sources) -> Sources:
    """The goalposts of the indicators computed from statistics are the data's own (the
    treated minimum and maximum of each edition's units): with them the engine's min-max gives
    the published rule's score (data/README.md, "Indicators computed from statistics")."""
    gp = s.goalposts.copy()
    table = statistics.Table(s.statistics)
    for edition in EDITIONS:
        units = list(s.units_of(edition)["slug"])
        for ind in statistics.indicators(table, edition, units).values():
            at = (gp["edition"] == edition) & (gp["code"] == ind.code)
            gp.loc[at, ["min_raw", "max_raw"]] = [ind.lo, ind.hi]
            gp.loc[at, "provenance"] = "statistics"
            gp.loc[at, "note"] = "computed from official statistics (provenance statistics)"
            gp.loc[at, "source"] = (
                f"statistics: NSO data of {ind.data_year} in data/sources/statistics.csv; "
                f"COINr default treatment ({ind.treatment}), then the edition's min and max"
            )
    return dataclasses.replace(s, goalposts=gp)


def _cross_check(s: Sources) -> None:
    regions = set(s.regions["code"])
    bad = s.units[~s.units["region"].isin(regions)]
    if len(bad):
        raise SourceError(
            "sources.err_unit_region", region=str(bad.iloc[0]["region"]), unit=bad.iloc[0]["slug"]
        )
    for map_, part in s.units.groupby("map"):
        dup = part["slug"][part["slug"].duplicated()]
        if len(dup):
            raise SourceError("sources.err_unit_twice", unit=str(dup.iloc[0]), map=str(map_))
    slugs63 = set(s.units.loc[s.units["map"] == "63", "slug"])
    for _, r in s.units[s.units["map"] == "34"].iterrows():
        parts = [p for p in r["merged_from"].split(";") if p]
        unknown = [p for p in parts if p not in slugs63]
        if not parts or unknown:
            raise SourceError(
                "sources.err_merged_from", unit=r["slug"], value=str(r["merged_from"])
            )
    for edition in EDITIONS:
        fw = s.framework_of(edition)  # raises on a malformed tree
        gp = s.goalposts[s.goalposts["edition"] == edition]
        missing = set(fw.codes) - set(gp["code"])
        if missing:
            raise SourceError(
                "sources.err_goalposts_missing",
                edition=edition,
                codes=", ".join(sorted(missing)),
            )
        if (gp["min_raw"] >= gp["max_raw"]).any():
            bad = gp[gp["min_raw"] >= gp["max_raw"]].iloc[0]
            raise SourceError("sources.err_goalposts_order", edition=edition, code=bad["code"])
        units = set(s.units_of(edition)["slug"])
        facts = s.facts[s.facts["edition"] == edition]
        for _, f in facts.iterrows():
            if f["unit"] not in units or f["code"] not in fw.index:
                raise SourceError(
                    "sources.err_fact_unknown", edition=edition, unit=f["unit"], code=f["code"]
                )
        pub = s.published[(s.published["edition"] == edition) & (s.published["unit"] != "")]
        for _, p in pub.iterrows():
            if p["level"] == "region_average":
                if p["unit"] not in regions:
                    raise SourceError("sources.err_published_region", region=str(p["unit"]))
            elif p["unit"] not in units:
                raise SourceError(
                    "sources.err_published_unit", edition=edition, unit=str(p["unit"])
                )
    fw23 = s.framework_of(2023)
    for _, r in s.plan.iterrows():
        if r["code"] not in fw23.index:
            raise SourceError("sources.err_plan_code", code=str(r["code"]))
    check_merge_rules(s.merge_rules, s.framework_of(MERGE_EDITION).codes)
    _check_correlates(s.correlates, slugs63)


def _check_correlates(c: pd.DataFrame, slugs63: set[str]) -> None:
    """correlates.csv: a province of the 63-province map, once per indicator."""
    bad = c[~c["unit"].isin(slugs63) | c.duplicated(["indicator", "unit"])]
    if len(bad):
        r = bad.iloc[0]
        raise SourceError(
            "sources.err_correlate",
            line=int(bad.index[0]) + 2,
            unit=r["unit"],
            indicator=r["indicator"],
        )


def check_merge_rules(rules: pd.DataFrame, codes: tuple[str, ...] | list[str]) -> None:
    """merge_rules.csv: every code of the merged edition exactly once, a known rule, the weight
    its rule needs, a rationale and a source. The error names the line (header = line 1)."""
    name = "merge_rules.csv"
    known = set(codes)
    seen: set[str] = set()
    for k, r in enumerate(rules.to_dict("records")):
        where = {"file": name, "line": k + 2}
        code, rule, weight = (str(r[c]).strip() for c in ("code", "rule", "weight"))
        if code not in known:
            raise SourceError("sources.err_rule_code", **where, code=code, edition=MERGE_EDITION)
        if code in seen:
            raise SourceError("sources.err_rule_twice", **where, code=code)
        seen.add(code)
        if rule not in MERGE_RULES:
            raise SourceError(
                "sources.err_rule_unknown", **where, rule=rule, valid=", ".join(MERGE_RULES)
            )
        if rule == "population_mean" and weight != "population":
            raise SourceError("sources.err_rule_population", **where)
        if rule == "denominator_mean" and weight not in MERGE_WEIGHTS:
            raise SourceError(
                "sources.err_rule_needs_weight", **where, valid=", ".join(MERGE_WEIGHTS)
            )
        if rule in ("sum", "max", "min") and weight:
            raise SourceError("sources.err_rule_no_weight", **where, rule=rule, weight=weight)
        for col in ("rationale", "source"):
            if not str(r[col]).strip():
                raise SourceError("sources.err_rule_empty", **where, column=col)
    missing = [c for c in codes if c not in seen]
    if missing:
        raise SourceError("sources.err_rule_missing", file=name, codes=", ".join(missing))


def read_merge_rules(directory: Path) -> pd.DataFrame:
    """merge_rules.csv read and checked against the merged edition's codes in framework.csv."""
    fw = _read(directory, "framework.csv")
    codes = fw.loc[fw["edition"].str.strip() == str(MERGE_EDITION), "code"].str.strip().tolist()
    rules = _read(directory, "merge_rules.csv")
    for col in ("code", "rule", "weight"):
        rules[col] = rules[col].str.strip()
    check_merge_rules(rules, codes)
    return rules
