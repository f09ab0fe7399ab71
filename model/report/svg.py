"""The report's small inline SVG charts, built in one place.

Every text that goes into a chart (labels, legend, titles, values) is escaped here; the result
is Markup, so the template inserts it as it is. No `xmlns`, no script, no external resource:
the charts live inside the HTML page.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence

from markupsafe import Markup

BLUE, GREY, GREEN, RED, INK = "#0b5cad", "#7b8794", "#1b7f3b", "#b42318", "#111827"
ORANGE = "#d97706"
SERIES_COLORS = (GREY, BLUE, ORANGE)  # baseline, plan, scenario


def _e(x: object) -> str:
    return html.escape(str(x), quote=True)


def _clip(label: str, width_px: int, px_per_char: float = 7.4) -> str:
    """Shorten a chart label to fit its column (13 px type); the full text is in the tooltip."""
    n = max(8, int((width_px - 12) / px_per_char))
    return label if len(label) <= n else label[: n - 1].rstrip() + "…"


def _open(title: str, width: int, height: float) -> str:
    return (
        f'<svg role="img" aria-label="{_e(title)}" viewBox="0 0 {width} {height}" '
        f'width="100%" preserveAspectRatio="xMinYMin meet">'
    )


def bars(
    labels: Sequence[str],
    values: Sequence[float],
    fmt_value: Callable[[float], str],
    *,
    title: str,
    colors: Sequence[str] | None = None,
    width: int = 900,
    label_width: int = 330,
) -> Markup:
    """A horizontal bar chart (zero line; negatives to the left, red; positives green)."""
    row_h, top = 26, 6
    height = top * 2 + row_h * max(1, len(values))
    lo, hi = min(0.0, *values) if values else 0.0, max(0.0, *values) if values else 1.0
    span = (hi - lo) or 1.0
    plot_w = width - label_width - 80
    x0 = label_width + (0 - lo) / span * plot_w
    parts = [_open(title, width, height)]
    for k, (lab, v) in enumerate(zip(labels, values, strict=True)):
        y = top + k * row_h
        w = abs(v) / span * plot_w
        x = x0 if v >= 0 else x0 - w
        color = colors[k] if colors else (GREEN if v >= 0 else RED)
        parts.append(
            f'<text x="{label_width - 8}" y="{y + 17}" text-anchor="end" font-size="13" '
            f'fill="{INK}">{_e(_clip(lab, label_width))}</text>'
            f'<rect x="{x:.1f}" y="{y + 4}" width="{max(w, 1):.1f}" height="{row_h - 8}" '
            f'fill="{color}"><title>{_e(lab)}: {_e(fmt_value(v))}</title></rect>'
            f'<text x="{(x + w + 6) if v >= 0 else (x - 6):.1f}" y="{y + 17}" font-size="13" '
            f'text-anchor="{"start" if v >= 0 else "end"}" fill="{INK}">{_e(fmt_value(v))}</text>'
        )
    parts.append(
        f'<line x1="{x0:.1f}" x2="{x0:.1f}" y1="0" y2="{height}" stroke="{INK}" stroke-width="1"/>'
    )
    parts.append("</svg>")
    return Markup("".join(parts))  # every text above went through _e


def grouped(
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float], str]],
    fmt_value: Callable[[float], str],
    *,
    title: str,
    width: int = 900,
    label_width: int = 330,
) -> Markup:
    """Grouped horizontal bars on a 0-100 axis (pillars before and after), with a legend."""
    bar_h, gap, top = 14, 12, 30
    group_h = bar_h * len(series) + gap
    height = top + group_h * len(labels) + 6
    plot_w = width - label_width - 70
    parts = [_open(title, width, height)]
    lx = label_width
    for name, _, color in series:
        parts.append(
            f'<rect x="{lx}" y="6" width="14" height="14" fill="{color}"/>'
            f'<text x="{lx + 20}" y="18" font-size="13" fill="{INK}">{_e(name)}</text>'
        )
        lx += 30 + 8 * len(name)
    for g, lab in enumerate(labels):
        y0 = top + g * group_h
        parts.append(
            f'<text x="{label_width - 8}" y="{y0 + bar_h * len(series) / 2 + 5}" '
            f'text-anchor="end" font-size="13" fill="{INK}">{_e(_clip(lab, label_width))}</text>'
        )
        for s, (name, values, color) in enumerate(series):
            v = float(values[g])
            w = max(0.0, min(v, 100.0)) / 100.0 * plot_w
            y = y0 + s * bar_h
            parts.append(
                f'<rect x="{label_width}" y="{y}" width="{max(w, 1):.1f}" height="{bar_h - 2}" '
                f'fill="{color}"><title>{_e(lab)} · {_e(name)}: {_e(fmt_value(v))}</title></rect>'
                f'<text x="{label_width + w + 5:.1f}" y="{y + bar_h - 3}" font-size="12" '
                f'fill="{INK}">{_e(fmt_value(v))}</text>'
            )
    parts.append("</svg>")
    return Markup("".join(parts))  # every text above went through _e
