"""AppTest for the data page: browse with provenance, the admin gate, import with a dry run,
versions, rollback — and the other pages using the imported numbers."""

from __future__ import annotations

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from model import edition_view, versions
from model.i18n import gettext
from tests.test_versions import profile_csv

APP = "../app.py"
PASSWORD = "mat-khau-thu"  # a test secret, set on the AppTest only
UNLOCK = gettext("vi", "common.admin_unlock")


@pytest.fixture(autouse=True)
def _clean(built, fresh_workspace, fresh_store):
    st.cache_data.clear()
    versions.forget_head()
    yield
    st.cache_data.clear()
    versions.forget_head()


def page(password: str | None = None, **params: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    if password is not None:
        at.secrets["admin_password"] = password
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    at.switch_page("pages/data.py").run()
    assert not at.exception, at.exception
    return at


def unlock(at: AppTest, password: str) -> None:
    at.text_input(key="admin_password").input(password)
    next(b for b in at.button if b.label == UNLOCK).click().run()
    assert not at.exception, at.exception


def test_browse_by_unit_and_by_indicator_with_provenance_filter():
    at = page(edition="2023", unit="bac-giang")
    table = at.dataframe[0].value
    assert len(table) == 52
    # Bắc Giang's 17 plan indicators carry the official scores of the seed plan.
    assert (table["Nguồn gốc"] == "✔ Chính thức").sum() == 17
    at.multiselect(key="dt_prov").set_value(["official"]).run()
    assert len(at.dataframe[0].value) == 17
    at.segmented_control(key="dt_by").set_value("indicator").run()
    at.selectbox(key="dt_code").set_value("2.2.3").run()
    table = at.dataframe[0].value
    assert len(table) == 1  # only Bắc Giang's 2.2.3 is official in 2023
    at.multiselect(key="dt_prov").set_value(["official", "published", "reconstructed"]).run()
    assert len(at.dataframe[0].value) == 63


def test_without_an_admin_password_data_changes_are_disabled():
    at = page()
    assert not at.file_uploader
    assert any("admin_password" in i.value for i in at.info)


def test_import_dry_run_import_and_rollback_as_a_new_user(fresh_workspace):
    at = page(PASSWORD, edition="2024", unit="bac-giang")
    unlock(at, "sai")
    assert not at.file_uploader
    assert any("Mật khẩu không đúng" in e.value for e in at.error)
    unlock(at, PASSWORD)
    assert at.file_uploader, "the uploader appears once the password was given"

    ed = edition_view.load_edition(2024)
    data = profile_csv(ed, "bac-giang", {"2.2.3": 10.0})
    at.file_uploader(key="dt_upload_0").upload("ho-so-bac-giang.csv", data, "text/csv").run()
    assert not at.exception, at.exception
    assert not fresh_workspace.exists()  # the dry run wrote nothing
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Ô chính thức sau khi nhập"] == "52"
    at.text_input(key="dt_author").input("Sở KH&CN Bắc Giang").run()
    next(b for b in at.button if b.label.startswith("Nhập và tạo")).click().run()
    assert not at.exception, at.exception
    assert any("phiên bản 1" in s.value for s in at.success)
    assert versions.head(fresh=True) == 1

    # Every page now rests on the official numbers.
    new = edition_view.load_edition(2024)
    assert set(new.provenance[new.unit_index("bac-giang")]) == {"official"}
    at.switch_page("pages/overview.py").run()
    assert not at.exception
    pii = new.baseline().pii[new.unit_index("bac-giang")]
    from model.fmt import number

    assert any(number(pii, "vi") in m.value for m in at.metric)
    notes = " ".join(m.value for m in at.markdown)
    assert "green-badge[✔ Chính thức]" in notes  # the PII now rests on official values
    # ... and the published 43,53 (published.csv) is shown beside it, not in its place.
    assert f"PII ({number(pii, 'vi')} ≠ 43,53)" in notes
    # The meeting screen says what its numbers rest on, from the same cells.
    at.switch_page("pages/meeting.py").run()
    assert not at.exception
    caption = " ".join(c.value for c in at.caption)
    assert "52 chính thức, 0 đã công bố, 0 ước tính tái dựng" in caption
    assert "không phải số liệu chính thức" not in caption
    at.switch_page("pages/movers.py").run()
    assert not at.exception
    assert any("Tính từ số liệu chính thức của cả 52 chỉ số" in m.value for m in at.markdown)

    # Roll back from the versions tab.
    at.switch_page("pages/data.py").run()
    at.selectbox(key="dt_rb_target").set_value(0).run()
    next(b for b in at.button if b.label == "Khôi phục").click().run()
    assert not at.exception, at.exception
    assert versions.head(fresh=True) == 2
    old = edition_view.load_edition(2024)
    assert "official" not in set(old.provenance[old.unit_index("bac-giang")])


def test_a_bad_file_is_refused_with_row_and_column(fresh_workspace):
    at = page(PASSWORD)
    unlock(at, PASSWORD)
    bad = b"unit,code,raw,score,min,max\nbac-giang,1.1.1,abc,12.76,0,40\n"
    at.file_uploader(key="dt_upload_0").upload("hong.csv", bad, "text/csv").run()
    assert not at.exception
    text = " ".join(e.value for e in at.error).replace("\\", "")  # markdown escapes
    assert "hong.csv" in text and "dòng 2" in text and "raw" in text
    assert not fresh_workspace.exists()


def test_overview_of_a_merged_2025_unit_shows_its_2024_parts():
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["edition"] = "2025"
    at.query_params["unit"] = "bac-ninh"
    at.run()
    assert not at.exception, at.exception
    text = " ".join(m.value for m in at.markdown)
    # Bắc Ninh (merged) = old Bắc Ninh + Bắc Giang (units.csv), PII 2025 48.76 (published.csv).
    headings = " ".join([h.value for h in at.header] + [h.value for h in at.subheader])
    assert "Bắc Giang" in text and "Tỉnh hợp nhất (2025)" in headings
    assert any("48,76" in m.value for m in at.metric)


def test_an_unreachable_store_gives_a_message_not_a_traceback(monkeypatch):
    monkeypatch.setenv("PII_STORE_URL", "postgresql://pii:s3cret@127.0.0.1:1/pii")
    versions.forget_head()
    at = AppTest.from_file(APP, default_timeout=120).run()
    assert not at.exception, at.exception
    text = " ".join(e.value for e in at.error)
    assert "Không mở được cơ sở dữ liệu PII" in text
    assert "s3cret" not in text  # the password is never shown
