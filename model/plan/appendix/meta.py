"""What a plan says of itself in its files: its name, unit, edition, target year and status.

- in the appendix (.docx; `store_meta`, `stored_meta`): the name and author as the document's
  properties, the rest and the exact values behind the printed numbers in a custom XML part
  (JSON; Word and LibreOffice keep it when they save), so the tool's own export reads back to
  the same plan;
- in a plan file's full layout (CSV, XLSX; model.plan.files): label,value rows above the table,
  labels in the reader's language (META_IDS; `meta_rows` writes them), read back in either
  language or as the English keys (`label_rows`, `aliases`).
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ... import i18n
from ..core import Plan

if TYPE_CHECKING:
    from model.index.dataset import Edition

META_TAG = "piiPlan"  # a custom XML part: the plan's unit, years, exact values (JSON)
_META = re.compile(rf"<{META_TAG}>(.*?)</{META_TAG}>", re.DOTALL)
# The full layout's labels in the reader's language (literal ids, for the extractor).
META_IDS = {
    "name": "plan.file_meta_name",
    "unit": "plan.file_meta_unit",
    "unit_name": "plan.file_meta_unit_name",
    "edition": "plan.file_meta_edition",
    "target_year": "plan.file_meta_target_year",
    "status": "plan.file_meta_status",
}
STATUS_IDS = {"draft": "plan.status_draft", "adopted": "plan.status_adopted"}


# ---- in the appendix ------------------------------------------------------------------------


def store_meta(doc, plan: Plan, lang: str, exact: Mapping[str, list[float | str]]) -> None:
    """The plan's name and author as the document's; its unit, years, status and the exact
    values behind the printed numbers in a custom XML part (a document property holds 255
    characters at most; Word keeps custom XML parts)."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    props = doc.core_properties
    props.title = plan.name[:255]
    props.author = plan.author[:255]
    props.subject = "PII"
    props.language = "vi-VN" if lang == "vi" else "en-GB"
    meta = {
        "unit": plan.unit,
        "edition": plan.edition,
        "target_year": plan.target_year,
        "milestones": list(plan.milestones),
        "status": plan.status,
        "values": exact,
    }
    text = html.escape(json.dumps(meta, ensure_ascii=False), quote=False)
    blob = f'<?xml version="1.0" encoding="UTF-8"?>\n<{META_TAG}>{text}</{META_TAG}>'
    package = doc.part.package
    name = PackURI(package.next_partname("/customXml/item%d.xml"))
    doc.part.relate_to(Part(name, "application/xml", blob.encode("utf-8"), package), RT.CUSTOM_XML)


def stored_meta(doc) -> dict[str, Any]:
    """What the tool's own export keeps of the plan (empty for any other document)."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    meta: Any = None
    for rel in doc.part.rels.values():
        if rel.reltype != RT.CUSTOM_XML or rel.is_external:
            continue
        blob = rel.target_part.blob or b""
        m = _META.search(blob[:2_000_000].decode("utf-8", "replace"))
        if m:
            try:
                meta = json.loads(html.unescape(m.group(1)))
            except ValueError:
                meta = None
            break
    if not isinstance(meta, dict):
        return {}
    props = doc.core_properties
    return {**meta, "name": props.title or "", "author": props.author or ""}


# ---- in a plan file's full layout -----------------------------------------------------------


def meta_rows(plan: Plan, ed: Edition | None = None, lang: str = "vi") -> list[list[object]]:
    """The full layout's label,value rows: what the plan is (its unit also by name)."""
    unit_name = ed.name(plan.unit, lang) if ed is not None and plan.unit in ed.slugs else ""
    values = {
        "name": plan.name,
        "unit": plan.unit,
        "unit_name": unit_name,
        "edition": plan.edition,
        "target_year": plan.target_year,
        "status": i18n.gettext(lang, STATUS_IDS[plan.status]),
    }
    return [[i18n.gettext(lang, META_IDS[k]), v] for k, v in values.items()]


def aliases(ids: dict[str, str]) -> dict[str, str]:
    """Label (either language, lower case) -> key; each key is its own label too."""
    out = {k: k for k in ids}
    for lang in i18n.LANGS:
        out |= {i18n.gettext(lang, i).strip().lower(): k for k, i in ids.items()}
    return out


def label_rows(records: list[list[str]]) -> tuple[dict[str, str], int]:
    """The full layout's label,value rows at the top of a file, and the index of the table's
    header (0 when the file has no such rows)."""
    labels = aliases(META_IDS)
    meta: dict[str, str] = {}
    k = 0
    while k < len(records):
        rec = records[k]
        if not any(c.strip() for c in rec):
            if not meta:
                break
            k += 1
            continue
        key = labels.get(rec[0].strip().lower())
        if key is None:
            break
        meta[key] = rec[1].strip() if len(rec) > 1 else ""
        k += 1
    return meta, k
