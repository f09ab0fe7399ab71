"""model/official/importer.py: good files of both kinds and formats parse back to the edition's values; a
generator of bad files, each refused with a message naming its row and column in vi and en."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

import openpyxl
import pytest

from model import i18n
from model.official.importer import (
    MAX_BYTES,
    MAX_ROWS,
    MAX_UNZIPPED_BYTES,
    ImportRefused,
    Problem,
    parse,
    parse_number,
    template_bytes,
    template_columns,
)
from tests.importer_files import (
    EDITION_HEADER,
    PROFILE_HEADER,
    csv_bytes,
    decimals,
    edition_rows,
    indicator_ranks,
    profile_rows,
    read_template,
    vi,
    xlsx_bytes,
)

UNIT = "bac-giang"


@pytest.fixture(scope="module")
def ed(editions):
    return editions[2023]


def _assert_matches_edition(parsed, ed, slugs) -> None:
    """Parsed raw/score equal the edition's values within the printed rounding."""
    dec = decimals(ed.year)
    assert parsed.units == tuple(s for s in ed.slugs if s in slugs)
    assert len(parsed.values) == len(slugs) * ed.framework.m
    for v in parsed.values.itertuples():
        i, j = ed.unit_index(v.unit), ed.framework.index[v.code]
        assert v.raw == pytest.approx(ed.raw[i, j], abs=0.5 * 10.0 ** -dec[v.code] + 1e-12)
        assert v.score == pytest.approx(ed.scores[i, j], abs=0.005 + 1e-12)


# --- numbers ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, value, decimals_",
    [
        ("46.51", 46.51, 2),
        ("46,51", 46.51, 2),
        ("-3,5", -3.5, 1),
        ("\u22123,5", -3.5, 1),
        ("1.234,5", 1234.5, 1),
        ("1,234.5", 1234.5, 1),
        ("1.234.567", 1234567.0, 0),
        ("1,234,567", 1234567.0, 0),
        ("0,125", 0.125, 3),
        ("12", 12.0, 0),
        (" 7,10 ", 7.1, 2),
        (46.51, 46.51, 2),
        (100, 100.0, 0),
    ],
)
def test_number_rule(text, value, decimals_):
    n = parse_number(text)
    assert n.value == pytest.approx(value) and n.decimals == decimals_
    assert n.thousands is None


def test_ambiguous_numbers_keep_both_readings():
    n = parse_number("1,234")
    assert (n.value, n.thousands) == (1.234, 1234.0)
    assert parse_number("1.000").thousands == 1000.0
    assert parse_number("") is None and parse_number(None) is None


# --- good files ------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_profile_good_file(ed, fmt):
    rows = profile_rows(ed, UNIT, text=fmt == "csv")
    data = (
        csv_bytes(PROFILE_HEADER, rows)
        if fmt == "csv"
        else xlsx_bytes({"data": [PROFILE_HEADER, *rows]})
    )
    parsed = parse(data, f"{UNIT}.{fmt}", ed)
    assert parsed.kind == "profile" and parsed.edition == 2023
    _assert_matches_edition(parsed, ed, [UNIT])
    gp = parsed.goalposts.set_index("code")
    assert gp["min_raw"].to_numpy() == pytest.approx(ed.lo, abs=5e-3)
    assert gp["max_raw"].to_numpy() == pytest.approx(ed.hi, abs=5e-3)
    ranks = indicator_ranks(ed)[ed.unit_index(UNIT)]
    assert parsed.ranks["rank"].tolist() == ranks.tolist()
    assert len(parsed.checksum) == 64


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_edition_good_file(editions, fmt):
    ed = editions[2025]  # the 34-unit map: a full edition in fewer rows
    rows = edition_rows(ed, text=fmt == "csv")
    data = (
        csv_bytes(EDITION_HEADER, rows, delimiter=";", bom=True)
        if fmt == "csv"
        else xlsx_bytes({"data": [EDITION_HEADER, *rows]})
    )
    parsed = parse(data, f"pii-2025.{fmt}", ed)
    assert parsed.kind == "edition" and parsed.goalposts is None and parsed.ranks is None
    _assert_matches_edition(parsed, ed, list(ed.slugs))
    # the only notes: the units COINr's treatment winsorised (statistics, issue 21), whose real
    # raw value lies beyond the edition's goalpost and scores 100
    winsorised = int(((ed.provenance == "statistics") & (ed.raw > ed.hi[None, :] + 1e-9)).sum())
    assert winsorised > 0
    assert [w.msg_id for w in parsed.warnings] == ["import.raw_outside_current"] * winsorised
    assert all(w.params["cap"] == 100.0 for w in parsed.warnings)


