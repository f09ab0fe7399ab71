"""model/official/importer.py under hypothesis: arbitrary bytes and cells never crash the parser (only a
ParsedImport or ImportRefused), and a mutated good file is either accepted consistently or
refused with problems that name a row and a column."""

from __future__ import annotations

import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from model.official.importer import ImportRefused, ParsedImport, parse, parse_number
from tests.importer_files import PROFILE_HEADER, csv_bytes, profile_rows, xlsx_bytes

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
UNIT = "bac-giang"


@pytest.fixture(scope="module")
def ed(editions):
    return editions[2023]


@pytest.fixture(scope="module")
def good_rows(ed):
    return profile_rows(ed, UNIT)


def _outcome(data: bytes, name: str, ed) -> ParsedImport | ImportRefused:
    try:
        return parse(data, name, ed)
    except ImportRefused as exc:
        for p in exc.problems:
            assert p.message("vi") and p.message("en")
            assert p.message("vi").startswith(name)
        return exc


@SETTINGS
@given(data=st.binary(max_size=3000), name=st.sampled_from(["f.csv", "f.xlsx", "f.txt"]))
def test_arbitrary_bytes_never_crash(ed, data, name):
    assert isinstance(_outcome(data, name, ed), ParsedImport | ImportRefused)


@SETTINGS
@given(tail=st.binary(max_size=2000))
def test_arbitrary_zip_like_bytes_are_refused(ed, tail):
    out = _outcome(b"PK\x03\x04" + tail, "f.xlsx", ed)
    assert isinstance(out, ImportRefused)


CELL_TEXT = st.one_of(
    st.text(max_size=12),
    st.from_regex(r"[+\-\u2212]?[0-9]{0,4}([.,][0-9]{0,4}){0,3}", fullmatch=True),
    st.sampled_from(["", " ", "NaN", "inf", "1,234", "1.000", "Hà Nội", "9.9.9", "0", "-0"]),
)


def _names_row(problems, row: int) -> bool:
    """The mutated row is named: as the problem's row, as the earlier row of a duplicate, or
    (a profile now naming two units) through the rows that differ from the first unit."""
    return any(p.row == row or p.params.get("other") == row for p in problems) or {
        p.msg_id for p in problems
    } == {"import.several_units"}


def _mutate(rows: list[list], k: int, col: str, text: str) -> list[list]:
    rows = [list(r) for r in rows]
    rows[k][PROFILE_HEADER.index(col)] = text
    return rows


@SETTINGS
@given(
    k=st.integers(min_value=0, max_value=51),
    col=st.sampled_from(PROFILE_HEADER),
    text=CELL_TEXT,
)
def test_mutated_csv_cell_is_accepted_consistently_or_refused_with_row_and_column(
    ed, good_rows, k, col, text
):
    data = csv_bytes(PROFILE_HEADER, _mutate(good_rows, k, col, text))
    out = _outcome(data, "p.csv", ed)
    row = k + 2
    if isinstance(out, ImportRefused):
        located = [p for p in out.problems if p.msg_id != "import.too_many_problems"]
        assert located and all(p.row is not None and p.column is not None for p in located)
        assert _names_row(located, row)
        return
    again = parse(data, "p.csv", ed)
    assert again.values.equals(out.values) and again.checksum == out.checksum
    if col in ("raw", "score") and out.values is not None:
        code = good_rows[k][1]
        got = out.values.set_index("code").loc[code, col]
        n = parse_number(text)
        if n is None:
            assert math.isnan(got)
        else:
            assert got == pytest.approx(n.value)


@SETTINGS
@given(
    k=st.integers(min_value=0, max_value=51),
    col=st.sampled_from(PROFILE_HEADER),
    value=st.one_of(
        st.floats(allow_nan=True, allow_infinity=True),
        st.integers(min_value=-(10**6), max_value=10**6),
        st.booleans(),
        st.text(max_size=8).filter(lambda s: s.isprintable()),
        st.none(),
    ),
)
def test_mutated_xlsx_cell_never_crashes_and_names_row_and_column(ed, k, col, value):
    rows = _mutate(profile_rows(ed, UNIT, text=False), k, col, value)
    out = _outcome(xlsx_bytes({"data": [PROFILE_HEADER, *rows]}), "p.xlsx", ed)
    if isinstance(out, ImportRefused):
        located = [p for p in out.problems if p.msg_id != "import.too_many_problems"]
        assert all(p.row is not None and p.column is not None for p in located)
        assert _names_row(located, k + 2)
