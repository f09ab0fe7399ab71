"""`python -m model merge`: a 2025 unit beside the 2024 provinces it was merged from.

    python -m model merge --unit bac-ninh
    python -m model merge --unit bac-ninh --json

Registered by model/__main__.py through `add_commands(sub)`. Shows each part's 2024 PII, rank
and pillars, the estimate from the parts (model/merge.py, rules in data/sources/merge_rules.csv)
and the unit's 2025 values, each number with its provenance. An unknown unit raises
UnknownName, which the main CLI prints as "Lỗi: …" with exit code 2.
"""

from __future__ import annotations

import argparse
import json
import math

import pandas as pd

from . import api, store
from .dataset import UnknownName
from .fmt import number
from .merge import estimate_from_parts, parts_of, side_by_side

PROVENANCE_VI = {
    "official": "chính thức",
    "published": "đã công bố",
    "reconstructed": "ước tính tái dựng",
    "estimate_from_parts": "ước tính từ các phần",
    "not_comparable": "không so sánh được",
}
WEIGHT_VI = {
    "sum": "cộng",
    "max": "lớn nhất",
    "min": "nhỏ nhất",
    "population": "dân số",
    "equal": "bằng nhau",
    "grdp": "GRDP",
    "firms": "số doanh nghiệp",
    "employed": "số lao động",
    "new_firms": "số DN mới",
    "manufacturing": "giá trị CN chế biến",
}
LEVEL_VI = {"pii": "PII", "input": "Đầu vào", "output": "Đầu ra", "pillar": "Trụ cột"}


def add_commands(sub: argparse._SubParsersAction) -> None:
    """Register the `merge` subcommand on the main CLI's subparsers."""
    m = sub.add_parser(
        "merge",
        help="a merged 2025 unit beside its pre-merger parts and the estimate from them",
        description="Each part's PII, rank and pillars in the previous edition, the estimate of "
        "the unit from its parts (rules in data/sources/merge_rules.csv) and the unit's values "
        "in the merged edition, with the provenance of every number.",
    )
    m.add_argument("--unit", required=True, help="a unit of the merged edition, e.g. bac-ninh")
    m.add_argument("--edition", default="2025", help="the merged edition (default 2025)")
    m.add_argument("--json", action="store_true")
    m.set_defaults(fn=cmd_merge)


def _clean(x: object) -> object:
    if x is None or x is pd.NA:
        return None
    if isinstance(x, float) and math.isnan(x):
        return None
    if hasattr(x, "item"):  # numpy / pandas scalars
        return _clean(x.item())
    return x


