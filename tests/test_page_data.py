"""AppTest for the data page: browse with provenance, the admin gate, import with a dry run,
versions, rollback — and the other pages using the imported numbers."""

from __future__ import annotations

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from model.i18n import gettext
from model.official import edition as edition_view
from model.official import versions
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
    # what to do in a user's terms (issue 20, item 19): no setting or file name on screen
    assert any("quản trị viên" in i.value and "secrets" not in i.value for i in at.info)


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
    next(b for b in at.button if b.label == "Xác nhận khôi phục").click().run()  # issue 13
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


# ---- issue 13 -----------------------------------------------------------------------------------
import logging  # noqa: E402
import tomllib  # noqa: E402
from collections.abc import Iterator  # noqa: E402

from model.official import importer  # noqa: E402
from model.paths import ROOT  # noqa: E402
from tests.test_versions import bg_2023_csv  # noqa: E402

IMPORT_BUTTON = gettext("vi", "data.do_import")


def import_button(at: AppTest):
    return next(b for b in at.button if b.label == IMPORT_BUTTON)


def button(at: AppTest, label_id: str):
    label = gettext("vi", label_id)
    return next(b for b in at.button if b.label == label)


def test_one_upload_limit_said_in_the_users_language():
    """The uploader said 20 MB (Streamlit's config), the importer refused over 5 MB."""
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["maxUploadSize"] == importer.MAX_MB
    for lang, words in (("vi", "tối đa"), ("en", "at most")):
        at = page(PASSWORD, lang=lang)
        at.text_input(key="admin_password").input(PASSWORD)
        label = gettext(lang, "common.admin_unlock")
        next(b for b in at.button if b.label == label).click().run()
        up = at.file_uploader(key="dt_upload_0")
        assert up.proto.max_upload_size_mb == importer.MAX_MB
        assert f"{words} {importer.MAX_MB} MB" in up.help


def test_a_refused_file_replaces_the_previous_files_message(fresh_workspace):
    at = page(PASSWORD)
    unlock(at, PASSWORD)
    up = at.file_uploader(key="dt_upload_0")
    up.upload("hong.csv", b"unit,code,raw,score\nbac-giang,1.1.1,abc,1\n", "text/csv").run()
    assert any("hong.csv" in e.value.replace("\\", "") for e in at.error)
    big = b"unit,code,raw,score\n" + b" " * importer.MAX_BYTES
    at.file_uploader(key="dt_upload_0").upload("lon.csv", big, "text/csv").run()
    text = " ".join(e.value for e in at.error).replace("\\", "")  # markdown escapes
    assert "lon.csv" in text and f"{importer.MAX_MB} MB" in text
    assert "hong.csv" not in text


def test_a_template_of_another_edition_is_refused_on_the_page(fresh_workspace):
    """A profile template of 2024 uploaded while the page shows 2023 (issue 13, item 2)."""
    import csv
    import io

    ed24 = edition_view.load_edition(2024)
    tpl = importer.template_bytes("profile", "csv", ed24, unit="bac-giang").decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(tpl)))
    head = rows[0]
    given = csv.DictReader(io.StringIO(profile_csv(ed24, "bac-giang").decode()))
    values = {r["code"]: r for r in given}
    for r in rows[1:]:
        for col in ("raw", "score", "min", "max"):
            r[head.index(col)] = values[r[head.index("code")]][col]
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    data = buf.getvalue().encode()
    at = page(PASSWORD, edition="2023", unit="bac-giang")
    unlock(at, PASSWORD)
    at.file_uploader(key="dt_upload_0").upload("mau-2024.csv", data, "text/csv").run()
    assert not at.exception
    text = " ".join(e.value for e in at.error)
    assert "kỳ 2024" in text and "kỳ 2023" in text
    assert not any(gettext("vi", "data.dry_title") in m.value for m in at.markdown)
    assert not fresh_workspace.exists()


