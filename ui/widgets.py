"""Shared streamlit widgets: a big-number metric row, provenance badges, source links, a chart
with its table alternative, and number formatting for tables in the reader's language.

Generic on purpose: pages pass their own (already translated) text; the only labels looked up
here are the COMMON provenance labels (`prov_official`, `prov_published`, `prov_reconstructed`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import urlparse

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from pandas.io.formats.style import Styler

from ui.i18n import _, num

# Provenance kinds, weakest claim last. Colours are streamlit's badge palette; each kind also
# has its own symbol so the label never relies on colour alone.
PROVENANCE: dict[str, tuple[str, str]] = {
    "official": ("green", "✔"),
    "published": ("blue", "●"),
    "reconstructed": ("orange", "≈"),
}
TEXT_DARK = "#111827"
HIGHLIGHT = f"background-color: #ffe9a8; color: {TEXT_DARK}"


def prov_label(kind: str) -> str:
    """The reader's-language label of a provenance kind ("official" -> "Chính thức")."""
    labels = {
        "official": _("common.prov_official"),
        "published": _("common.prov_published"),
        "reconstructed": _("common.prov_reconstructed"),
    }
    return labels.get(kind, kind)


def prov_text(kind: str) -> str:
    """Symbol + label, for table cells and plain text ("≈ Ước tính tái dựng")."""
    symbol = PROVENANCE.get(kind, ("gray", "?"))[1]
    return f"{symbol} {prov_label(kind)}"


def md_text(text: str) -> str:
    """User text (names, notes) for markdown: every markup character escaped, so it shows as
    typed and can never format, link or inject anything."""
    return "".join("\\" + ch if ch in "\\`*_{}[]()<>#+-.!|~$:" else ch for ch in str(text))


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
