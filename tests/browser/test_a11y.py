"""Accessibility in headless Debian Chromium: the keyboard reaches and drives every control,
charts carry text alternatives, big numbers stay big, and the read-only meeting mode shows no
write control (screenshots at 1280×720 in artifacts/screenshots/a11y-*.png)."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from benchmarks.serve import SHOTS, settled

FOCUSED = """() => {
  const e = document.activeElement;
  if (!e) return null;
  const box = e.closest('[data-testid]');
  const style = getComputedStyle(e);
  return {tag: e.tagName, role: e.getAttribute('role'), label: e.getAttribute('aria-label') || '',
          text: (e.innerText || '').trim(), type: e.getAttribute('type') || '',
          testid: box ? box.getAttribute('data-testid') : '', value: e.value || '',
          ring: style.outlineStyle !== 'none' || style.boxShadow !== 'none'};
}"""


def open_page(browser, server: str, path: str, size=(1280, 720)) -> Page:
    page = browser.new_page(viewport={"width": size[0], "height": size[1]})
    page.goto(server + path)
    expect(page.get_by_test_id("stMetricValue").first).to_be_visible(timeout=90_000)
    settled(page)
    return page


def tab_to(page: Page, match, limit: int = 60, back: bool = False) -> dict:
    """Press Tab (Shift+Tab with back) until the focused element matches; its description."""
    seen = []
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if back else "Tab")
        info = page.evaluate(FOCUSED)
        seen.append(f"{info['tag']}:{info['label'] or info['text'][:30]}")
        if match(info):
            return info
    raise AssertionError(f"focus never reached the control; visited {seen}")


def metric(page: Page, label: str) -> str:
    box = page.get_by_test_id("stMetric").filter(has_text=label).first
    return box.get_by_test_id("stMetricValue").inner_text().strip()


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.mouse.move(0, 0)
    page.screenshot(path=str(SHOTS / name))


def test_keyboard_reaches_the_frame_and_changes_the_province(server, browser):
    page = open_page(browser, server, "/")
    lang = tab_to(page, lambda f: f["role"] == "radio" and f["text"] == "Tiếng Việt")
    assert lang["testid"] == "stButtonGroup" and lang["ring"]
    unit = tab_to(page, lambda f: f["role"] == "combobox" and f["label"] == "Địa phương")
    assert unit["ring"]
    page.keyboard.type("Hà Nội")
    page.keyboard.press("Enter")
    settled(page)
    expect(page.get_by_test_id("stMain")).to_contain_text("Hà Nội", timeout=30_000)
    assert "unit=ha-noi" in page.url
    nav = tab_to(page, lambda f: f["testid"] == "stTopNavLink" and "Kịch bản" in f["text"])
    assert nav["tag"] == "A"
    page.keyboard.press("Enter")  # the navigation by keyboard too
    expect(page.get_by_role("button", name="Kế hoạch 2024")).to_be_visible(timeout=60_000)
    page.close()


def test_keyboard_moves_a_slider_and_the_rank_follows(server, browser):
    page = open_page(browser, server, "/scenario")
    assert metric(page, "Hạng") == "11/63"  # Bắc Giang 2023, published rank (see test_golden)
    preset = tab_to(page, lambda f: f["tag"] == "BUTTON" and f["text"] == "Hiện trạng")
    assert preset["ring"], "a focused button shows a focus ring"
    slider = tab_to(page, lambda f: f["type"] == "range" and f["label"].startswith("6.3.3 ·"))
    assert slider["ring"]
    page.keyboard.press("End")  # the slider's maximum, by keyboard
    settled(page)
    rank = page.get_by_test_id("stMetric").filter(has_text="Hạng")
    expect(rank.get_by_test_id("stMetricValue")).not_to_have_text("11/63", timeout=20_000)
    assert int(metric(page, "Hạng").split("/")[0]) < 11
    assert re.search(r"t=[^&]*6\.3\.3~100", page.url), page.url
    assert page.evaluate(FOCUSED)["label"].startswith("6.3.3 ·"), "focus stays on the slider"
    page.keyboard.press("ArrowLeft")  # one step down, still above the baseline
    settled(page)
    assert not re.search(r"6\.3\.3~100", page.url)
    tab_to(page, lambda f: f["tag"] == "BUTTON" and f["text"] == "Hiện trạng", back=True)
    page.keyboard.press("Enter")
    settled(page)
    expect(rank.get_by_test_id("stMetricValue")).to_have_text("11/63", timeout=20_000)
    page.close()


def test_charts_have_text_alternatives_and_numbers_are_big(server, browser):
    page = open_page(browser, server, "/scenario?preset=plan-2024")
    expect(page.get_by_test_id("stMetric").filter(has_text="Hạng")).to_contain_text("9/63")
    charts = page.get_by_test_id("stPlotlyChart")
    expect(charts.first).to_be_visible(timeout=30_000)
    assert charts.count() >= 2
    for k in range(charts.count()):
        chart = charts.nth(k)
        assert chart.get_attribute("role") == "figure"
        assert len(chart.get_attribute("aria-label") or "") > 40
    assert "46,51" in charts.first.get_attribute("aria-label")  # the waterfall starts there
    expander = page.get_by_test_id("stExpander").filter(has_text="Số liệu của biểu đồ")
    assert expander.count() >= 2
    sizes = page.eval_on_selector_all(
        "[data-testid='stMetricValue']",
        "els => els.map(e => parseFloat(getComputedStyle(e).fontSize))",
    )
    assert sizes and min(sizes) >= 32, sizes  # at least 32 px at 1280×720
    page.close()


WRITE_BUTTONS = ("Lưu", "Ghi tiến độ", "Xóa", "Đổi tên")


def test_read_only_meeting_mode_screens(server, browser):
    for name, path in (
        ("scenario", "/scenario?mode=meeting"),
        ("plan", "/plan?mode=meeting"),
        ("budget", "/budget?mode=meeting"),
        ("overview", "/?mode=meeting"),
    ):
        page = open_page(browser, server, path)
        sidebar = page.get_by_test_id("stSidebar")
        expect(sidebar).to_contain_text("Chế độ chỉ xem", timeout=30_000)
        assert "mode=meeting" in page.url
        for label in WRITE_BUTTONS:
            assert page.get_by_role("button", name=label, exact=True).count() == 0, (name, label)
        shot(page, f"a11y-readonly-{name}-1280x720.png")
        if name != "overview":
            note = page.get_by_text("Chế độ chỉ xem: phần lưu và sửa dữ liệu được ẩn.")
            note.first.scroll_into_view_if_needed()
            settled(page)
            shot(page, f"a11y-readonly-{name}-writes-1280x720.png")
        page.close()


def test_the_meeting_toggle_hides_writes_for_the_session(server, browser):
    page = open_page(browser, server, "/meeting?unit=bac-giang&edition=2023&preset=plan-2024")
    page.get_by_test_id("stExpander").filter(has_text="Kịch bản, đường dẫn").first.click()
    toggle = page.get_by_role("switch", name="Chế độ chỉ xem cho cuộc họp")
    expect(toggle).not_to_be_checked()
    toggle.focus()
    page.keyboard.press("Space")
    settled(page)
    expect(toggle).to_be_checked()
    assert "mode=meeting" in page.url
    shot(page, "a11y-meeting-toggle-1280x720.png")
    page.get_by_text("Thoát chế độ họp").click()  # to the plan page, same session
    expect(page.get_by_test_id("stSidebar")).to_contain_text("Chế độ chỉ xem", timeout=60_000)
    settled(page)
    assert page.get_by_role("button", name="Ghi tiến độ", exact=True).count() == 0
    page.close()
