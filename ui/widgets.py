"""Shared streamlit widgets: a big-number metric row, provenance badges, source links, a chart
with its table alternative, number formatting for tables in the reader's language, and
Vietnamese sorting and accent-free matching of names.

Generic on purpose: pages pass their own (already translated) text; the only labels looked up
here are the COMMON provenance labels (`prov_official`, `prov_published`, `prov_reconstructed`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlparse

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from pandas.io.formats.style import Styler

from ui.i18n import _, _n, num

# Provenance kinds, weakest claim last. Colours are streamlit's badge palette; each kind also
# has its own symbol so the label never relies on colour alone.
PROVENANCE: dict[str, tuple[str, str]] = {
    "official": ("green", "✔"),
    "published": ("blue", "●"),
    "statistics": ("violet", "∑"),  # computed from official statistics (NSO), issue 21
    "reconstructed": ("orange", "≈"),
}
TEXT_DARK = "#111827"
HIGHLIGHT = f"background-color: #ffe9a8; color: {TEXT_DARK}"


def prov_label(kind: str) -> str:
    """The reader's-language label of a provenance kind ("official" -> "Chính thức")."""
    labels = {
        "official": _("common.prov_official"),
        "published": _("common.prov_published"),
        "statistics": _("statistics.prov_statistics"),
        "reconstructed": _("common.prov_reconstructed"),
    }
    return labels.get(kind, kind)


def prov_text(kind: str) -> str:
    """Symbol + label, for table cells and plain text ("≈ Ước tính tái dựng")."""
    symbol = PROVENANCE.get(kind, ("gray", "?"))[1]
    return f"{symbol} {prov_label(kind)}"


# Streamlit's markdown (GFM) turns a bare "www.x", "http://x" or "a@b.c" into a live link
# after escapes are read, so escaping alone cannot stop it: an invisible word joiner (U+2060)
# splits each pattern instead (after "www", before "://", after "@"); the text reads as typed.
WORD_JOINER = "\u2060"
_AUTOLINK = re.compile(r"(?i)(?<=www)(?=\.)|(?<=[a-z0-9])(?=:/)|(?<=@)")
MD_SPECIAL = "\\`*_{}[]()<>#+-.!|~$:"
_ENTITY = re.compile(r"&(?=#?[0-9A-Za-z]+;)")  # "&amp;" would show as "&"
_UNDERLINE = re.compile(r"(?m)^( {0,3})=")  # a line of "=" under text makes a heading


@lru_cache(maxsize=4096)
def md_text(text: str) -> str:
    """User text (names, notes) for markdown: every markup character escaped and every
    autolink pattern split, so it shows as typed and can never format, link or inject
    anything (no emphasis, headings, lists, HTML, entities, Streamlit :colour[] or :icon:).
    Cached (pure): the Plan page escapes the same names 150 times a run."""
    text = _AUTOLINK.sub(WORD_JOINER, str(text))
    text = "".join("\\" + ch if ch in MD_SPECIAL else ch for ch in text)
    return _UNDERLINE.sub(r"\1\\=", _ENTITY.sub(r"\\&", text))


# ---- Vietnamese names: alphabetical order and matching without diacritics --------------------
# Python's sort puts "Bình Định" before "Bạc Liêu" (code points); Unicode's default collation
# treats ă, â, đ, ê, ô, ơ, ư as a, d, e, o, u with an accent. Vietnamese orders them as letters
# of their own, after their base letter, and tone marks only break ties (CLDR's "vi"
# collation). PyICU does this but is a large native dependency for 63 names, so a small key:
# letters by the Vietnamese alphabet first, then the tones, then case.
VI_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"  # f, j, w, z: loan words only
_LETTER_MARKS = {"\u0306", "\u0302", "\u031b"}  # breve, circumflex, horn: part of the letter
# Tone marks in CLDR's order: none, huyền (grave), hỏi (hook), ngã (tilde), sắc (acute), nặng.
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
_RANK = {ch: k + 11 for k, ch in enumerate(VI_ALPHABET)} | {str(d): d + 1 for d in range(10)}
_SEPARATOR = re.compile(r"[\W_]+")


