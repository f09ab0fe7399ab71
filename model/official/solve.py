"""Re-solving an edition around official values: the import's cells (and earlier imports'
still in force) become indicator facts, the other units are estimated again where a published
fact would otherwise break, and the fidelity report says what still holds.

Pure: the caller (model.official.versions) gives the current state of the edition and the provenance of
its goalposts; nothing is read from or written to the user store here.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np
import pandas as pd

from model import i18n, paths
from model.index.dataset import Edition
from model.index.engine import denormalise, normalise

OFFICIAL = "official"


@dataclass(frozen=True, eq=False)
class Solved:
    edition: Edition
    goalposts: pd.DataFrame  # code, min_raw, max_raw, provenance
    fidelity: pd.DataFrame  # model.estimates.quality.fidelity rows for this edition
    method: str  # "official-cells-only" (others kept) | "re-solved" | "complete" (all official)
    notes: tuple[i18n.Message, ...]

    @property
    def failed(self) -> pd.DataFrame:
        f = self.fidelity
        return f[f["use_as_constraint"] & ~f["ok"]]


def _official_cells(current: Edition, seeded: set[tuple[str, str]]) -> pd.DataFrame:
    """Official cells of the current state that came from imports (not from data/sources)."""
    u, c = np.nonzero(current.provenance == OFFICIAL)
    rows = pd.DataFrame(
        {
            "unit": [current.slugs[k] for k in u],
            "code": [current.framework.codes[k] for k in c],
            "raw": current.raw[u, c],
            "score": current.scores[u, c],
        }
    )
    keep = [(a, b) not in seeded for a, b in zip(rows["unit"], rows["code"], strict=True)]
    return rows.loc[np.array(keep, dtype=bool)]


def _facts_rows(year: int, cells: pd.DataFrame, label: str) -> pd.DataFrame:
    """Official cells as indicator facts: raw first, then the exact score (which wins)."""
    out = []
    for kind in ("raw", "score"):
        given = cells[cells[kind].notna()]
        out.append(
            pd.DataFrame(
                {
                    "edition": year,
                    "unit": given["unit"].to_numpy(),
                    "code": given["code"].to_numpy(),
                    "kind": kind,
                    "value": given[kind].to_numpy(float),
                    "status": OFFICIAL,
                    "use_as_constraint": "yes",
                    "note": f"official value imported from {label}",
                    "source": label,
                }
            )
        )
    return pd.concat(out, ignore_index=True)


def _goalposts_with(
    s_goalposts: pd.DataFrame, year: int, new: pd.DataFrame, label: str
) -> pd.DataFrame:
    """The sources' goalposts with an edition's official ones in place."""
    gp = s_goalposts.copy()
    gp["provenance"] = gp["provenance"].astype(object)
    gp["source"] = gp["source"].astype(object)
    for _, r in new.iterrows():
        m = (gp["edition"] == year) & (gp["code"] == r["code"])
        gp.loc[m, "min_raw"] = float(r["min_raw"])
        gp.loc[m, "max_raw"] = float(r["max_raw"])
        gp.loc[m, "provenance"] = r.get("provenance", OFFICIAL) or OFFICIAL
        gp.loc[m, "source"] = label
    return gp


def solve(parsed, current: Edition, goalpost_prov: dict[str, str]) -> Solved:
    """The edition re-solved so that the imported official values hold exactly.

    The official cells (this import's and earlier imports' still in force) become indicator
    facts; the edition's other units are reconstructed again from the published facts (the
    same solver as `python -m model build`), so published totals still hold where they can,
    and the fidelity report names those that no longer can. When every cell is official,
    nothing is estimated. `goalpost_prov`: provenance of the edition's current goalposts
    (code -> provenance; those an earlier import set are "official" and stay).
    """
    from model.estimates.build import code_digest, editions_from
    from model.estimates.quality.fidelity import check_edition
    from model.estimates.sources import load_sources

    year = current.year
    label = f"import {parsed.file_name} ({parsed.checksum[:12]})"
    s = load_sources(paths.sources_dir(), code_digest())
    seed = s.facts[(s.facts["edition"] == year) & (s.facts["status"] == OFFICIAL)]
    seeded = set(zip(seed["unit"], seed["code"], strict=True))

    new = parsed.values[["unit", "code", "raw", "score"]]
    earlier = _official_cells(current, seeded)
    new_keys = set(zip(new["unit"], new["code"], strict=True))
    earlier = earlier.loc[
        np.array(
            [(a, b) not in new_keys for a, b in zip(earlier["unit"], earlier["code"], strict=True)],
            dtype=bool,
        )
    ]
    cells = pd.concat([earlier, new], ignore_index=True)
    keys = set(zip(cells["unit"], cells["code"], strict=True))

    # Goalposts: what the import states, else (a complete edition) the range of its raw
    # values — the PII's min-max normalisation across provinces — else the current ones.
    gp_new = parsed.goalposts
    if gp_new is None or len(gp_new) == 0:
        gp_new = _observed_goalposts(current, new)
    carried = _carried_goalposts(current, goalpost_prov)
    if len(carried):
        carried = carried[~carried["code"].isin(set(gp_new["code"]))]
        gp_new = pd.concat([carried, gp_new], ignore_index=True)
    gp_new = gp_new.assign(provenance=gp_new.get("provenance", OFFICIAL)).fillna(
        {"provenance": OFFICIAL}
    )

    # Facts: official values supersede every fact about the same cell.
    old = s.facts
    drop = [
        (e == year) and (u, c) in keys
        for e, u, c in zip(old["edition"], old["unit"], old["code"], strict=True)
    ]
    facts = pd.concat(
        [old.loc[~np.array(drop, dtype=bool)], _facts_rows(year, cells, label)], ignore_index=True
    )
    goalposts = _goalposts_with(s.goalposts, year, gp_new, label)
    s2 = dataclasses.replace(s, facts=facts, goalposts=goalposts)

    fw = current.framework
    gp_year = goalposts[goalposts["edition"] == year].set_index("code")
    lo = np.array([float(gp_year.at[c, "min_raw"]) for c in fw.codes])
    hi = np.array([float(gp_year.at[c, "max_raw"]) for c in fw.codes])
    notes: list[i18n.Message] = []

    def failures(e: Edition) -> tuple[pd.DataFrame, int]:
        f = check_edition(e, s2.published, s2.facts)
        return f, int((f["use_as_constraint"] & ~f["ok"]).sum())

    if len(keys) == current.n * fw.m:
        ed, method = _cells_only(current, cells, lo, hi), "complete"  # nothing left to estimate
    else:
        # The official cells alone first: when every published fact still holds, the other
        # units keep their estimates (a re-solve would move them for nothing).
        ed, method = _cells_only(current, cells, lo, hi), "official-cells-only"
        _, missed = failures(ed)
        if missed:
            try:
                alt = editions_from(s2)[year]
            except Exception as exc:  # noqa: BLE001 - an infeasible solve: keep estimates, say why
                notes.append(i18n.msg("versions.note_not_resolved", reason=i18n.render(exc, "en")))
            else:
                _, alt_missed = failures(alt)
                if alt_missed < missed:
                    ed, method = alt, "re-solved"
                    notes.extend(getattr(alt, "notes", ()))
    notes.extend(_rank_notes(parsed, ed))
    fidelity, _ = failures(ed)
    gp_out = gp_year.reset_index()[["code", "min_raw", "max_raw", "provenance"]]
    return Solved(ed, gp_out, fidelity, method, tuple(notes))


def _observed_goalposts(current: Edition, new: pd.DataFrame) -> pd.DataFrame:
    """Goalposts of codes whose raw values the import gives for every unit: their range."""
    rows = []
    for code, g in new.groupby("code"):
        r = g["raw"].dropna()
        if g["unit"].nunique() == current.n and len(r) == current.n:
            rows.append({"code": code, "min_raw": float(r.min()), "max_raw": float(r.max())})
    return pd.DataFrame(rows, columns=["code", "min_raw", "max_raw"])


def _carried_goalposts(current: Edition, prov: dict[str, str]) -> pd.DataFrame:
    """Goalposts an earlier import set for this edition (they stay official)."""
    fw = current.framework
    rows = [
        {"code": c, "min_raw": current.lo[k], "max_raw": current.hi[k], "provenance": p}
        for k, c in enumerate(fw.codes)
        if (p := prov.get(c)) == OFFICIAL
    ]
    return pd.DataFrame(rows, columns=["code", "min_raw", "max_raw", "provenance"])


def _cells_only(current: Edition, cells: pd.DataFrame, lo: np.ndarray, hi: np.ndarray) -> Edition:
    """The official cells put in place; every other cell keeps its score (and its estimated
    raw value follows it under the goalposts lo/hi)."""
    fw = current.framework
    ui = cells["unit"].map(current._ix).to_numpy(int)
    ci = cells["code"].map(fw.index).to_numpy(int)
    d = fw.direction[ci]
    raw_in, score_in = cells["raw"].to_numpy(float), cells["score"].to_numpy(float)
    score = np.where(
        np.isnan(score_in), np.clip(normalise(raw_in, lo[ci], hi[ci], d), 0, 100), score_in
    )
    scores, raws, prov = current.scores.copy(), current.raw.copy(), current.provenance.copy()
    # Estimated raw values follow their scores under the (possibly new) goalposts.
    est = prov == "reconstructed"
    raws[est] = denormalise(scores, lo, hi, fw.direction)[est]
    scores[ui, ci] = score
    raws[ui, ci] = np.where(np.isnan(raw_in), denormalise(score, lo[ci], hi[ci], d), raw_in)
    prov[ui, ci] = OFFICIAL
    return dataclasses.replace(current, scores=scores, raw=raws, provenance=prov, lo=lo, hi=hi)


def _rank_notes(parsed, ed: Edition) -> list[i18n.Message]:
    """Indicator ranks printed in a profile that the solved edition does not reproduce."""
    ranks = getattr(parsed, "ranks", None)
    if ranks is None or len(ranks) == 0:
        return []
    out = []
    for _, r in ranks.iterrows():
        if pd.isna(r["rank"]):
            continue
        u, i = ed.unit_index(r["unit"]), ed.framework.index[r["code"]]
        col = np.round(ed.scores[:, i], 2)
        got = int((col > col[u]).sum()) + 1
        if got != int(r["rank"]):
            out.append(
                i18n.msg(
                    "versions.note_rank",
                    unit=r["unit"],
                    code=r["code"],
                    published=int(r["rank"]),
                    got=got,
                )
            )
    return out