def cmd_merge(args: argparse.Namespace) -> int:
    ed_next = api.edition(args.edition)
    years = [y for y in store.editions() if y < ed_next.year]
    if not years:
        raise UnknownName(f"edition {ed_next.year} has no earlier edition to merge from")
    ed_prev = api.edition(max(years))
    parts_of(args.unit, ed_next)  # unknown unit: a message listing the valid ones
    est = estimate_from_parts(args.unit, ed_prev, ed_next)
    df = side_by_side(args.unit, (ed_prev, ed_next), estimate=est)
    parts, mcol = df.attrs["part_columns"], df.attrs["merged_column"]
    if args.json:
        rows = []
        for r in df.to_dict("records"):
            rows.append(
                {
                    "level": r["level"],
                    "item": r["item"],
                    "comparable": bool(r["comparable"]),
                    "parts": {
                        p: {
                            "value": _clean(r[c]),
                            "rank": _clean(r[f"{c}_rank"]),
                            "provenance": r[f"{c}_provenance"],
                        }
                        for p, c in zip(est.parts, parts, strict=True)
                    },
                    "estimate": {
                        "value": _clean(r["estimate"]),
                        "rank": _clean(r["estimate_rank"]),
                        "provenance": r["estimate_provenance"],
                    },
                    "merged": {
                        "value": _clean(r[mcol]),
                        "rank": _clean(r[f"{mcol}_rank"]),
                        "provenance": r[f"{mcol}_provenance"],
                    },
                }
            )
        out = {
            "unit": est.unit,
            "name": ed_next.name(est.unit),
            "parts": list(est.parts),
            "edition_prev": ed_prev.year,
            "edition_next": ed_next.year,
            "n_prev": ed_prev.n,
            "n_next": ed_next.n,
            "estimate": {
                "pii": est.pii,
                "rank": est.rank,
                "input": est.input,
                "output": est.output,
                "pillars": {str(k + 1): float(v) for k, v in enumerate(est.pillars)},
                "coverage": est.coverage,
            },
            "not_comparable": list(est.not_comparable),
            "population_note": est.population_note,
            "rules": [
                {
                    "code": c.code,
                    "rule": c.rule,
                    "weight": c.weight,
                    "weight_used": c.weight_used,
                    "comparable": c.comparable,
                    "shares": dict(zip(est.parts, c.shares, strict=False)),
                    "raw": _clean(est.raw_of(c.code)),
                    "score": _clean(est.score_of(c.code)),
                    "note": c.note,
                }
                for c in est.rules.values()
            ],
            "rows": rows,
        }
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return 0

    names = [ed_prev.name(p) for p in est.parts]
    print(
        f"{ed_next.name(est.unit)} (PII {ed_next.year}, {ed_next.n} địa phương) — "
        f"hợp nhất từ: {', '.join(names)} (PII {ed_prev.year}, {ed_prev.n} tỉnh)"
    )
    headers = ["Cấp", *(f"{n} {ed_prev.year}" for n in names)]
    headers += ["Ước tính từ các phần", f"{ed_next.name(est.unit)} {ed_next.year}"]

    def cell(v: object, rank: object, n: int) -> str:
        return f"{number(_clean(v), 'vi')} ({_clean(rank) or '–'}/{n})"

    lines = []
    for r in df[df["level"] != "indicator"].to_dict("records"):
        label = LEVEL_VI[r["level"]] + (f" {r['item']}" if r["item"] else "")
        row = [label]
        row += [cell(r[c], r[f"{c}_rank"], ed_prev.n) for c in parts]
        row += [cell(r["estimate"], r["estimate_rank"], ed_next.n)]
        row += [cell(r[mcol], r[f"{mcol}_rank"], ed_next.n)]
        lines.append(row)
    widths = [max(len(h), *(len(x[i]) for x in lines)) for i, h in enumerate(headers)]
    print(
        "  ".join(
            h.ljust(w) if i == 0 else h.rjust(w)
            for i, (h, w) in enumerate(zip(headers, widths, strict=True))
        )
    )
    for row in lines:
        print(
            "  ".join(
                c.ljust(w) if i == 0 else c.rjust(w)
                for i, (c, w) in enumerate(zip(row, widths, strict=True))
            )
        )
    first = df[df["level"] == "pii"].iloc[0]
    prov = [PROVENANCE_VI[first[f"{c}_provenance"]] for c in parts]
    print(
        "Nguồn (PII): "
        + ", ".join(f"{n}: {p}" for n, p in zip(names, prov, strict=True))
        + f"; ước tính từ các phần: {PROVENANCE_VI['estimate_from_parts']}"
        + f"; {ed_next.year}: {PROVENANCE_VI[first[f'{mcol}_provenance']]}"
    )
    counts = pd.Series([c.weight_used or c.rule for c in est.rules.values() if c.comparable])
    print(
        "Quy tắc gộp (data/sources/merge_rules.csv): "
        + ", ".join(
            f"{WEIGHT_VI.get(k, k)}: {v} chỉ số"
            for k, v in counts.value_counts().sort_index().items()
        )
    )
    if est.not_comparable:
        print(
            "Không so sánh được (chỉ số khác giữa hai năm, bỏ qua trong ước tính): "
            + ", ".join(est.not_comparable)
        )
    if est.population_missing:
        missing = ", ".join(ed_prev.name(p) for p in est.population_missing)
        rest = (
            "các phần có trọng số bằng nhau"
            if len(est.population_missing) == len(est.parts)
            else "dùng trung bình dân số của các phần còn lại"
        )
        print(f"Dân số: units.csv không có dân số của {missing}; {rest}.")
    print(
        "Hạng của ước tính: trong số "
        f"{ed_next.n} địa phương {ed_next.year}, các địa phương khác giữ giá trị năm {ed_next.year}."
    )
    return 0