def _letters(text: str) -> Iterable[tuple[str, int]]:
    """(letter, tone) for each letter of `text`, lower-case; anything else as (" ", 0)."""
    for ch in _SEPARATOR.sub(" ", unicodedata.normalize("NFC", text).lower()).strip():
        if ch == " ":
            yield " ", 0
            continue
        parts = unicodedata.normalize("NFD", ch)
        base = parts[0] + "".join(m for m in parts[1:] if m in _LETTER_MARKS)
        tone = next((_TONES[m] for m in parts[1:] if m in _TONES), 0)
        yield unicodedata.normalize("NFC", base), tone


@lru_cache(maxsize=4096)
def vi_sort_key(text: str) -> tuple:
    """A sort key in Vietnamese alphabetical order: "Bà Rịa", "Bạc Liêu", "Bắc Giang", "Bình
    Định"; "An" < "Ăn" < "Ân"; "Ba" < "Bà" < "Bả" < "Bã" < "Bá" < "Bạ" (tones break ties)."""
    pairs = list(_letters(text))
    primary = tuple(0 if ch == " " else _RANK.get(ch, 100 + ord(ch[0])) for ch, _t in pairs)
    return primary, tuple(t for _c, t in pairs), text


def fold(text: str) -> str:
    """Lower-case, without diacritics (đ as d), separators as single spaces: "Đồng Nai" ->
    "dong nai", so a search typed without accents finds the name."""
    parts = unicodedata.normalize("NFD", str(text).lower().replace("đ", "d"))
    plain = "".join(ch for ch in parts if not unicodedata.combining(ch))
    return _SEPARATOR.sub(" ", plain).strip()


def matches(query: str, *names: str) -> bool:
    """Every word of `query` starts a word of one of `names`, accents and case ignored ("dong
    nai" finds "Đồng Nai", "ha" finds "Hà Nội" but not "Thái Bình")."""
    words = fold(query).split()
    if not words:
        return False
    for name in names:
        have = fold(name).split()
        if all(any(w.startswith(q) for w in have) for q in words):
            return True
    return False


def _md_escape(text: str) -> str:
    return str(text).replace("[", "(").replace("]", ")")


def badge_md(kind: str, text: str | None = None) -> str:
    """Markdown for an inline provenance badge (usable inside st.markdown, metric notes...)."""
    colour, symbol = PROVENANCE.get(kind, ("gray", "?"))
    return f":{colour}-badge[{symbol} {_md_escape(text or prov_label(kind))}]"


def tag_md(text: str, colour: str = "gray") -> str:
    """Markdown for a neutral inline tag (e.g. "vị trí tạm đặt")."""
    return f":{colour}-badge[{_md_escape(text)}]"


def provenance_legend(kinds: Iterable[str] = tuple(PROVENANCE), title: str | None = None) -> None:
    """A one-line legend of provenance labels."""
    badges = " ".join(badge_md(k) for k in kinds)
    st.markdown(f"{title} {badges}" if title else badges)


def provenance_box(
    message: str,
    *,
    title: str | None = None,
    kinds: Iterable[str] = tuple(PROVENANCE),
    details: str | None = None,
    key: str | None = None,
) -> None:
    """A bordered note saying where the numbers on screen come from.

    message: markdown (the claim that matters: which numbers are published, which estimated).
    details: optional markdown lines shown under it in smaller type.
    """
    with st.container(border=True, key=key):
        provenance_legend(kinds, title=f"**{title}**" if title else None)
        st.markdown(message)
        if details:
            st.caption(details)


def source_links(urls: Sequence[str], label: str | None = None, limit: int = 3) -> str:
    """Markdown links named by their site: "Nguồn: [vnexpress.net](…) · [congthuong.vn](…)"."""
    links = []
    for url in list(urls)[:limit]:
        host = urlparse(url).netloc.removeprefix("www.") or url
        links.append(f"[{host}]({url})")
    if not links:
        return ""
    text = " · ".join(links)
    return f"{label}: {text}" if label else text


@dataclass(frozen=True)
class Metric:
    """One big number: label, formatted value, optional tooltip and a markdown note under it."""

    label: str
    value: str
    help: str | None = None
    note: str | None = None


