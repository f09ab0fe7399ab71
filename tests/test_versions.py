"""Official data in: an import becomes a version every reader uses; a rollback brings the old
numbers back; a refused file changes nothing, byte for byte."""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from model import api
from model.__main__ import main
from model.index.engine import aggregate, denormalise, normalise
from model.index.scenario import Scenario
from model.official import edition as edition_view
from model.official import importer, versions

UNIT = "bac-giang"
YEAR = 2024


def profile_csv(
    ed,
    unit: str,
    bump: dict[str, float] | None = None,
    goalposts: dict[str, tuple[float, float]] | None = None,
) -> bytes:
    """A profile as the Ministry prints it: raw, score, national min and max per indicator.

    Scores are the current ones (plus `bump` points for some codes), raw values follow from the
    goalposts and are rounded as printed; the printed score is recomputed from the rounded raw
    so the row is self-consistent.
    """
    u = ed.unit_index(unit)
    rows = []
    for k, code in enumerate(ed.framework.codes):
        lo, hi = (goalposts or {}).get(code, (float(ed.lo[k]), float(ed.hi[k])))
        d = ed.framework.direction[k]
        score = float(np.clip(ed.scores[u, k] + (bump or {}).get(code, 0.0), 0, 100))
        raw = round(float(denormalise(np.array(score), lo, hi, d)), 4)
        score = round(float(np.clip(normalise(np.array(raw), lo, hi, d), 0, 100)), 2)
        rows.append({"unit": unit, "code": code, "raw": raw, "score": score, "min": lo, "max": hi})
    buf = io.StringIO()
    pd.DataFrame(rows).to_csv(buf, index=False)
    return buf.getvalue().encode("utf-8")


def digest(path: Path) -> str | None:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else None


@pytest.fixture
def ws(built, fresh_workspace, fresh_store):
    versions.forget_head()
    yield fresh_workspace
    versions.forget_head()


def test_profile_import_is_used_everywhere_then_rolled_back(ws, built):
    before = edition_view.load_edition(YEAR)
    assert versions.head() == 0
    bump = {"2.2.3": 10.0, "6.3.3": 20.0}
    data = profile_csv(before, UNIT, bump)
    parsed = importer.parse(data, "ho-so-bac-giang-2024.csv", before)

    res = versions.apply_import(parsed, author="Sở KH&CN", note="hồ sơ PII 2024")
    assert res.version is not None and res.version.id == versions.head(fresh=True)
    after = edition_view.load_edition(YEAR)
    u = after.unit_index(UNIT)
    assert set(after.provenance[u]) == {"official"}
    want = parsed.values.set_index("code")["score"]
    got = pd.Series(after.scores[u], index=after.framework.codes)
    assert np.allclose(got[want.index], want, atol=1e-9)
    # The composite every page shows is computed from the official scores.
    pii = aggregate(after.framework, after.scores).pii[u]
    out = api.run(Scenario(unit=UNIT, edition=YEAR))
    assert out.summary()["baseline"]["pii"] == pytest.approx(pii)
    assert pii > before.baseline().pii[u]  # two indicators went up
    # Another unit's values: re-solved or kept, never marked official.
    other = after.unit_index("ha-noi")
    assert "official" not in set(after.provenance[other])

    # The merged 2025 view labels Bắc Giang's 2024 composite by what it now rests on.
    from model import merge

    sbs = merge.side_by_side("bac-ninh", [after, edition_view.load_edition(2025)]).set_index(
        "level"
    )
    assert sbs.loc["pii", "bac-giang_2024_provenance"] == "official"
    assert sbs.loc["pii", "bac-giang_2024"] == pytest.approx(pii)

    report = res.report
    assert report["official_cells"] >= 52
    assert report["constraints"] > 0 and report["met"] <= report["constraints"]

    rb = versions.rollback(0, author="test", note="undo")
    assert rb.kind == "rollback" and rb.restores == 0
    back = edition_view.load_edition(YEAR)
    assert np.array_equal(back.scores, before.scores, equal_nan=True)
    assert np.array_equal(back.provenance, before.provenance)
    assert [v.kind for v in versions.versions()] == ["import", "rollback"]

    diff = versions.compare(res.version.id, rb.id, YEAR)
    assert set(diff.loc[diff["unit"] == UNIT, "code"]) == set(before.framework.codes)
    # Rolling forward again restores the import exactly.
    versions.rollback(res.version.id)
    again = edition_view.load_edition(YEAR)
    assert np.array_equal(again.scores, after.scores, equal_nan=True)


