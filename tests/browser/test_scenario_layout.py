"""The scenario page at 1280×720 in Chromium, both languages: what only a browser shows.

Plotly shrinks a bar's label to fit the bar (a `scale()` on the text), and Streamlit cuts a
button's label with an ellipsis when its column is too narrow: neither shows in AppTest.
(Issue 13 items 19 and 25.)
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from benchmarks.serve import settled

LABELS = {
    "vi": {"name": "Tên kịch bản", "save": "Lưu", "delete": "Xóa"},
    "en": {"name": "Scenario name", "save": "Save", "delete": "Delete"},
}

# Text cut by CSS: an element narrower than its content that hides the rest (ellipsis).
TRUNCATED = """() => [...document.querySelectorAll('[data-testid="stMain"] *')]
  .filter(el => el.innerText && el.innerText.length <= 80)
  .filter(el => {
    const cs = getComputedStyle(el);
    return el.scrollWidth > el.clientWidth + 1
      && (cs.textOverflow === 'ellipsis' || cs.overflow.includes('hidden'))
      && !el.closest('[data-testid="stDataFrame"], [data-testid="stCode"], .js-plotly-plot');
  })
  .map(el => el.innerText)"""

# A bar label's drawn size: its font size times the scale plotly applied to make it fit.
LABEL_SIZES = """chart => [...chart.querySelectorAll('.bartext')]
  .map(t => {
    const m = /scale\\(([\\d.]+)/.exec(t.getAttribute('transform') || '');
    return parseFloat(getComputedStyle(t).fontSize) * (m ? parseFloat(m[1]) : 1);
  })"""


def _open(page: Page, server: str, lang: str) -> None:
    page.goto(f"{server}/scenario?unit=bac-giang&edition=2023&lang={lang}&preset=plan-2024")
    expect(page.get_by_test_id("stMetricValue").first).not_to_have_text(
        re.compile(r"^46[,.]51$"), timeout=60_000
    )
    settled(page)


def _scroll_through(page: Page) -> None:
    """Scroll the page once to its end, so every lazily drawn block is on the page."""
    main = page.get_by_test_id("stMain")
    for y in range(0, 6000, 600):
        main.evaluate(f"e => e.scrollTo(0, {y})")
        page.wait_for_timeout(100)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_waterfall_labels_are_readable_with_the_whole_plan(server, browser, lang):
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    _open(page, server, lang)
    chart = page.get_by_test_id("stPlotlyChart").first  # the waterfall, then the pillars
    chart.scroll_into_view_if_needed()
    chart.locator(".bartext").first.wait_for(timeout=30_000)
    sizes = chart.evaluate(LABEL_SIZES)
    assert sizes and min(sizes) >= 12, sizes
    page.close()


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_no_label_is_cut_and_delete_reads_in_full(server, browser, lang):
    words = LABELS[lang]
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    _open(page, server, lang)
    page.get_by_label(words["name"]).fill(f"Kế hoạch 2024 — bản thử nghiệm dài {lang}")
    page.get_by_role("button", name=words["save"], exact=True).click()
    settled(page)
    delete = page.get_by_role("button", name=re.compile(words["delete"])).first
    expect(delete).to_be_visible(timeout=30_000)
    _scroll_through(page)
    assert page.evaluate(TRUNCATED) == []
    # The comparison (the last table) shows its eleven rows, pillar 7 too, without a scroll.
    grid = page.get_by_test_id("stDataFrame").last.locator(".dvn-scroller").first
    grid.scroll_into_view_if_needed()
    assert grid.evaluate("e => e.scrollHeight <= e.clientHeight + 1"), grid.evaluate(
        "e => [e.scrollHeight, e.clientHeight]"
    )
    page.close()