def big_metrics(items: Sequence[Metric], *, key: str = "big_metrics", size: str = "3rem") -> None:
    """A row of large numbers, readable from the back of a meeting room.

    Uses st.metric (so tests and screen readers see label and value) inside a keyed container
    whose CSS enlarges only these metrics.
    """
    st.html(
        f"""<style>
        .st-key-{key} [data-testid="stMetricValue"],
        .st-key-{key} [data-testid="stMetricValue"] p {{ font-size: {size}; font-weight: 700;
            line-height: 1.15; }}
        .st-key-{key} [data-testid="stMetricLabel"] p {{ font-size: 1.1rem; font-weight: 600; }}
        </style>"""
    )
    with st.container(key=key):
        cols = st.columns(len(items), gap="small")
        for col, m in zip(cols, items, strict=True):
            with col, st.container(border=True, height="stretch"):
                st.metric(m.label, m.value, help=m.help)
                if m.note:
                    st.markdown(m.note)


def number_styler(
    df: pd.DataFrame,
    decimals: Mapping[str, int] | None = None,
    *,
    signed: Iterable[str] = (),
    highlight: pd.Series | Sequence[bool] | None = None,
) -> Styler:
    """Numbers shown in the reader's language (46,51) while the column stays numeric, so
    sorting in st.dataframe still works; optionally highlight rows (e.g. the selected unit).
    """
    decimals = dict(decimals or {})
    signed = set(signed)
    fmt = {
        col: (lambda x, d=d, s=col in signed: num(x, d, sign=s))
        for col, d in decimals.items()
        if col in df.columns
    }
    styler = df.style.format(fmt, na_rep="–")
    if highlight is not None:
        mask = pd.Series(list(highlight), index=df.index)
        styler = styler.apply(lambda row: [HIGHLIGHT if mask[row.name] else ""] * len(row), axis=1)
    return styler


def chart(
    fig: go.Figure,
    *,
    alt: str,
    table: pd.DataFrame | Styler | None = None,
    table_label: str | None = None,
    key: str | None = None,
) -> None:
    """A plotly chart with a text alternative (alt) and, when given, its table in an expander."""
    st.plotly_chart(
        fig,
        width="stretch",
        alt=alt,
        key=key,
        config={"displayModeBar": False, "scrollZoom": False, "responsive": True},
    )
    if table is not None:
        with st.expander(table_label or "Table"):
            small_table(table)


def small_table(table: pd.DataFrame | Styler) -> None:
    """A short static table: every row and column visible, text wraps, cells may hold
    markdown (e.g. `badge_md`). For long or searchable tables use st.dataframe."""
    st.table(table, hide_index=True, border="horizontal")


def report_downloads(rep, places, *, prefix: str, labels: tuple[str, str], **style: object) -> None:
    """The Excel and HTML report buttons (built only when clicked), one in each of `places`."""
    from model import report

    for place, fmt, label, icon, data in (
        (places[0], "xlsx", labels[0], ":material/table_view:", lambda: report.to_xlsx(rep)),
        (
            places[1],
            "html",
            labels[1],
            ":material/description:",
            lambda: report.to_html(rep).encode("utf-8"),
        ),
    ):
        place.download_button(
            label,
            data,
            file_name=report.file_name(rep, fmt),
            mime=report.MIME[fmt],
            on_click="ignore",
            key=f"{prefix}_{fmt}",
            icon=icon,
            **style,
        )


def places(gained: int, low: int | None = None, high: int | None = None) -> str:
    """Places gained, as every screen says them: "▲ tăng 3 bậc", "▼ giảm 2 bậc", "giữ nguyên
    hạng" (English with its plural: "▲ up 1 place"). With `low` and `high` (the fewest and
    most places when estimated neighbours are passed, model/estimates/quality/marks.py) that differ:
    the range and why ("≈ +2 to +7 places: passes provinces whose scores are estimated")."""
    if low is not None and high is not None and low != high:
        return _(
            "reconstruct.places_range",
            low=num(low, 0, sign=bool(low)),
            high=num(high, 0, sign=bool(high)),
        )
    if gained > 0:
        return _n("scenario.rank_up", gained, n=gained)
    if gained < 0:
        return _n("scenario.rank_down", -gained, n=-gained)
    return _("scenario.rank_same")
