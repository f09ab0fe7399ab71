"""As a new user would, in Chromium: give the admin password, import Bắc Giang's 2024 profile,
see the overview use the official numbers, roll back, see the old ones again; a file the browser
itself refuses (over the upload limit) does not leave the previous file's message on screen."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from benchmarks.serve import ROOT, SHOTS, running_app, settled
from model.fmt import number
from model.official import edition as edition_view
from tests.test_versions import profile_csv

PASSWORD = "mat-khau-trinh-duyet"  # written to a temporary secrets file for this server only


@pytest.fixture(scope="module")
def admin_server(built, tmp_path_factory) -> Iterator[str]:
    tmp = tmp_path_factory.mktemp("admin")
    secrets = tmp / "secrets.toml"
    secrets.write_text(f'admin_password = "{PASSWORD}"\n', encoding="utf-8")
    mp = pytest.MonkeyPatch()
    mp.setenv("STREAMLIT_SECRETS_FILES", str(secrets))  # Streamlit's `secrets.files` option
    mp.setenv("PII_WORKSPACE_DB", str(tmp / "workspace.duckdb"))
    mp.delenv("PII_STORE_URL", raising=False)
    SHOTS.mkdir(parents=True, exist_ok=True)
    try:
        with open(ROOT / "artifacts" / "browser-server.log", "a") as log, running_app(log) as url:
            yield url
    finally:
        mp.undo()


def overview_pii(page: Page, url: str) -> str:
    """The PII card's number, read once the page is at rest. Each card is revealed on its own
    (a Suspense boundary each), so the first number drawn may be the rank's: read the PII's."""
    page.goto(f"{url}/?edition=2024&unit=bac-giang")
    card = page.get_by_test_id("stMetric").filter(has_text="PII")
    value = card.get_by_test_id("stMetricValue")
    value.wait_for(timeout=60_000)
    settled(page)
    return value.inner_text()


def test_import_profile_then_roll_back(admin_server: str, browser: Browser, tmp_path):
    url = admin_server
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    # Bắc Giang 2024 as published: PII 43,53 (published.csv).
    assert overview_pii(page, url) == "43,53"

    ed = edition_view.load_edition(2024)
    bump = {"2.2.3": 10.0, "6.3.3": 20.0}
    csv = tmp_path / "ho-so-bac-giang-2024.csv"
    csv.write_bytes(profile_csv(ed, "bac-giang", bump))
    scores = ed.scores.copy()
    u = ed.unit_index("bac-giang")
    for code, b in bump.items():
        scores[u, ed.framework.index[code]] += b
    from model.index.engine import aggregate

    want = number(float(aggregate(ed.framework, scores.round(2)).pii[u]), "vi", 2)

    page.goto(f"{url}/data?edition=2024&unit=bac-giang")
    page.get_by_role("tab", name="Nhập số liệu chính thức").click()
    page.get_by_label("Mật khẩu quản trị", exact=True).and_(page.locator("input")).fill(PASSWORD)
    page.get_by_role("button", name="Mở khóa thay đổi dữ liệu").click()
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(csv))
    expect(page.get_by_text("Chạy thử: điều gì sẽ thay đổi")).to_be_visible(timeout=120_000)
    page.locator('input[aria-label="Người nhập"]').fill("Sở KH&CN Bắc Giang")
    page.get_by_role("button", name="Nhập và tạo phiên bản mới").click()
    expect(page.get_by_text("Đã nhập: phiên bản 1")).to_be_visible(timeout=120_000)
    page.screenshot(path=str(SHOTS / "data-import-done.png"), full_page=True)

    assert overview_pii(page, url) == want
    expect(page.get_by_text("✔ Chính thức").first).to_be_visible()
    page.screenshot(path=str(SHOTS / "overview-official.png"), full_page=True)

    page.goto(f"{url}/data?edition=2024&unit=bac-giang")
    page.get_by_role("tab", name="Nhập số liệu chính thức").click()
    page.get_by_label("Mật khẩu quản trị", exact=True).and_(page.locator("input")).fill(PASSWORD)
    page.get_by_role("button", name="Mở khóa thay đổi dữ liệu").click()
    page.get_by_role("tab", name="Các phiên bản").click()
    page.get_by_role("button", name="Khôi phục", exact=True).click()
    page.get_by_role("button", name="Xác nhận khôi phục").click()  # issue 13: confirm first
    expect(page.get_by_text("Đã khôi phục: phiên bản 2")).to_be_visible(timeout=60_000)
    page.screenshot(path=str(SHOTS / "data-rolled-back.png"), full_page=True)

    assert overview_pii(page, url) == "43,53"
    page.close()


def unlocked_import_tab(page: Page, url: str) -> None:
    page.goto(f"{url}/data?edition=2024&unit=bac-giang")
    page.get_by_role("tab", name="Nhập số liệu chính thức").click()
    page.get_by_label("Mật khẩu quản trị", exact=True).and_(page.locator("input")).fill(PASSWORD)
    page.get_by_role("button", name="Mở khóa thay đổi dữ liệu").click()


def test_a_file_refused_by_the_browser_replaces_the_previous_message(
    admin_server: str, browser: Browser, tmp_path
):
    """Issue 13, item 9: a file over the limit is refused by the browser (the server never sees
    it); the previous file's error must not stay, and the note says why in Vietnamese."""
    from model.official.importer import MAX_BYTES, MAX_MB

    page = browser.new_page(viewport={"width": 1280, "height": 900})
    unlocked_import_tab(page, admin_server)
    drop = page.get_by_test_id("stFileUploaderDropzoneInput")
    drop.wait_for(state="attached", timeout=60_000)
    # The limit is said once, in Vietnamese (the uploader's English line is hidden).
    expect(page.get_by_test_id("stFileUploaderDropzoneInstructions")).to_be_hidden()
    bad = tmp_path / "hong.csv"
    bad.write_bytes(b"unit,code,raw,score\nbac-giang,1.1.1,abc,1\n")
    drop.set_input_files(str(bad))
    first = page.get_by_text("bị từ chối").first
    expect(first).to_be_visible(timeout=60_000)
    note = page.get_by_text("Tệp vừa chọn không được nhận")
    expect(note).to_be_hidden()

    big = tmp_path / "lon.csv"
    big.write_bytes(b"unit,code,raw,score\n" + b" " * (MAX_BYTES + 1))
    drop.set_input_files(str(big))
    expect(note).to_be_visible(timeout=30_000)
    expect(note).to_contain_text(f"{MAX_MB} MB")
    expect(first).to_be_hidden()
    page.screenshot(path=str(SHOTS / "data-upload-too-large.png"), full_page=True)

    # The next file the browser accepts gets its own message again.
    bad2 = tmp_path / "hong-2.csv"
    bad2.write_bytes(b"unit,code,raw,score\nbac-giang,9.9.9,1,1\n")
    drop.set_input_files(str(bad2))
    expect(page.get_by_text("9.9.9").first).to_be_visible(timeout=60_000)
    expect(note).to_be_hidden()
    page.close()