def test_same_values_only_change_provenance(ws):
    """Official numbers equal to the estimates: nothing but their provenance moves."""
    ed = edition_view.load_edition(YEAR)
    parsed = importer.parse(profile_csv(ed, UNIT), "same.csv", ed)
    res = versions.apply_import(parsed, dry_run=True)
    assert res.version is None
    assert res.solved.method == "official-cells-only"
    assert set(res.changes["unit"]) == {UNIT}
    assert (res.changes["new_provenance"] == "official").all()
    assert res.solved.failed.empty


def test_contradicting_profile_reports_facts_no_longer_met(ws):
    """Official values that contradict a published total win, and the report names it."""
    ed = edition_view.load_edition(YEAR)
    bump = {code: 15.0 for code in ed.framework.codes[:20]}
    parsed = importer.parse(profile_csv(ed, UNIT, bump), "higher.csv", ed)
    res = versions.apply_import(parsed, dry_run=True)
    failed = res.report["failed"]
    assert any(f["unit"] == UNIT and f["level"] == "pii" for f in failed)
    pii = res.solved.edition.baseline().pii[ed.unit_index(UNIT)]
    published = next(f for f in failed if f["unit"] == UNIT and f["level"] == "pii")
    assert published["published"] == pytest.approx(43.53)  # Bắc Giang 2024, published.csv
    assert published["reproduced"] == pytest.approx(pii)


def test_a_profile_sets_the_editions_goalposts(ws):
    """The profile prints the national min and max: they become the edition's goalposts, and
    every other province's estimated raw value follows its score under them."""
    ed = edition_view.load_edition(YEAR)
    j = ed.framework.index["2.2.1"]
    new = (float(ed.lo[j]) - 1.0, float(ed.hi[j]) + 2.0)
    parsed = importer.parse(profile_csv(ed, UNIT, goalposts={"2.2.1": new}), "gp.csv", ed)
    res = versions.apply_import(parsed)
    assert res.goalposts[["code", "new_min", "new_max"]].values.tolist() == [["2.2.1", *new]]
    after = edition_view.load_edition(YEAR)
    assert (after.lo[j], after.hi[j]) == new
    assert versions.goalpost_provenance(YEAR)["2.2.1"] == "official"
    other = after.unit_index("ha-noi")
    assert after.provenance[other, j] == "reconstructed"
    assert after.raw[other, j] == pytest.approx(
        float(denormalise(after.scores[other, j], *new, after.framework.direction[j]))
    )


def test_second_import_keeps_the_first(ws):
    ed = edition_view.load_edition(YEAR)
    versions.apply_import(importer.parse(profile_csv(ed, UNIT), "a.csv", ed))
    ed1 = edition_view.load_edition(YEAR)
    versions.apply_import(importer.parse(profile_csv(ed1, "lang-son"), "b.csv", ed1))
    ed2 = edition_view.load_edition(YEAR)
    for unit in (UNIT, "lang-son"):
        assert set(ed2.provenance[ed2.unit_index(unit)]) == {"official"}
    # Rolling back to the first version drops only the second unit's official values.
    versions.rollback(1)
    ed3 = edition_view.load_edition(YEAR)
    assert set(ed3.provenance[ed3.unit_index(UNIT)]) == {"official"}
    assert "official" not in set(ed3.provenance[ed3.unit_index("lang-son")])


def test_full_edition_import_needs_no_estimates(ws):
    ed = edition_view.load_edition(2023)
    rows = [
        {"unit": s, "code": c, "score": round(float(ed.scores[u, k]), 2)}
        for u, s in enumerate(ed.slugs)
        for k, c in enumerate(ed.framework.codes)
    ]
    buf = io.StringIO()
    pd.DataFrame(rows).assign(raw="").to_csv(buf, index=False)
    parsed = importer.parse(buf.getvalue().encode(), "ca-ky-2023.csv", ed)
    res = versions.apply_import(parsed)
    assert res.solved.method == "complete"
    new = edition_view.load_edition(2023)
    assert set(new.provenance.reshape(-1)) == {"official"}
    # Rounded to two decimals, the published PII of Hà Nội (62.86, published.csv) still holds.
    assert new.baseline().pii[new.unit_index("ha-noi")] == pytest.approx(62.86, abs=0.01)
    assert edition_view.load_edition(YEAR).provenance.tolist() == ed_prov(YEAR)


def ed_prov(year: int) -> list:
    return edition_view.load_edition(year, version=0).provenance.tolist()


def test_unknown_rollback_target_is_refused(ws):
    with pytest.raises(versions.DataChangeError, match="valid versions: 0"):
        versions.rollback(7)


