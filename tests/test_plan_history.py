"""A plan's history (issue 23, item 4): every revision with who, when (Vietnam time) and why;
what changed between two revisions (targets and lead units); a revision restored as a new
revision, never rewriting one; through the library, `plan revisions` / `plan restore` and the
Plan page's history panel (AppTest)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from model import api
from model.cli import main
from model.plan import library, new_plan
from model.plan.changes import saved_when
from model.workspace import NotFound, ReadOnly, Workspace

UNIT, YEAR = "khanh-hoa", 2024
NAME = "Kế hoạch lịch sử"
DOST, FIN = "Sở Khoa học và Công nghệ", "Sở Tài chính"


@pytest.fixture
def ws(built, fresh_workspace) -> Workspace:
    return Workspace()


@pytest.fixture
def three(ws):
    """A plan saved three times: created; 2.2.3 raised and its lead changed; 1.1.1 added."""
    ed = api.edition(YEAR)
    p1 = library.save_plan(
        new_plan(ed, UNIT, NAME, {"2.2.3": 30.0}, {"2.2.3": DOST}), author="An", note="bản đầu"
    )
    p2 = library.save_plan(
        p1.with_targets(ed, {"2.2.3": 45.0}).with_leads({"2.2.3": FIN}),
        author="Bình",
        note="nâng mục tiêu",
    )
    p3 = library.save_plan(p2.with_targets(ed, {"1.1.1": 60.0}), author="Chi", note="thêm 1.1.1")
    return p1, p2, p3


def cli(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_times_are_shown_in_vietnam_time():
    at = dt.datetime(2026, 12, 7, 20, 5, tzinfo=dt.UTC)
    assert saved_when(at) == "08/12/2026 03:05"  # UTC+7, the next day
    assert saved_when(at.replace(tzinfo=None)) == "08/12/2026 03:05"  # the store's naive UTC


def test_every_revision_says_who_when_and_why(three):
    rows = library.revision_rows(library.history_of(three[0].plan_id))
    assert [(r["revision"], r["author"], r["note"]) for r in rows] == [
        (3, "Chi", "thêm 1.1.1"),
        (2, "Bình", "nâng mục tiêu"),
        (1, "An", "bản đầu"),
    ]
    assert rows[2]["changes"] == [{"change": "created", "n": 1}]
    assert all(dt.datetime.fromisoformat(r["at"]).tzinfo is not None for r in rows)


def test_two_revisions_compare_by_targets_and_owners(three):
    history = library.history_of(three[0].plan_id)
    changes = library.compare_revisions(history, 1, 3)
    assert {"change": "target", "code": "2.2.3", "from": 30.0, "to": 45.0} in changes
    lead = [c for c in changes if c.get("field") == "lead_unit"]
    assert lead == [
        {"change": "text", "code": "2.2.3", "field": "lead_unit", "from": DOST, "to": FIN}
    ]
    assert {"change": "added", "code": "1.1.1", "target": 60.0} in changes
    back = library.compare_revisions(history, 3, 1)  # either way round
    assert {"change": "removed", "code": "1.1.1"} in back
    with pytest.raises(NotFound):
        library.compare_revisions(history, 1, 9)


def test_a_restore_is_a_new_revision_and_rewrites_none(three, ws):
    p1, _p2, p3 = three
    restored = library.restore_plan(p1.plan_id, 1, author="Dũng")
    assert restored.revision == 4 and restored.plan_id == p1.plan_id
    assert [(t.code, t.target, t.lead_unit) for t in restored.targets] == [("2.2.3", 30.0, DOST)]
    history = library.history_of(p1.plan_id)
    assert [r.revision for r in history] == [4, 3, 2, 1]
    assert history[0].note == "Khôi phục phiên bản 1" and history[0].author == "Dũng"
    assert history[1].plan.targets == p3.targets  # revision 3 is as it was
    assert ws.get_plan(p1.plan_id).revision == 4


def test_a_deleted_plan_can_be_restored(three, ws):
    library.delete_plan(three[0].plan_id)
    back = library.restore_plan(three[0].plan_id, 2, note="lấy lại")
    assert back.revision == 4 and ws.get_plan(back.plan_id).targets == three[1].targets


def test_restore_refuses_built_in_plans_and_unknown_revisions(three):
    with pytest.raises(ReadOnly):
        library.restore_plan("bac-giang-2024", 1)
    with pytest.raises(NotFound):
        library.restore_plan(three[0].plan_id, 7)
    with pytest.raises(NotFound):
        library.restore_plan("khong-co", 1)


def test_the_cli_lists_revisions_as_json_and_in_either_language(capsys, three):
    code, out, err = cli(capsys, "plan", "revisions", three[0].plan_id, "--json")
    assert code == 0, err
    rows = json.loads(out)
    assert [set(r) for r in rows] == [{"revision", "at", "author", "note", "changes"}] * 3
    assert rows == library.revision_rows(library.history_of(three[0].plan_id))
    code, vi, _ = cli(capsys, "plan", "revisions", three[0].plan_id)
    when = saved_when(library.history_of(three[0].plan_id)[0].saved_at)
    assert f"Phiên bản 3 · {when} (giờ Việt Nam) · Chi · thêm 1.1.1" in vi
    assert "mục tiêu 2.2.3: 30 → 45" in vi
    code, en, _ = cli(capsys, "plan", "revisions", three[0].plan_id, "--lang", "en")
    assert "(Vietnam time)" in en and "Revision 2" in en


def test_the_cli_restores_and_prints_the_plan_as_show_does(capsys, three):
    code, out, err = cli(capsys, "plan", "restore", three[0].plan_id, "--revision", "1", "--json")
    assert code == 0, err
    got = json.loads(out)
    code, shown, _ = cli(capsys, "plan", "show", three[0].plan_id, "--json")
    assert got == json.loads(shown)
    assert got["revision"] == 4 and [t["code"] for t in got["targets"]] == ["2.2.3"]
    assert got["revisions"][0]["note"] == "Khôi phục phiên bản 1"


@pytest.mark.parametrize(
    ("argv", "lang"),
    [
        (["plan", "restore", "bac-giang-2024", "--revision", "1"], "vi"),
        (["plan", "restore", "khanh-hoa-ke-hoach-lich-su", "--revision", "x"], "en"),
        (["plan", "restore", "khanh-hoa-ke-hoach-lich-su", "--revision", "9"], "vi"),
        (["plan", "revisions", "khong-co-ke-hoach"], "en"),
        (["plan", "revisions", "bac-giang-2024"], "vi"),
    ],
)
def test_the_cli_refuses_with_exit_2(capsys, three, argv, lang):
    code, _out, err = cli(capsys, *argv, "--lang", lang)
    assert code == 2 and err.startswith("Lỗi: " if lang == "vi" else "Error: "), err
    assert Workspace().get_plan(three[0].plan_id).revision == 3  # nothing written


# --- the Plan page's history panel -------------------------------------------------------------


@pytest.fixture
def at(three):
    st.cache_data.clear()
    at = AppTest.from_file("../app.py", default_timeout=90)
    at.query_params["unit"], at.query_params["edition"] = UNIT, str(YEAR)
    at.query_params["plan"] = three[0].plan_id
    at.switch_page("pages/plan.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    yield at
    st.cache_data.clear()


def _history_expander(at):
    return next(e for e in at.expander if e.label.startswith("Lịch sử phiên bản"))


def test_the_page_lists_every_revision(at, three):
    exp = _history_expander(at)
    assert exp.label == "Lịch sử phiên bản (3)"
    (table,) = [d for d in at.dataframe if "Lý do" in d.value.columns]
    df = table.value
    assert list(df["Phiên bản"]) == [3, 2, 1]
    assert list(df["Người lưu"]) == ["Chi", "Bình", "An"]
    assert list(df["Lý do"]) == ["thêm 1.1.1", "nâng mục tiêu", "bản đầu"]
    times = [saved_when(r.saved_at) for r in library.history_of(three[0].plan_id)]
    assert list(df["Lưu lúc (giờ Việt Nam)"]) == times


def test_the_page_compares_two_revisions(at):
    at.selectbox(key="plan_hist_from").set_value(1).run()
    at.selectbox(key="plan_hist_to").set_value(3).run()
    assert not at.exception
    text = " ".join(m.value for m in at.markdown).replace("\\", "")
    assert "Từ phiên bản 1 đến 3" in text
    assert "**mục tiêu 2.2.3: 30 → 45**" in text
    assert f"**Đơn vị chủ trì của 2.2.3: “{DOST}” → “{FIN}”**" in text


def test_the_page_restores_a_revision_as_a_new_one(at, three):
    at.selectbox(key="plan_hist_restore").set_value(1).run()
    at.button(key="plan_hist_restore_make").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("thành phiên bản 4" in s.value for s in at.success)
    stored = Workspace().get_plan(three[0].plan_id)
    assert stored.revision == 4 and stored.codes == ["2.2.3"]
    assert _history_expander(at).label == "Lịch sử phiên bản (4)"


def test_the_history_stays_visible_but_cannot_restore_in_meeting_mode(three):
    st.cache_data.clear()
    at = AppTest.from_file("../app.py", default_timeout=90)
    at.query_params["unit"], at.query_params["edition"] = UNIT, str(YEAR)
    at.query_params["plan"], at.query_params["mode"] = three[0].plan_id, "meeting"
    at.switch_page("pages/plan.py")
    at.run()
    assert not at.exception
    assert _history_expander(at).label == "Lịch sử phiên bản (3)"
    assert not [b for b in at.button if b.key == "plan_hist_restore_make"]