def _fill_template(ed, kind: str, fmt: str, unit: str | None) -> bytes:
    data = template_bytes(kind, fmt, ed, unit=unit, lang="vi")
    sheets = read_template(data, fmt)
    header, rows = sheets["data"][0], sheets["data"][1:]
    assert tuple(header) == template_columns(kind)
    pos = {h: k for k, h in enumerate(header)}
    dec = decimals(ed.year)
    ranks = indicator_ranks(ed)
    for r in rows:
        i, j = ed.unit_index(r[pos["unit"]]), ed.framework.index[r[pos["code"]]]
        d = dec[r[pos["code"]]]
        vals = {"raw": (ed.raw[i, j], d), "score": (ed.scores[i, j], 2)}
        if kind == "profile":
            vals |= {"min": (ed.lo[j], d), "max": (ed.hi[j], d), "rank": (ranks[i, j], 0)}
        for col, (x, dd) in vals.items():
            r[pos[col]] = vi(x, dd) if fmt == "csv" else round(float(x), dd)
    if fmt == "csv":
        return csv_bytes(header, rows, bom=True)
    return xlsx_bytes(sheets)  # every sheet kept, as a user saving the filled template does


@pytest.mark.parametrize("kind", ["edition", "profile"])
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_template_round_trip(editions, kind, fmt):
    ed = editions[2023 if kind == "profile" else 2025]  # 2025: a full edition in fewer rows
    unit = UNIT if kind == "profile" else None
    parsed = parse(_fill_template(ed, kind, fmt, unit), f"template.{fmt}", ed)
    assert parsed.kind == kind
    _assert_matches_edition(parsed, ed, [UNIT] if unit else list(ed.slugs))


def test_template_instructions_in_each_language(ed):
    for lang in ("vi", "en"):
        wb = openpyxl.load_workbook(io.BytesIO(template_bytes("profile", "xlsx", ed, UNIT, lang)))
        assert wb.sheetnames == ["data", "instructions"]
        text = "\n".join(str(c) for r in wb["instructions"].iter_rows(values_only=True) for c in r)
        assert i18n.gettext(lang, "import.help_numbers") in text
        assert i18n.gettext(lang, "import.help_title_profile", edition=ed.year) in text
        for col in template_columns("profile"):
            assert col in text
        names = [r[2] for r in wb["data"].iter_rows(min_row=2, values_only=True)]
        assert names == [getattr(i, f"name_{lang}") for i in ed.framework.indicators]


def test_edition_template_has_goalposts_sheet(editions):
    ed = editions[2025]
    wb = openpyxl.load_workbook(io.BytesIO(template_bytes("edition", "xlsx", ed)), read_only=True)
    assert wb.sheetnames == ["data", "goalposts", "instructions"]
    codes = [r[0] for r in wb["goalposts"].iter_rows(min_row=2, values_only=True)]
    assert codes == list(ed.framework.codes)
    assert sum(1 for _ in wb["data"].iter_rows(min_row=2)) == ed.n * ed.framework.m
    wb.close()


def test_units_by_name_accents_and_case(ed):
    rows = profile_rows(ed, UNIT)[:3]
    for r, name in zip(rows, ["Bắc Giang", "BAC GIANG", "Tỉnh Bắc Giang"], strict=True):
        r[0] = name
    parsed = parse(csv_bytes(PROFILE_HEADER, rows), "p.csv", ed)
    assert set(parsed.values["unit"]) == {UNIT}
    assert any(w.msg_id == "import.codes_missing" for w in parsed.warnings)