def test_official_values_are_replaced_only_with_the_confirmation(fresh_workspace):
    """Bắc Giang's official 2.2.3 of 2023 (2.43) raised to 8.00 by a profile."""
    ed = edition_view.load_edition(2023)
    at = page(PASSWORD, edition="2023", unit="bac-giang")
    unlock(at, PASSWORD)
    at.file_uploader(key="dt_upload_0").upload("bg.csv", bg_2023_csv(ed, "8,00"), "text/csv")
    at.run()
    assert not at.exception, at.exception
    assert any("1 giá trị chính thức" in w.value for w in at.warning)
    listed = [d.value for d in at.dataframe if len(d.value) == 1]
    # the official cell first (the dry run's own and others' cells follow: issue 20, item 17)
    assert [list(t["Mã"]) for t in listed][0] == ["2.2.3"]
    import_button(at).click().run()
    assert any("giá trị chính thức" in e.value for e in at.error)
    assert versions.head(fresh=True) == 0 and not fresh_workspace.exists()
    at.checkbox(key="dt_replace_official").check()
    import_button(at).click().run()  # the form sends the box with its button
    assert not at.exception, at.exception
    assert versions.head(fresh=True) == 1
    u, j = ed.unit_index("bac-giang"), ed.framework.index["2.2.3"]
    assert edition_view.load_edition(2023).scores[u, j] == pytest.approx(8.0)


def test_an_import_that_changes_no_official_value_needs_no_confirmation(fresh_workspace):
    ed = edition_view.load_edition(2024)
    at = page(PASSWORD, edition="2024", unit="bac-giang")
    unlock(at, PASSWORD)
    at.file_uploader(key="dt_upload_0").upload("a.csv", profile_csv(ed, "bac-giang"), "text/csv")
    at.run()
    assert not any(c.key == "dt_replace_official" for c in at.checkbox)
    import_button(at).click().run()
    assert versions.head(fresh=True) == 1


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def streamlit_log() -> Iterator[_Records]:
    """Every record of Streamlit's loggers (they do not propagate to the root logger)."""
    handler = _Records()
    names = [
        "streamlit",
        *(n for n in logging.root.manager.loggerDict if n.startswith("streamlit")),
    ]
    loggers = [logging.getLogger(n) for n in names]
    for lg in loggers:
        lg.addHandler(handler)
    yield handler
    for lg in loggers:
        lg.removeHandler(handler)


def test_rollback_needs_a_confirmation_and_the_versions_table_is_arrow_clean(
    fresh_workspace, streamlit_log
):
    ed = edition_view.load_edition(2024)
    versions.apply_import(
        importer.parse(profile_csv(ed, "bac-giang", {"2.2.3": 10.0}), "a.csv", ed)
    )
    at = page(PASSWORD, edition="2024", unit="bac-giang")
    unlock(at, PASSWORD)
    at.selectbox(key="dt_rb_target").set_value(0).run()
    button(at, "data.do_rollback").click().run()
    assert not at.exception, at.exception
    assert versions.head(fresh=True) == 1  # not yet: a confirmation first
    assert any("phiên bản 0" in w.value for w in at.warning)
    button(at, "data.rollback_cancel").click().run()
    assert versions.head(fresh=True) == 1
    assert not any(b.label == gettext("vi", "data.rollback_confirm") for b in at.button)
    button(at, "data.do_rollback").click().run()
    button(at, "data.rollback_confirm").click().run()
    assert not at.exception, at.exception
    assert versions.head(fresh=True) == 2
    assert any("phiên bản 2" in s.value for s in at.success)
    # Version 0 is now the current data again: a second rollback to it says so, writes nothing.
    at.selectbox(key="dt_rb_target").set_value(0).run()
    button(at, "data.do_rollback").click().run()
    assert any("đã là dữ liệu hiện hành" in i.value for i in at.info)
    assert not any(b.label == gettext("vi", "data.rollback_confirm") for b in at.button)
    assert versions.head(fresh=True) == 2
    arrow = [r.getMessage() for r in streamlit_log.records if "Arrow" in r.getMessage()]
    assert not arrow, arrow


def test_dry_run_raw_values_use_the_indicators_decimals(fresh_workspace):
    """A changed 2.2.3 read "0,04 → 0,04" in the dry run (defects issue, item 17): raw values
    now carry the indicator's own decimals, so a change is visible."""
    at = page(PASSWORD, edition="2024", unit="bac-giang")
    unlock(at, PASSWORD)
    ed = edition_view.load_edition(2024)
    data = profile_csv(ed, "bac-giang", {"2.2.3": 1.0})
    at.file_uploader(key="dt_upload_0").upload("ho-so-bac-giang.csv", data, "text/csv").run()
    assert not at.exception, at.exception
    code, old, new = (
        gettext("vi", k) for k in ("data.col_code", "data.col_old_raw", "data.col_new_raw")
    )
    tables = [d.value for d in at.dataframe if code in d.value.columns and old in d.value.columns]
    row = next(t[t[code] == "2.2.3"].iloc[0] for t in tables if (t[code] == "2.2.3").any())
    assert row[old] != row[new], (row[old], row[new])
    assert len(row[new].split(",")[1]) >= 3  # 0,0xx % GRDP: three decimals, not two
