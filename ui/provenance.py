"""Where the numbers on screen come from: provenance counts of a unit's cells, the badges and
notes under the Overview's big numbers, its provenance box, and the estimate ranges of
estimated values (model.estimates.quality.intervals: None / NaN where the value is published).

The claims come from the cells themselves (model.index.provenance): an import can make a unit's
numbers all official, so no screen assumes they are estimates.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping

from model.index.dataset import Edition
from model.index.framework import PILLARS
from model.index.provenance import all_official
from model.index.provenance import composite as prov_of
from ui.i18n import _, num
from ui.widgets import badge_md, provenance_box

KINDS = ("official", "published", "statistics", "reconstructed")
RANGE_DECIMALS = 1  # an estimate is known to a few points: one decimal at its ends


def _missing(x: object) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


DASH, GLUED_DASH = "–", "\u2060–\u2060"  # word joiners: a range in running text never breaks


def span(
    low: float | None, high: float | None, decimals: int = RANGE_DECIMALS, glue: bool = False
) -> str:
    """An estimate's range, "29,4–40,3"; "" where there is none (a published value). `glue`
    for running text (captions, notes), where a line must not break at the dash."""
    if _missing(low) or _missing(high):
        return ""
    dash = GLUED_DASH if glue else DASH
    # At the library's JSON precision first (model.estimates.quality.intervals), so that a table's 44.9499999…
    # and a profile's 44.95 read the same.
    low, high = round(float(low), 4), round(float(high), 4)
    return f"{num(low, decimals)}{dash}{num(high, decimals)}"


def rank_span(best: float | None, worst: float | None, glue: bool = False) -> str:
    """An estimated rank's range, "17–53" (one number when both ends agree); "" if published."""
    if _missing(best) or _missing(worst):
        return ""
    best, worst = int(best), int(worst)
    return str(best) if best == worst else f"{best}{GLUED_DASH if glue else DASH}{worst}"


def with_interval_help(text: str, shown: bool) -> str:
    """A tooltip, plus where the estimate range comes from when one is shown."""
    return f"{text}\n\n{_('common.interval_help')}" if shown else text


def range_note(profile: Mapping, key: str = "pii") -> str:
    """A line under the PII's (or the "input" or "output" sub-index's) metric with its
    estimate range ("" when published)."""
    text = span(profile.get(f"{key}_low"), profile.get(f"{key}_high"))
    label = _("overview.interval_pii")
    return f"  \n{label}  \n**{text}**" if text else ""


def derived_note(estimated: bool) -> str:
    """Under a number computed from others ("= output / input"): marked an estimate as soon as
    one of its parts is."""
    text = _("overview.derived")
    return f"{badge_md('reconstructed')}  \n{text}" if estimated else text


def rank_range_note(profile: Mapping) -> str:
    """A line under the rank metric with its estimated range ("" when published)."""
    text = rank_span(profile.get("rank_low"), profile.get("rank_high"))
    label = _("overview.interval_rank")
    return f"  \n{label}  \n**{text}**" if text else ""


def pillar_spans(profile: Mapping) -> list[str]:
    """Each pillar's estimate range in PILLARS order ("" for a published pillar)."""
    lows, highs = profile.get("pillars_low") or {}, profile.get("pillars_high") or {}
    return [span(lows.get(p), highs.get(p), glue=True) for p in PILLARS]  # a static table


def pillar_half_width(profile: Mapping) -> float | None:
    """The widest distance from an estimated pillar to an end of its range (None: none)."""
    lows, highs = profile.get("pillars_low") or {}, profile.get("pillars_high") or {}
    gaps = [
        max(highs[p] - v, v - lows[p])
        for p, v in profile["pillars"].items()
        if not _missing(lows.get(p)) and not _missing(highs.get(p))
    ]
    return max(gaps) if gaps else None


def cell_counts(ed: Edition, unit: str) -> dict[str, int]:
    """How many of the unit's indicator cells are official, published and reconstructed."""
    row = ed.provenance[ed.unit_index(unit)]
    return {k: int((row == k).sum()) for k in KINDS}


def cells_line(ed: Edition, unit: str) -> str:
    """A badge and what a computed figure of the unit rests on: its indicators' provenance
    (the scenario's and the plan's numbers are computed from all 52)."""
    kinds = cell_counts(ed, unit)
    badge = badge_md("reconstructed" if kinds["reconstructed"] else "official")
    return f"{badge} {_('scenario.prov_scenario', **kinds)}" + _statistics_sentence(
        kinds["statistics"]
    )


def unit_all_official(ed: Edition, unit: str) -> bool:
    """Every indicator of the unit is official (an imported profile)."""
    return cell_counts(ed, unit)["official"] == ed.framework.m


def value_note(
    ed: Edition, unit: str, facts: Mapping[str, dict], key: str, shown: str, value: float
) -> str:
    """Under a metric: what the number rests on, with the published value beside it."""
    level, _sep, item = key.partition(":")
    fact = facts.get(key)
    pub = fact["value"] if fact else None
    kind = prov_of(ed, unit, level, item, value, pub)
    if pub is None:
        return badge_md(kind)
    pub_txt = num(pub, 2)
    agree = f" · ✓ {_('overview.matches')}" if pub_txt == shown else f" · ≠ {shown}"
    said = _(
        "overview.pub_value_derived" if fact.get("derived") else "overview.pub_value", value=pub_txt
    )
    return f"{badge_md(kind)}  \n{said}{agree}"