def test_partial_edition_and_goalposts_sheet_and_warnings(ed):
    units = ["bac-giang", "ha-noi"]
    rows = edition_rows(ed, text=False, units=units)
    rows.append(["bac-giang", "1.1.1", None, None])  # nothing given: skipped with a warning
    rows[0][2] = None  # a score only
    gp = [["code", "min", "max"], ["1.1.1", 10.0, 70.0], ["1.1.2", None, None]]
    for r in rows:
        if r[1] == "1.1.1":
            r[2] = None  # keep 1.1.1 score-only so the new goalposts don't contradict
    data = xlsx_bytes({"data": [["unit", "code", "raw", "score", "note"], *rows], "goalposts": gp})
    parsed = parse(data, "part.xlsx", ed)
    assert parsed.units == ("bac-giang", "ha-noi")
    keys = {w.msg_id for w in parsed.warnings}
    assert {"import.units_missing", "import.rows_skipped", "import.unknown_column"} <= keys
    assert parsed.goalposts.to_dict("records") == [
        {"code": "1.1.1", "min_raw": 10.0, "max_raw": 70.0}
    ]


# --- messages --------------------------------------------------------------------------------


def test_message_catalogue_has_both_languages_with_same_placeholders():
    """Every importer sentence (problems, locations, template help) is in both catalogues,
    translated, with the same placeholders."""
    vi, en = (
        {k: v for k, v in i18n.catalogue(lang).items() if k.startswith("import.")}
        for lang in ("vi", "en")
    )
    assert len(vi) > 60 and set(vi) == set(en)
    for key in vi:
        texts = [
            t
            for lang in (vi, en)
            for t in (lang[key] if isinstance(lang[key], tuple) else (lang[key],))
        ]
        assert all(texts), key
        assert len({frozenset(i18n.placeholders(t)) for t in texts}) == 1, key


def test_message_matches_the_documented_example():
    p = Problem(
        "bac-giang.csv", None, 7, "score", "import.not_number", {"value": "12,5x", "example": 46.51}
    )
    assert p.message("vi") == (
        "bac-giang.csv, dòng 7, cột score: «12,5x» không phải là số (cần một số, ví dụ 46,51)"
    )
    assert p.message("en") == (
        "bac-giang.csv, row 7, column score: “12,5x” is not a number (expected a number, e.g. 46.51)"
    )


# --- the bad-file generator ------------------------------------------------------------------


@dataclass(frozen=True)
class Bad:
    data: bytes
    name: str
    msg_id: str  # the problem expected
    row: int
    column: str
    sheet: str | None = None


def _profile(ed, edit: Callable[[list[list]], None], fmt: str = "csv", header=None) -> bytes:
    rows = profile_rows(ed, UNIT, text=fmt == "csv")
    edit(rows)
    header = header or PROFILE_HEADER
    if fmt == "csv":
        return csv_bytes(header, rows)
    return xlsx_bytes({"data": [header, *rows]})


def _row_of(ed, code: str) -> int:
    return ed.framework.index[code] + 2  # header = row 1


def _set(code: str, col: str, value, ed) -> Callable[[list[list]], None]:
    def edit(rows):
        rows[ed.framework.index[code]][PROFILE_HEADER.index(col)] = value

    return edit


def _cell(code, col, value, key, column=None, fmt="csv"):
    def make(ed):
        return Bad(
            _profile(ed, _set(code, col, value, ed), fmt),
            f"{UNIT}.{fmt}",
            key,
            _row_of(ed, code),
            column or col,
            "data" if fmt == "xlsx" else None,
        )

    return make


def _edition_csv(rows_edit, key, row, column, header=EDITION_HEADER, units=("bac-giang",)):
    def make(ed):
        rows = edition_rows(ed, units=list(units))
        rows_edit(rows)
        return Bad(csv_bytes(header, rows), "pii.csv", key, row, column)

    return make


def _extra_cells(ed):
    def edit(rows):
        rows[3].append("stray")

    return Bad(_profile(ed, edit), "p.csv", "import.extra_cells", 5, "H")


def _duplicate_row(ed):
    def edit(rows):
        rows[10][1] = rows[4][1]

    return Bad(_profile(ed, edit), "p.csv", "import.duplicate_row", 12, "code")


