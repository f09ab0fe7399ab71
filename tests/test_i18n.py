"""Every label exists in Vietnamese and English: the shared catalogue and each page's own."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from ui.i18n import COMMON

FIELD = re.compile(r"\{(\w*)[^}]*\}")
PAGES = sorted((Path(__file__).resolve().parents[1] / "pages").glob("*.py"))


def test_common_catalogue():
    assert set(COMMON["vi"]) == set(COMMON["en"])


@pytest.mark.parametrize("path", PAGES, ids=[p.stem for p in PAGES])
def test_page_catalogue(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    cats = [  # the page's catalogue: `T = {...}` or `TEXT: dict[...] = {...}`
        ast.literal_eval(node.value)
        for node in tree.body
        if isinstance(node, ast.Assign | ast.AnnAssign)
        and getattr(node.targets[0] if isinstance(node, ast.Assign) else node.target, "id", "")
        in ("T", "TEXT")
    ]
    assert cats, f"{path.name} has no catalogue T"
    vi, en = cats[0]["vi"], cats[0]["en"]
    assert set(vi) == set(en), set(vi) ^ set(en)
    for key in vi:  # the same placeholders in both languages
        assert sorted(FIELD.findall(vi[key])) == sorted(FIELD.findall(en[key])), key