def rank_note(ed: Edition, facts: Mapping[str, dict], rank: int) -> str:
    """Under the rank: published, reconstructed, or official when the whole edition is."""
    fact = facts.get("pii")
    kind = "official" if all_official(ed) else None
    if fact and fact["rank"] is not None:
        same = fact["rank"] == rank
        agree = f" · ✓ {_('overview.matches')}" if same else f" · ≠ {rank}"
        kind = kind or ("published" if same else "reconstructed")
        return f"{badge_md(kind)}  \n{_('overview.pub_rank', rank=fact['rank'])}{agree}"
    return badge_md(kind or "reconstructed")


def _published_items(facts: Mapping[str, dict], n: int) -> list[str]:
    """The published figures of the unit, as short phrases."""
    items = []
    if (pf := facts.get("pii")) is not None:
        if pf["value"] is not None:
            items.append(_("overview.item_pii", value=num(pf["value"], 2)))
        if pf["rank"] is not None:
            items.append(_("overview.item_rank", rank=pf["rank"], n=n))
    for key in ("input", "output"):
        if key in facts and facts[key]["value"] is not None:
            item = "overview.item_input" if key == "input" else "overview.item_output"
            items.append(_(item, value=num(facts[key]["value"], 2)))
    for pil in PILLARS:
        if (fact := facts.get(f"pillar:{pil}")) is not None:
            if fact["value"] is not None:
                items.append(_("overview.item_pillar", pillar=pil, value=num(fact["value"], 2)))
            else:
                items.append(_("overview.item_pillar_rank", pillar=pil, rank=fact["rank"]))
    return items


def _differs(profile: Mapping, facts: Mapping[str, dict]) -> list[str]:
    """Published figures the data no longer give (imported official values contradict them)."""
    shown = {"pii": profile["pii"], "input": profile["input"], "output": profile["output"]}
    shown |= {f"pillar:{k}": v for k, v in profile["pillars"].items()}
    labels = {"pii": "PII", "input": _("common.input"), "output": _("common.output")}
    return [
        f"{labels.get(key) or _('common.pillar') + ' ' + key.partition(':')[2]} "
        f"({num(shown[key], 2)} ≠ {num(fact['value'], 2)})"
        for key, fact in facts.items()
        if fact["value"] is not None and key in shown and abs(shown[key] - fact["value"]) > 0.005
    ]


def overview_box(profile: Mapping, facts: Mapping[str, dict], name: str, year: int) -> None:
    """The Overview's note: which of the unit's figures are published, and what its indicator
    values rest on."""
    items = _published_items(facts, profile["n_units"])
    differs = _differs(profile, facts)
    if differs:
        claim = _(
            "overview.prov_differs",
            unit=name,
            year=year,
            items=", ".join(items),
            differs="; ".join(differs),
        )
    elif items:
        claim = _("overview.prov_pub", unit=name, year=year, items=", ".join(items))
    else:
        claim = _("overview.prov_none", unit=name, year=year)
    counts = Counter(ind["provenance"] for ind in profile["indicators"])
    provenance_box(
        claim
        + _interval_sentence(profile, name)
        + "\n\n"
        + _(
            "overview.prov_ind",
            m=len(profile["indicators"]),
            unit=name,
            official=counts.get("official", 0),
            published=counts.get("published", 0),
            reconstructed=counts.get("reconstructed", 0),
        )
        + _statistics_sentence(counts.get("statistics", 0)),
        title=_("overview.prov_title"),
        key="overview_provenance",
    )


def _interval_sentence(profile: Mapping, name: str) -> str:
    """The unit's estimate ranges and where they come from ("" when PII and rank are published)."""
    pii = span(profile.get("pii_low"), profile.get("pii_high"), glue=True)
    rank = rank_span(profile.get("rank_low"), profile.get("rank_high"), glue=True)
    items = [_("overview.prov_interval_pii", range=pii)] if pii else []
    if rank:
        items.append(_("overview.prov_interval_rank", range=rank, n=profile["n_units"]))
    if not items:
        return ""
    text = _("overview.prov_interval", unit=name, items=", ".join(items))
    return f"\n\n{text} {_('common.interval_help')}"


def _statistics_sentence(n: int) -> str:
    """How many of the unit's indicators are computed from official statistics ("" if none)."""
    return f" {badge_md('statistics')} {_('statistics.prov_count', n=n)}" if n else ""


def is_statistics(ed: Edition, unit: str, code: str) -> bool:
    """Whether the unit's value of `code` is computed from official statistics."""
    i = ed.framework.index.get(code)
    return i is not None and ed.provenance[ed.unit_index(unit), i] == "statistics"


def statistics_mark(ed: Edition, unit: str, code: str) -> str:
    """ " · ∑ Computed from official statistics" after an indicator's label (a slider's, a plan
    row's) when the unit's value of `code` is one; "" otherwise. Plain text: a slider's label
    is also its accessible name."""
    if not is_statistics(ed, unit, code):
        return ""
    return f" · ∑ {_('statistics.prov_statistics')}"