def _several_units(ed):
    def edit(rows):
        rows[20][0] = "Hà Nội"

    return Bad(_profile(ed, edit), "p.csv", "import.several_units", 22, "unit")


def _missing_column(ed):
    header = [h for h in PROFILE_HEADER if h != "score"]

    def edit(rows):
        for r in rows:
            del r[3]

    return Bad(_profile(ed, edit, header=header), "p.csv", "import.missing_columns", 1, "score")


def _duplicate_column(ed):
    header = ["unit", "code", "raw", "score", "min", "max", "điểm"]
    return Bad(
        _profile(ed, lambda rows: None, header=header),
        "p.csv",
        "import.duplicate_column",
        1,
        "điểm",
    )


def _encoding(ed):
    rows = profile_rows(ed, UNIT)
    rows[4][0] = "Bắc Giang"
    data = csv_bytes(PROFILE_HEADER, rows).replace("Bắc".encode(), "B\xe1c".encode("latin-1"))
    return Bad(data, "p.csv", "import.encoding", 6, "unit")


def _nul(ed):
    rows = profile_rows(ed, UNIT)
    rows[2][2] = "1\x000"
    return Bad(csv_bytes(PROFILE_HEADER, rows), "p.csv", "import.not_text", 4, "raw")


def _contradiction(ed):
    j = ed.framework.index["2.1.1"]
    score = ed.scores[ed.unit_index(UNIT), j]
    value = vi(score + 5 if score < 90 else score - 5, 2)
    return _cell("2.1.1", "score", value, "import.contradiction_file")(ed)


def _raw_outside(ed):
    j = ed.framework.index["1.1.2"]
    return _cell("1.1.2", "raw", vi(ed.hi[j] + 1, 2), "import.raw_outside")(ed)


def _no_value(ed):
    def edit(rows):
        rows[6][2] = rows[6][3] = ""

    return Bad(_profile(ed, edit), "p.csv", "import.no_value", 8, "raw")


def _edition_contradiction(ed):
    def edit(rows):
        score = float(rows[0][3].replace(",", "."))
        rows[0][3] = vi(score + 30 if score < 50 else score - 30, 2)

    return _edition_csv(edit, "import.contradiction_edition", 2, "score")(ed)


def _edition_wrong_year(ed):
    header = [*EDITION_HEADER, "edition"]

    def edit(rows):
        for r in rows:
            r.append("2023")
        rows[9][4] = "2024"

    return _edition_csv(edit, "import.wrong_edition", 11, "edition", header=header)(ed)


def _goalposts_sheet(min_, max_, key, column):
    def make(ed):
        rows = edition_rows(ed, text=False, units=["bac-giang"])
        for r in rows:
            r[2] = None  # scores only: the goalposts sheet's values are checked on their own
        gp = [["code", "min", "max"], ["1.1.1", 1.0, 2.0], ["1.1.2", min_, max_]]
        data = xlsx_bytes({"data": [EDITION_HEADER, *rows], "goalposts": gp})
        return Bad(data, "e.xlsx", key, 3, column, "goalposts")

    return make


def _goalpost_raw_outside(ed):
    rows = edition_rows(ed, text=False, units=["bac-giang"])
    gp = [["code", "min", "max"], ["1.1.1", 0.0, 1.0]]
    for r in rows:
        if r[1] != "1.1.1":
            continue
        r[2], r[3] = 5.0, None
    data = xlsx_bytes({"data": [EDITION_HEADER, *rows], "goalposts": gp})
    return Bad(data, "e.xlsx", "import.raw_outside", 2, "raw", "data")


def _date_cell(ed):
    return _cell("3.1.1", "raw", dt.datetime(2023, 5, 1), "import.date_cell", fmt="xlsx")(ed)


def _bool_cell(ed):
    return _cell("3.1.2", "score", True, "import.not_number", fmt="xlsx")(ed)


def _xlsx_score_range(ed):
    return _cell("5.1.1", "score", 120.0, "import.score_range", fmt="xlsx")(ed)


