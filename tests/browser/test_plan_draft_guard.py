"""Issue 20, item 14, in headless Chromium: while the session holds an unsaved plan, reloading
the Plan page makes the browser ask first (its own beforeunload dialog); before there is one,
a reload goes through without a question."""

from __future__ import annotations

from benchmarks.serve import settled

PLAN = "/plan?unit=khanh-hoa&edition=2024"  # Khánh Hòa 2024: no plan of its own yet


def reload_asks(page) -> bool:
    """Reload; True when the browser asked first (the question is answered "stay")."""
    asked: list[str] = []

    def answer(dialog) -> None:
        asked.append(dialog.type)
        dialog.dismiss()  # stay on the page

    page.on("dialog", answer)
    try:
        page.reload(timeout=5_000)
    except Exception:  # noqa: BLE001 - staying cancels the navigation Playwright waits for
        pass
    page.remove_listener("dialog", answer)
    return asked == ["beforeunload"]


def test_an_unsaved_draft_makes_the_browser_ask_before_a_reload(server, browser):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(server + PLAN)
    new = page.locator(".st-key-plan_btn_new button")
    new.wait_for(timeout=90_000)
    settled(page)
    new.click()  # a user gesture: browsers only ask after the page was used
    settled(page)
    page.locator(".st-key-plan_btn_new button").click()  # closes the panel again: no draft
    settled(page)
    assert not reload_asks(page)

    page.locator(".st-key-plan_btn_new button").wait_for(timeout=90_000)
    settled(page)
    page.locator(".st-key-plan_btn_new button").click()
    settled(page)
    page.locator(".st-key-plan_new_name input").fill("Thử")
    page.keyboard.press("Enter")
    settled(page)
    page.locator(".st-key-plan_new_make button").click()
    settled(page)
    assert page.evaluate("window.__piiUnsaved") is True
    assert page.get_by_text("Bản nháp chưa lưu").count() == 1
    assert reload_asks(page)
    page.close()
