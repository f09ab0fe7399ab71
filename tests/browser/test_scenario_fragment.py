"""The scenario page's targets and result are one fragment (issue 20, item 23): a slider move
asks the server to rerun that fragment only, not app.py's frame, and still updates the rank and
the address."""

from __future__ import annotations

from playwright.sync_api import expect
from streamlit.proto.BackMsg_pb2 import BackMsg

from benchmarks.serve import settled


def _reruns(page) -> list:
    """Every rerun request the page sends over Streamlit's websocket (BackMsg.rerun_script)."""
    sent: list = []

    def on_ws(ws) -> None:
        def on_frame(payload) -> None:
            if isinstance(payload, bytes | bytearray):
                msg = BackMsg.FromString(bytes(payload))
                if msg.WhichOneof("type") == "rerun_script":
                    sent.append(msg.rerun_script)

        ws.on("framesent", on_frame)

    page.on("websocket", on_ws)
    return sent


def test_a_slider_reruns_only_the_targets_and_result(server, browser):
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    sent = _reruns(page)
    page.goto(server + "/scenario?lang=vi")
    rank = page.get_by_test_id("stMetric").filter(has_text="Hạng").get_by_test_id("stMetricValue")
    expect(rank).to_have_text("11/63", timeout=60_000)
    settled(page)
    sent.clear()
    slider = page.locator("[data-testid='stSlider']").filter(has_text="6.3.3").get_by_role("slider")
    slider.focus()
    page.keyboard.press("End")
    expect(rank).not_to_have_text("11/63", timeout=20_000)
    settled(page)
    assert sent, "no rerun was asked for"
    assert all(r.fragment_id for r in sent), "a slider move reran the whole app"
    assert "6.3.3~100" in page.url  # the address follows the fragment's runs too
    page.close()


def test_a_refused_typed_value_says_why_at_once(server, browser):
    """The form is in the fragment, so is the message its callback leaves (`_flash`): shown by
    the fragment's own rerun, not at the top of the page on some later full run."""
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    page.goto(server + "/scenario?lang=vi")
    expect(page.get_by_test_id("stMetricValue").first).to_have_text("46,51", timeout=60_000)
    settled(page)
    page.get_by_text("Nhập giá trị thực").click()
    page.get_by_role("textbox", name="Giá trị thực").fill(
        "-5"
    )  # 1.1.1 is no change per year: not negative
    page.get_by_role("button", name="Áp dụng").click()
    settled(page)
    expect(page.get_by_test_id("stAlertContentError").first).to_be_visible(timeout=20_000)
    expect(page.get_by_test_id("stMetricValue").first).to_have_text("46,51")
    page.close()