def _blank_unit_edition(ed):
    def edit(rows):
        rows[5][0] = ""

    return _edition_csv(edit, "import.missing_value", 7, "unit")(ed)


def _unknown_unit_edition(ed):
    def edit(rows):
        rows[8][0] = "Bac Giangg"

    return _edition_csv(edit, "import.unknown_unit", 10, "unit")(ed)


BAD: dict[str, Callable] = {
    "score-not-a-number": _cell("1.1.3", "score", "12,5x", "import.not_number"),
    "score-nan": _cell("1.2.1", "score", "NaN", "import.not_finite"),
    "raw-inf": _cell("1.2.2", "raw", "inf", "import.not_finite"),
    "score-above-100": _cell("1.2.3", "score", "100,5", "import.score_range"),
    "score-negative": _cell("1.2.4", "score", "-3", "import.score_range"),
    "raw-text": _cell("2.1.2", "raw", "không có", "import.not_number"),
    "raw-percent": _cell("2.1.3", "raw", "12,5%", "import.not_number"),
    "raw-bad-grouping": _cell("2.2.1", "raw", "1.23,4", "import.bad_grouping"),
    "raw-two-decimal-marks": _cell("2.2.4", "raw", "1,2,3", "import.bad_grouping"),
    "raw-overflows-to-infinity": _cell("2.2.2", "raw", "9" * 400, "import.not_finite"),
    "raw-ambiguous": _cell("4.1.1", "raw", "1,234", "import.ambiguous_number"),
    "min-ambiguous": _cell("4.1.1", "min", "1.500", "import.ambiguous_number"),
    "unknown-unit": _cell("1.1.1", "unit", "Bắc Giangg", "import.unknown_unit"),
    "unknown-code": _cell("3.1.3", "code", "9.9.9", "import.unknown_code"),
    "code-blank": _cell("3.2.1", "code", "", "import.missing_value"),
    "unit-blank": _cell("3.2.2", "unit", "", "import.missing_value"),
    "min-above-max": _cell("4.1.2", "min", "999", "import.min_gt_max"),
    "min-equals-max": _cell("4.1.3", "min", "40,00", "import.min_eq_max", column="max"),
    "max-blank": _cell("4.2.1", "max", "", "import.half_goalpost"),
    "min-not-a-number": _cell("4.2.2", "min", "—", "import.not_number"),
    "rank-zero": _cell("4.3.1", "rank", "0", "import.rank_invalid"),
    "rank-fraction": _cell("4.3.2", "rank", "2,5", "import.rank_invalid"),
    "rank-too-large": _cell("5.1.2", "rank", "64", "import.rank_invalid"),
    "rank-text": _cell("5.1.3", "rank", "nhất", "import.not_number"),
    "contradiction": _contradiction,
    "raw-outside-min-max": _raw_outside,
    "no-raw-no-score": _no_value,
    "extra-cells": _extra_cells,
    "duplicate-row": _duplicate_row,
    "several-units": _several_units,
    "missing-column": _missing_column,
    "duplicate-column": _duplicate_column,
    "encoding-latin1": _encoding,
    "nul-byte": _nul,
    "edition-contradiction": _edition_contradiction,
    "edition-wrong-year": _edition_wrong_year,
    "edition-blank-unit": _blank_unit_edition,
    "edition-unknown-unit": _unknown_unit_edition,
    "goalposts-min-above-max": _goalposts_sheet(9.0, 3.0, "import.min_gt_max", "min"),
    "goalposts-min-equals-max": _goalposts_sheet(5.0, 5.0, "import.min_eq_max", "max"),
    "goalposts-not-a-number": _goalposts_sheet("x", 3.0, "import.not_number", "min"),
    "goalposts-raw-outside": _goalpost_raw_outside,
    "xlsx-date-cell": _date_cell,
    "xlsx-bool-cell": _bool_cell,
    "xlsx-score-above-100": _xlsx_score_range,
}


def test_generator_makes_at_least_30_distinct_bad_files(ed):
    files = {BAD[k](ed).data for k in BAD}
    assert len(files) == len(BAD) >= 30


