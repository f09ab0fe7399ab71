"""Where the numbers on screen come from: provenance counts of a unit's cells, the badges and
notes under the Overview's big numbers, and its provenance box.

The claims come from the cells themselves (model.provenance): an import can make a unit's
numbers all official, so no screen assumes they are estimates.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

from model.dataset import Edition
from model.framework import PILLARS
from model.provenance import all_official
from model.provenance import composite as prov_of
from ui.i18n import _, num
from ui.widgets import badge_md, provenance_box

KINDS = ("official", "published", "reconstructed")


def cell_counts(ed: Edition, unit: str) -> dict[str, int]:
    """How many of the unit's indicator cells are official, published and reconstructed."""
    row = ed.provenance[ed.unit_index(unit)]
    return {k: int((row == k).sum()) for k in KINDS}


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
    return f"{badge_md(kind)}  \n{_('overview.pub_value', value=pub_txt)}{agree}"


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
        + "\n\n"
        + _(
            "overview.prov_ind",
            m=len(profile["indicators"]),
            unit=name,
            official=counts.get("official", 0),
            published=counts.get("published", 0),
            reconstructed=counts.get("reconstructed", 0),
        ),
        title=_("overview.prov_title"),
        key="overview_provenance",
    )