# ---- the CLI, as a new user runs it -----------------------------------------------------------
def test_cli_import_versions_rollback(ws, built, tmp_path, capsys):
    ed = edition_view.load_edition(YEAR)
    f = tmp_path / "ho-so.csv"
    f.write_bytes(profile_csv(ed, UNIT, {"2.2.3": 10.0}))
    ref = built.path

    assert main(["import", str(f), "--edition", "2024", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "Chạy thử" in out
    assert not ws.exists()  # a dry run creates nothing

    assert main(["import", str(f), "--edition", "2024", "--note", "KH 2024"]) == 0
    assert "phiên bản 1" in capsys.readouterr().out
    assert main(["versions", "--json"]) == 0
    import json

    listed = json.loads(capsys.readouterr().out)
    assert listed["current"] == 1
    assert listed["versions"][0]["note"] == "KH 2024"
    assert listed["versions"][0]["checksum"] == hashlib.sha256(f.read_bytes()).hexdigest()

    ref_before = digest(ref)
    assert main(["rollback", "0"]) == 0
    assert versions.head(fresh=True) == 2
    assert digest(ref) == ref_before  # the embedded data are never written
    assert main(["rollback", "abc", "--lang", "en"]) == 2
    assert "a version is a number" in capsys.readouterr().err


def bad_files(ed) -> list[tuple[str, bytes]]:
    """Every refused file of the importer's generator (tests/test_importer.py) for edition
    `ed`, plus a few made here: together far more than 30 distinct bad files."""
    from tests.test_importer import BAD, FILE_LEVEL

    files = [(f"{k}-{BAD[k](ed).name}", BAD[k](ed).data) for k in BAD]
    files += [(f"{k}-{name}", make(ed)) for k, (make, name, _) in FILE_LEVEL.items()]
    good = "unit,code,raw,score,min,max\nbac-giang,1.1.1,5,12.76,0,40\n"
    files += [
        ("empty.csv", b""),
        ("no-columns.csv", b"a,b\n1,2\n"),
        # Windows-1258, as Excel saves "CSV" on a Vietnamese Windows: ă + combining acute.
        ("cp1258.csv", "unit,code,raw,score\nB\u0103\u0301c Giang,1.1.1,5,1\n".encode("cp1258")),
        ("sql.csv", good.replace("bac-giang", "x'); DROP TABLE dataset_versions; --").encode()),
    ]
    return files


def test_cli_refuses_every_bad_file_and_changes_nothing(ws, built, tmp_path, capsys):
    """A workspace that already holds a version; each refused file leaves it, and the
    reference database, byte for byte as they were."""
    from model.workspace import close_all

    ed = edition_view.load_edition(2023)
    versions.apply_import(importer.parse(profile_csv(ed, "lang-son"), "first.csv", ed))
    close_all()
    before = (digest(ws), digest(built.path))
    files = bad_files(ed)
    assert len({data for _, data in files}) >= 30
    for name, data in files:
        f = tmp_path / name
        f.write_bytes(data)
        assert main(["import", str(f), "--edition", "2023"]) == 2, name
        err = capsys.readouterr().err
        assert name in err or "Lỗi" in err, name
        close_all()
        assert (digest(ws), digest(built.path)) == before, name
    assert [v.id for v in versions.versions()] == [1]


KILLED_WRITER = """
import sys, numpy as np, pandas as pd
from model.workspace import Workspace
n = int(sys.argv[1])
values = pd.DataFrame({
    "unit": [f"u{i // 52}" for i in range(n)], "code": [f"{i % 52}.1.1" for i in range(n)],
    "score": np.linspace(0, 100, n), "raw": np.linspace(1, 2, n), "provenance": "official"})
ws = Workspace()
print("ready", flush=True)
while True:
    ws.add_dataset_version("import", edition=2024, file_name="x.csv", checksum="0" * 64,
                           values=values)
"""


def test_a_process_killed_while_importing_leaves_whole_versions(fresh_workspace, tmp_path):
    """SIGKILL a writer in the middle of its imports, again and again: every version present
    has its complete snapshot, and no snapshot row belongs to a version that is not there."""
    import os
    import random
    import signal
    import subprocess
    import sys
    import time

    import duckdb

    from model.workspace import Workspace, close_all

    n = 63 * 52
    script = tmp_path / "writer.py"
    script.write_text(KILLED_WRITER, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    rng = random.Random(7)
    for _ in range(4):
        proc = subprocess.Popen(
            [sys.executable, str(script), str(n)], env=env, stdout=subprocess.PIPE, text=True
        )
        assert proc.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0.2, 1.5))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        close_all()
        ws = Workspace()
        listed = ws.dataset_versions()
        for v in listed:
            assert v.n_values == n and len(ws.dataset_values(v.id)) == n
        # No orphan rows: every snapshot row's version is listed.
        close_all()
        con = duckdb.connect(str(fresh_workspace), read_only=True)
        try:
            rows = con.execute("SELECT DISTINCT version_id FROM dataset_values").fetchall()
            ids = {r[0] for r in rows}
        finally:
            con.close()
        assert ids == {v.id for v in listed}
        close_all()
    assert listed, "the writer committed at least one version before a kill"


def test_import_and_rollback_through_a_postgresql_store(built, pg_url, fresh_store, monkeypatch):
    """The national deployment: versions live in PostgreSQL, every reader follows them."""
    monkeypatch.setenv("PII_STORE_URL", pg_url)
    versions.forget_head()
    try:
        ed = edition_view.load_edition(YEAR)
        parsed = importer.parse(profile_csv(ed, UNIT, {"2.2.3": 10.0}), "pg.csv", ed)
        res = versions.apply_import(parsed, author="pg")
        assert res.version.id == versions.head(fresh=True)
        after = edition_view.load_edition(YEAR)
        assert set(after.provenance[after.unit_index(UNIT)]) == {"official"}
        versions.rollback(0)
        back = edition_view.load_edition(YEAR)
        assert np.array_equal(back.scores, ed.scores, equal_nan=True)
    finally:
        versions.forget_head()


# ---- issue 13: official values are never replaced silently; a rollback that changes nothing -----
def _bg_2223(ed) -> tuple[int, int]:
    return ed.unit_index(UNIT), ed.framework.index["2.2.3"]


def bg_2023_csv(ed, score_223: str | None = None) -> bytes:
    """Bắc Giang's 2023 profile as printed (the official scores, raw values with their printed
    decimals); `score_223` replaces the score of 2.2.3 (its raw value then left blank)."""
    from tests.importer_files import PROFILE_HEADER, csv_bytes, profile_rows

    rows = profile_rows(ed, UNIT)
    if score_223 is not None:
        r = rows[ed.framework.index["2.2.3"]]
        r[2], r[3] = "", score_223
    return csv_bytes(PROFILE_HEADER, rows)


def test_official_values_that_would_change_are_listed_and_need_a_confirmation(ws):
    """Bắc Giang's official 2.2.3 of 2023 (2.43, the seed plan) raised by a profile."""
    ed = edition_view.load_edition(2023)
    u, j = _bg_2223(ed)
    assert ed.provenance[u, j] == "official"
    parsed = importer.parse(bg_2023_csv(ed, "8,00"), "bg.csv", ed)
    dry = versions.apply_import(parsed, dry_run=True)
    off = dry.official
    assert list(zip(off["unit"], off["code"], strict=True)) == [(UNIT, "2.2.3")]
    assert off["old_score"].iloc[0] == pytest.approx(ed.scores[u, j])
    listed = dry.report["official_changes"]
    assert [(c["unit"], c["code"]) for c in listed] == [(UNIT, "2.2.3")]
    assert listed[0]["new_score"] == pytest.approx(8.0)

    with pytest.raises(versions.OfficialOverwrite) as exc:
        versions.apply_import(parsed, author="x")
    assert list(exc.value.cells["code"]) == ["2.2.3"]
    assert "2.2.3" in exc.value.render("vi") and "2.2.3" in str(exc.value)
    assert not ws.exists() and versions.head(fresh=True) == 0  # nothing written

    res = versions.apply_import(parsed, author="x", replace_official=True)
    assert res.version.id == 1
    stored = versions.report_of(versions.versions()[0])
    assert [(c["unit"], c["code"]) for c in stored["official_changes"]] == [(UNIT, "2.2.3")]
    after = edition_view.load_edition(2023)
    assert after.scores[u, j] == pytest.approx(8.0)


def test_the_same_official_values_need_no_confirmation(ws):
    """Bắc Giang's 2023 profile as it stands (official values within their printed rounding)."""
    ed = edition_view.load_edition(2023)
    parsed = importer.parse(bg_2023_csv(ed), "same-2023.csv", ed)
    res = versions.apply_import(parsed)
    assert res.version.id == 1 and res.official.empty
    assert res.report["official_changes"] == []


def test_cli_replace_official_is_needed_and_the_cells_are_listed(ws, tmp_path, capsys):
    ed = edition_view.load_edition(2023)
    f = tmp_path / "bg.csv"
    f.write_bytes(bg_2023_csv(ed, "8,00"))
    assert main(["import", str(f), "--edition", "2023", "--dry-run", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "1 official value would change" in out and "bac-giang 2.2.3" in out
    assert "--replace-official" in out
    assert main(["import", str(f), "--edition", "2023", "--lang", "en"]) == 2
    err = capsys.readouterr().err
    assert "bac-giang 2.2.3" in err and "--replace-official" in err
    assert not ws.exists()  # nothing written
    assert main(["import", str(f), "--edition", "2023", "--replace-official"]) == 0
    assert "phiên bản 1" in capsys.readouterr().out
    assert main(["import", str(f), "--edition", "2023", "--dry-run", "--json"]) == 0
    import json

    assert json.loads(capsys.readouterr().out)["official_changes"] == []  # now the same


def test_cli_refuses_a_template_of_another_edition_or_unit(ws, built, tmp_path, capsys):
    ed24 = edition_view.load_edition(2024)
    f = tmp_path / "mau-2024.csv"
    assert (
        main(
            ["template", "--kind", "profile", "--unit", UNIT, "--edition", "2024", "--out", str(f)]
        )
        == 0
    )
    capsys.readouterr()
    rows = profile_csv(ed24, UNIT).decode().splitlines()
    # The template's own rows (with its edition column) filled from a profile of 2024.
    import csv as _csv

    values = {r["code"]: r for r in _csv.DictReader(rows)}
    tpl = list(_csv.reader(f.read_text(encoding="utf-8-sig").splitlines()))
    head = tpl[0]
    for r in tpl[1:]:
        v = values[r[head.index("code")]]
        for col in ("raw", "score", "min", "max"):
            r[head.index(col)] = v[col]
    buf = io.StringIO()
    _csv.writer(buf).writerows(tpl)
    f.write_text(buf.getvalue(), encoding="utf-8")
    before = digest(built.path)
    assert main(["import", str(f), "--edition", "2023", "--dry-run"]) == 2
    err = capsys.readouterr().err
    assert "kỳ 2024" in err and "kỳ 2023" in err
    assert main(["import", str(f), "--edition", "2024", "--unit", "lang-son", "--lang", "en"]) == 2
    err = capsys.readouterr().err
    assert "Lạng Sơn" in err and "Bắc Giang" in err
    assert not ws.exists() and digest(built.path) == before
    assert main(["import", str(f), "--edition", "2024", "--unit", UNIT]) == 0
    assert versions.head(fresh=True) == 1


def test_a_rollback_to_the_current_state_does_nothing(ws, capsys):
    """`model rollback 0` when the embedded data are already current (issue 13, item 24)."""
    assert main(["rollback", "0", "--lang", "en"]) == 0
    assert "already current" in capsys.readouterr().out
    assert not ws.exists() or versions.versions() == []
    ed = edition_view.load_edition(YEAR)
    versions.apply_import(importer.parse(profile_csv(ed, UNIT), "a.csv", ed))
    assert main(["rollback", "0"]) == 0
    capsys.readouterr()
    assert versions.head(fresh=True) == 2
    assert versions.same_state(0, 2) and not versions.same_state(1, 2)
    assert main(["rollback", "0", "--lang", "en"]) == 0  # version 2 holds version 0's data
    assert "already current" in capsys.readouterr().out
    with pytest.raises(versions.AlreadyCurrent):
        versions.rollback(0)
    assert [v.id for v in versions.versions()] == [1, 2]  # no new, empty version


def test_import_report_notes_are_messages_in_the_readers_language():
    """The re-solve's notes were English sentences stored in the report (architecture issue):
    they are stored as ids with parameters and read in either language; an old report's plain
    text is shown as it is."""
    stored = {"id": "versions.note_rank", "params": {"unit": "bac-giang", "code": "2.2.3",
                                                     "published": 12, "got": 14}}  # fmt: skip
    vi = versions.note_message(stored).render("vi")
    en = versions.note_message(stored).render("en")
    assert "hạng đã công bố 12" in vi and "published rank 12, data give 14" in en
    assert versions.note_message("an old note") == "an old note"


def test_a_note_naming_a_province_is_stored_and_read_in_either_language():
    """Build notes name a province in both languages (i18n.Name): an import whose re-solve
    gave such a note failed ("Object of type Name is not JSON serializable") and nothing was
    imported. It is stored as {"vi", "en"} and read back in the reader's language."""
    from model.i18n import Name, msg

    note = msg("reconstruct.note_led_fewer", edition=2024, unit=Name("Hải Phòng", "Hai Phong"), n=3)
    stored = json.loads(json.dumps({"id": note.msg_id, "params": versions._plain(note.params)}))
    assert "Hải Phòng" in versions.note_message(stored).render("vi")
    assert "Hai Phong" in versions.note_message(stored).render("en")