@pytest.mark.parametrize("case", list(BAD))
def test_bad_file_is_refused_naming_row_and_column(ed, case):
    bad = BAD[case](ed)
    with pytest.raises(ImportRefused) as exc:
        parse(bad.data, bad.name, ed)
    problems = exc.value.problems
    hit = [p for p in problems if p.msg_id == bad.msg_id]
    assert hit, [p.message("en") for p in problems]
    p = hit[0]
    assert (p.row, p.column, p.sheet) == (bad.row, bad.column, bad.sheet)
    sheet_vi = f"trang «{bad.sheet}», " if bad.sheet else ""
    sheet_en = f"sheet “{bad.sheet}”, " if bad.sheet else ""
    assert p.message("vi").startswith(f"{bad.name}, {sheet_vi}dòng {bad.row}, cột {bad.column}: ")
    assert p.message("en").startswith(f"{bad.name}, {sheet_en}row {bad.row}, column {bad.column}: ")
    for q in problems:  # every problem renders in both languages without a placeholder left
        for lang in ("vi", "en"):
            assert not re.search(r"\{\w+\}", q.message(lang))


# --- whole-file problems (no row/column to name beyond the file itself) ------------------------


def _too_many_rows(ed) -> bytes:
    body = "\n".join(f"{UNIT},1.1.1,,1" for _ in range(MAX_ROWS + 1))
    return ("unit,code,raw,score\n" + body + "\n").encode()


def _tall_blank_sheet(ed) -> bytes:
    """A profile followed by a long run of blank rows and one stray row far below."""
    rows = profile_rows(ed, UNIT, text=False)
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("data")
    for r in [PROFILE_HEADER, *rows]:
        ws.append(r)
    for _ in range(MAX_ROWS + 5):
        ws.append([])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_blank_rows_do_not_count_as_data_rows(ed):
    parsed = parse(_tall_blank_sheet(ed), "tall.xlsx", ed)
    assert len(parsed.values) == ed.framework.m


