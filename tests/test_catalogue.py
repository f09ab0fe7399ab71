"""The gettext catalogues are complete and the code holds no sentences of its own.

Every message id in the code (found by the project's Babel extractor, babel.cfg) must be in the
Vietnamese and the English catalogue, translated and not fuzzy, with the same named
placeholders in both languages; the template (locales/messages.pot) must list exactly those ids
(`bash scripts/catalogue.sh extract` regenerates it). No Python file under model/, ui/, pages/
may hold a vi/en dictionary of sentences.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from model import i18n

ROOT = Path(__file__).resolve().parents[1]


def _extracted() -> set[str]:
    with (ROOT / "babel.cfg").open(encoding="utf-8") as fh:
        method_map, options_map = parse_mapping_cfg(fh)
    return {m[2] for m in extract_from_dir(str(ROOT), method_map, options_map) if m[2]}


CODE_IDS = _extracted()


def _entries(lang: str):
    out = {}
    for path in i18n.po_files(lang):
        with path.open("rb") as fh:
            for entry in read_po(fh, locale=lang):
                if entry.id:
                    key = entry.id[0] if isinstance(entry.id, tuple | list) else entry.id
                    assert key not in out, f"{key} twice in the {lang} catalogue"
                    out[key] = entry
    return out


def test_extraction_finds_the_code_ids():
    assert len(CODE_IDS) > 500
    assert "scenario.saved_ok" in CODE_IDS


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_catalogue_complete(lang):
    entries = _entries(lang)
    missing = sorted(CODE_IDS - set(entries))
    assert not missing, f"missing in {lang}: {missing[:20]}"
    empty = sorted(
        k
        for k, e in entries.items()
        if not e.string or (isinstance(e.string, tuple) and not all(e.string))
    )
    assert not empty, f"untranslated in {lang}: {empty[:20]}"
    fuzzy = sorted(k for k, e in entries.items() if e.fuzzy)
    assert not fuzzy, f"fuzzy in {lang}: {fuzzy[:20]}"
    unused = sorted(set(entries) - CODE_IDS)
    assert not unused, f"in the {lang} catalogue but not in the code: {unused[:20]}"


def _fields(entry) -> set[str]:
    texts = entry.string if isinstance(entry.string, tuple) else (entry.string,)
    return set().union(*(i18n.placeholders(t) for t in texts))


def test_placeholders_agree():
    vi, en = _entries("vi"), _entries("en")
    wrong = [k for k in vi if k in en and _fields(vi[k]) != _fields(en[k])]
    assert not wrong, wrong[:20]


def test_plural_forms():
    """English plural entries have two forms, Vietnamese ones one."""
    for lang, n in (("vi", 1), ("en", 2)):
        for key, e in _entries(lang).items():
            if e.pluralizable:
                assert len(e.string) == n, (lang, key)


def test_template_up_to_date():
    with (ROOT / "locales" / "messages.pot").open("rb") as fh:
        template = {e.id for e in read_po(fh) if e.id}
    assert template == CODE_IDS, (
        "locales/messages.pot is stale: run `bash scripts/catalogue.sh extract`; "
        f"differs by {sorted(template ^ CODE_IDS)[:10]}"
    )


def _sentence_dicts(path: Path) -> list[int]:
    """Lines of dict literals keyed by both 'vi' and 'en' (either way round) holding sentences."""
    hits = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Dict):
            continue
        keys = {k.value for k in node.keys if isinstance(k, ast.Constant)}
        if {"vi", "en"} <= keys:
            values = [v for v in node.values if isinstance(v, ast.Dict | ast.Constant)]
            if any(isinstance(v, ast.Dict) for v in values) or any(
                isinstance(v, ast.Constant)
                and isinstance(v.value, str)
                and len(v.value.split()) >= 3
                for v in values
            ):
                hits.append(node.lineno)
    return hits


# Modules whose sentences are still being moved into the catalogues (emptied step by step).
PENDING: set[str] = set()


def test_no_sentence_dictionaries_in_code():
    files = [p for d in ("model", "ui", "pages") for p in (ROOT / d).rglob("*.py")]
    found = {str(p.relative_to(ROOT)): lines for p in files if (lines := _sentence_dicts(p))}
    assert set(found) <= PENDING, found


def test_render_languages_and_numbers():
    err = i18n.LocalizedError("common.err_lang", lang="fr", valid="vi, en")
    assert "fr" in err.render("vi") and err.render("vi") != err.render("en")
    assert str(err) == err.render("en")
    assert i18n._float(46.51, "vi") == "46,51" and i18n._float(46.51, "en") == "46.51"
    assert i18n._float(1e20, "en") == "1e+20" and i18n._float(2.5e30, "vi") == "2,5e+30"


def test_strict_mode_refuses_unknown_ids(monkeypatch):
    monkeypatch.setenv("PII_I18N_STRICT", "1")
    with pytest.raises(KeyError):
        i18n.gettext("vi", "common.no_such_sentence")