def _zip_bomb(ed) -> bytes:
    """A small zip whose content unpacks to more than the importer's limit."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
            chunk = b"\0" * 1_000_000
            for _ in range(MAX_UNZIPPED_BYTES // len(chunk) + 1):
                f.write(chunk)
    return buf.getvalue()


FILE_LEVEL: dict[str, tuple[Callable, str, str]] = {
    "empty": (lambda ed: b"", "e.csv", "import.empty_file"),
    "only-bom-and-blanks": (lambda ed: b"\xef\xbb\xbf \r\n\n", "e.csv", "import.empty_file"),
    "header-only": (lambda ed: b"unit,code,raw,score\n", "e.csv", "import.no_data_rows"),
    "too-large": (
        lambda ed: b"unit,code,raw,score\n" + b" " * MAX_BYTES,
        "e.csv",
        "import.too_large",
    ),
    "too-many-rows": (_too_many_rows, "e.csv", "import.too_many_rows"),
    "old-xls": (
        lambda ed: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64,
        "e.xls",
        "import.xls_format",
    ),
    "xlsx-name-text-content": (lambda ed: b"unit,code\n", "e.xlsx", "import.not_xlsx"),
    "zip-bomb": (_zip_bomb, "bomb.xlsx", "import.xlsx_too_large"),
    "corrupt-zip": (lambda ed: b"PK\x03\x04garbage", "e.xlsx", "import.xlsx_unreadable"),
    "csv-unclosed-quote": (
        lambda ed: b'unit,code,raw,score\nbac-giang,1.1.1,"1,5\n',
        "e.csv",
        "import.csv_syntax",
    ),
    "xlsx-empty-data-sheet": (lambda ed: xlsx_bytes({"data": []}), "e.xlsx", "import.empty_file"),
}


@pytest.mark.parametrize("case", list(FILE_LEVEL))
def test_whole_file_problems_are_refused(ed, case):
    make, name, key = FILE_LEVEL[case]
    with pytest.raises(ImportRefused) as exc:
        parse(make(ed), name, ed)
    keys = [p.msg_id for p in exc.value.problems]
    assert key in keys, keys
    for p in exc.value.problems:
        assert p.message("vi").startswith(name) and p.message("en").startswith(name)


def test_problems_are_capped_with_a_count_of_the_rest(ed):
    rows = [[UNIT, "1.1.1", "x", ""] for _ in range(300)]
    with pytest.raises(ImportRefused) as exc:
        parse(csv_bytes(EDITION_HEADER, rows), "many.csv", ed)
    problems = exc.value.problems
    assert len(problems) == 201 and problems[-1].msg_id == "import.too_many_problems"
    assert problems[-1].params["n"] == 300 - 200 + 299  # 300 not-numbers + 299 duplicates


def _words(text: str) -> set[str]:
    return set(re.findall(r"[^\W\d_]+", text.lower()))


@pytest.mark.parametrize(
    "case", ["score-not-a-number", "goalposts-not-a-number", "min-above-max", "contradiction"]
)
def test_a_problem_reads_in_one_language(ed, case):
    """A Vietnamese problem message holds no English word and an English one no Vietnamese,
    apart from what the file itself says (its name, sheet, column header, cell values)."""
    bad = BAD[case](ed)
    with pytest.raises(ImportRefused) as exc:
        parse(bad.data, bad.name, ed)
    p = next(q for q in exc.value.problems if q.msg_id == bad.msg_id)
    own = _words(" ".join([p.file, p.sheet or "", p.column or "", *map(str, p.params.values())]))
    own |= {"min", "max"}  # the columns' names, written as such in both languages ("min < max")
    vi_text, en_text = p.message("vi"), p.message("en")
    vi_words, en_words = _words(vi_text) - own, _words(en_text) - own
    assert vi_words and en_words
    assert not vi_words & en_words, vi_words & en_words
    assert any(c in vi_text for c in "ăâđêôơưạảấầẩậắằẳặẹẻẽếềểệịọỏốồổộớờởợụủứừửựỳỷỹ")
    assert all(w.isascii() for w in en_words), en_words
    assert {"row", "column", "expected", "number"} & en_words
    assert not {"row", "column", "expected", "number", "the", "is", "not"} & vi_words


def test_refusal_and_template_errors_are_localized(ed):
    with pytest.raises(ImportRefused) as exc:
        parse(b"unit,code,raw,score\n", "e.csv", ed)
    refused = exc.value
    assert isinstance(refused, i18n.LocalizedError) and refused.msg_id == "import.refused"
    vi_text = i18n.render(refused, "vi")
    assert vi_text.startswith("e.csv: tệp bị từ chối vì có 1 lỗi\ne.csv, ")
    assert str(refused).startswith("e.csv: the file was refused because of 1 problem\ne.csv, ")
    with pytest.raises(ValueError) as exc:
        template_bytes("plan", "csv", ed)
    assert isinstance(exc.value, i18n.LocalizedError)
    assert "«plan»" in exc.value.render("vi") and "“plan”" in str(exc.value)


# --- issue 13: scientific notation, the template's edition and unit, the columns message -------


@pytest.mark.parametrize(
    "text, value, decimals_",
    [
        ("8E-2", 0.08, 2),
        ("1e-3", 0.001, 3),
        ("1,5E-3", 0.0015, 4),
        ("1.5e+3", 1500.0, 0),
        ("-2,5E1", -25.0, 0),
        ("7,25E0", 7.25, 2),
        (" 4,63E-02 ", 0.0463, 4),
    ],
)
def test_scientific_notation_as_excel_writes_it(text, value, decimals_):
    n = parse_number(text)
    assert n.value == pytest.approx(value) and n.decimals == decimals_
    assert n.thousands is None


@pytest.mark.parametrize(
    "text, msg_id",
    [
        ("1e999", "import.not_finite"),
        ("-1E400", "import.not_finite"),
        ("1e" + "9" * 5000, "import.not_finite"),
        ("1e", "import.not_number"),
        ("e5", "import.not_number"),
        ("1,234,5e3", "import.not_number"),
        ("1E2.5", "import.not_number"),
    ],
)
def test_scientific_notation_must_be_a_finite_number(text, msg_id):
    from model.official.importer import CellError

    with pytest.raises(CellError) as exc:
        parse_number(text)
    assert exc.value.msg_id == msg_id


def test_a_profile_written_in_scientific_notation_parses(ed):
    i = ed.unit_index(UNIT)
    rows = profile_rows(ed, UNIT)
    for j, r in enumerate(rows):
        r[2] = f"{ed.raw[i, j]:.4E}".replace(".", ",")  # "4,6300E-02", as Excel shows it
    parsed = parse(csv_bytes(PROFILE_HEADER, rows), "sci.csv", ed)
    _assert_matches_edition(parsed, ed, [UNIT])


@pytest.mark.parametrize("kind", ["edition", "profile"])
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_template_says_its_edition_and_unit(editions, kind, fmt):
    ed = editions[2025 if kind == "edition" else 2024]
    unit = UNIT if kind == "profile" else None
    sheets = read_template(template_bytes(kind, fmt, ed, unit=unit, lang="vi"), fmt)
    header, rows = sheets["data"][0], sheets["data"][1:]
    assert "edition" in header
    assert {str(r[header.index("edition")]) for r in rows} == {str(ed.year)}
    if kind == "profile":
        assert {r[header.index("unit")] for r in rows} == {UNIT}


def test_instructions_say_what_the_edition_and_unit_columns_are(ed):
    for lang in ("vi", "en"):
        wb = openpyxl.load_workbook(io.BytesIO(template_bytes("profile", "xlsx", ed, UNIT, lang)))
        text = "\n".join(str(c) for r in wb["instructions"].iter_rows(values_only=True) for c in r)
        assert i18n.gettext(lang, "import.help_meta") in text


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_template_of_another_edition_is_refused_with_one_clear_problem(editions, fmt):
    """Bắc Giang's 2024 profile template, filled in, imported into 2023 (issue 13, item 2)."""
    data = _fill_template(editions[2024], "profile", fmt, UNIT)
    assert parse(data, f"ho-so.{fmt}", editions[2024]).file_edition == 2024
    with pytest.raises(ImportRefused) as exc:
        parse(data, f"ho-so.{fmt}", editions[2023])
    problems = exc.value.problems
    assert [p.msg_id for p in problems] == ["import.file_edition"]
    for lang in ("vi", "en"):
        text = problems[0].message(lang)
        assert "2024" in text and "2023" in text


def test_a_profile_of_another_unit_is_refused_when_a_unit_is_the_target(editions):
    ed = editions[2023]
    data = _fill_template(ed, "profile", "csv", UNIT)
    assert parse(data, "p.csv", ed, unit=UNIT).units == (UNIT,)
    with pytest.raises(ImportRefused) as exc:
        parse(data, "p.csv", ed, unit="lang-son")
    problems = exc.value.problems
    assert [p.msg_id for p in problems] == ["import.file_unit"]
    assert "Bắc Giang" in problems[0].message("vi") and "Lạng Sơn" in problems[0].message("vi")
    assert "Bắc Giang" in problems[0].message("en")  # names keep diacritics in English
    # A whole edition is no one unit's: the unit target does not apply to it.
    e25 = editions[2025]
    whole = parse(_fill_template(e25, "edition", "csv", None), "e.csv", e25, unit="lang-son")
    assert whole.kind == "edition"


def test_an_old_file_without_an_edition_column_takes_the_target_edition(ed):
    parsed = parse(csv_bytes(PROFILE_HEADER, profile_rows(ed, UNIT)), "old.csv", ed)
    assert parsed.edition == ed.year and parsed.file_edition is None


@pytest.mark.parametrize(
    "header, required, optional",
    [
        ("unit,value2", "unit, code, raw / score", "edition"),
        ("unit,code,raw,min,max", "unit, code, raw, score, min, max", "rank, edition"),
    ],
)
def test_the_missing_columns_message_lists_edition_as_optional(ed, header, required, optional):
    with pytest.raises(ImportRefused) as exc:
        parse(f"{header}\nbac-giang,1,2,3,4\n".encode(), "e.csv", ed)
    p = next(q for q in exc.value.problems if q.msg_id == "import.missing_columns")
    assert f"required columns: {required}; optional: {optional}" in p.message("en")
    assert f"các cột bắt buộc: {required}; không bắt buộc: {optional}" in p.message("vi")
