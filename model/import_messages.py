"""The vi/en texts of the importer (model/importer.py): problem messages and template help.

Every key exists in both languages with the same placeholders (tests/test_importer.py checks).
A problem's message is its location ("file, sheet, row, column: ") followed by the body below;
bodies start in lower case and say what is wrong and what was expected.
"""

from __future__ import annotations

LOCATION: dict[str, dict[str, str]] = {
    "vi": {"sheet": "trang «{sheet}»", "row": "dòng {row}", "column": "cột {column}"},
    "en": {"sheet": "sheet “{sheet}”", "row": "row {row}", "column": "column {column}"},
}

MESSAGES: dict[str, dict[str, str]] = {
    # --- the file as a whole ---------------------------------------------------------------
    "empty_file": {
        "vi": "tệp trống (cần một dòng tiêu đề với các cột {expected})",
        "en": "the file is empty (expected a header row with the columns {expected})",
    },
    "too_large": {
        "vi": "tệp nặng {size} MB, vượt giới hạn {limit} MB (hãy chia nhỏ tệp)",
        "en": "the file is {size} MB, above the limit of {limit} MB (split it)",
    },
    "xlsx_too_large": {
        "vi": "khi giải nén, sổ tính nặng {size} MB, vượt giới hạn {limit} MB (hãy chia nhỏ tệp)",
        "en": "uncompressed, the workbook is {size} MB, above the limit of {limit} MB "
        "(split the file)",
    },
    "too_many_rows": {
        "vi": "có hơn {limit} dòng dữ liệu, vượt giới hạn (hãy chia nhỏ tệp)",
        "en": "more than {limit} data rows, above the limit (split the file)",
    },
    "not_text": {
        "vi": "có byte NUL ở vị trí {offset}: đây không phải tệp CSV dạng văn bản "
        "(hãy lưu dưới dạng «CSV UTF-8» hoặc XLSX)",
        "en": "a NUL byte at offset {offset}: this is not a text CSV file "
        "(save it as “CSV UTF-8” or XLSX)",
    },
    "encoding": {
        "vi": "byte {byte} ở vị trí {offset} không hợp lệ trong UTF-8 "
        "(hãy lưu tệp dưới dạng «CSV UTF-8»)",
        "en": "byte {byte} at offset {offset} is not valid UTF-8 (save the file as “CSV UTF-8”)",
    },
    "xls_format": {
        "vi": "định dạng Excel cũ .xls không được hỗ trợ (hãy lưu thành .xlsx hoặc «CSV UTF-8»)",
        "en": "the old Excel .xls format is not supported (save as .xlsx or “CSV UTF-8”)",
    },
    "not_xlsx": {
        "vi": "tên tệp là .xlsx nhưng nội dung không phải sổ tính Excel (cần tệp .xlsx hợp lệ)",
        "en": "the name says .xlsx but the content is not an Excel workbook "
        "(expected a valid .xlsx file)",
    },
    "xlsx_unreadable": {
        "vi": "không đọc được sổ tính Excel ({error}); cần tệp .xlsx hợp lệ",
        "en": "the Excel workbook cannot be read ({error}); expected a valid .xlsx file",
    },
    "csv_syntax": {
        "vi": "lỗi cú pháp CSV ({error}); hãy kiểm tra dấu ngoặc kép",
        "en": "CSV syntax error ({error}); check the quotes",
    },
    "no_data_sheet": {
        "vi": "sổ tính không có trang dữ liệu (cần trang «data» với các cột {expected})",
        "en": "the workbook has no data sheet (expected a sheet “data” with the columns {expected})",
    },
    "no_data_rows": {
        "vi": "không có dòng dữ liệu nào dưới dòng tiêu đề (cần ít nhất một dòng có giá trị)",
        "en": "no data rows under the header (expected at least one row with values)",
    },
    "too_many_problems": {
        "vi": "và còn {n} lỗi khác (hãy sửa các lỗi trên rồi nhập lại)",
        "en": "and {n} more problems (fix the ones above and import again)",
    },
    # --- header ------------------------------------------------------------------------------
    "missing_columns": {
        "vi": "thiếu cột {missing} (các cột cần có: {expected})",
        "en": "missing column(s) {missing} (expected columns: {expected})",
    },
    "duplicate_column": {
        "vi": "tên cột «{name}» xuất hiện hai lần (cả ở cột {other}); mỗi cột cần một tên riêng",
        "en": "the column name “{name}” appears twice (also column {other}); "
        "each column needs its own name",
    },
    "unknown_column": {
        "vi": "cột «{name}» không được đọc (các cột được đọc: {known}; "
        "cột bắt đầu bằng # là cột ghi chú)",
        "en": "the column “{name}” is not read (columns read: {known}; "
        "a column starting with # is a note)",
    },
    "unnamed_column": {
        "vi": "cột không có tên nhưng có giá trị nên không được đọc (cần một tên cột, ví dụ {known})",
        "en": "a column without a name holds values and is not read (expected a column name, "
        "e.g. {known})",
    },
    "extra_cells": {
        "vi": "dòng có nhiều ô hơn dòng tiêu đề ({cells} ô, tiêu đề có {columns} cột)",
        "en": "the row has more cells than the header ({cells} cells, the header has {columns})",
    },
    # --- cells -------------------------------------------------------------------------------
    "missing_value": {
        "vi": "ô trống (cần {expected})",
        "en": "the cell is empty (expected {expected})",
    },
    "unknown_unit": {
        "vi": "«{value}» không phải là đơn vị của kỳ {edition} (cần mã hoặc tên tỉnh/thành, "
        "gần nhất: {suggestions})",
        "en": "“{value}” is not a unit of edition {edition} (expected a province slug or name; "
        "nearest: {suggestions})",
    },
    "unknown_code": {
        "vi": "«{value}» không phải là mã chỉ số của kỳ {edition} (cần mã dạng 2.2.3; "
        "gần nhất: {suggestions})",
        "en": "“{value}” is not an indicator code of edition {edition} (expected a code such as "
        "2.2.3; nearest: {suggestions})",
    },
    "wrong_edition": {
        "vi": "«{value}» không khớp với kỳ đang nhập (cần {edition})",
        "en": "“{value}” does not match the edition being imported (expected {edition})",
    },
    "not_number": {
        "vi": "«{value}» không phải là số (cần một số, ví dụ {example})",
        "en": "“{value}” is not a number (expected a number, e.g. {example})",
    },
    "not_finite": {
        "vi": "«{value}» không phải là số hữu hạn (cần một số, ví dụ {example})",
        "en": "“{value}” is not a finite number (expected a number, e.g. {example})",
    },
    "bad_grouping": {
        "vi": "«{value}»: dấu phân cách hàng nghìn phải chia chữ số thành nhóm ba "
        "(cần ví dụ 1.234,5 hoặc viết không phân cách: 1234,5)",
        "en": "“{value}”: thousands separators must group digits by three "
        "(expected e.g. 1,234.5, or no separator: 1234.5)",
    },
    "ambiguous_number": {
        "vi": "«{value}» không rõ nghĩa: {decimal} (dấu thập phân) hay {thousands} (hàng nghìn)? "
        "(cần viết không có dấu phân cách hàng nghìn, ví dụ {thousands} hoặc {decimal})",
        "en": "“{value}” is ambiguous: {decimal} (decimal separator) or {thousands} (thousands)? "
        "(expected a number without thousands separators, e.g. {thousands} or {decimal})",
    },
    "date_cell": {
        "vi": "Excel lưu ô này dưới dạng ngày tháng ({value}), không phải số "
        "(cần định dạng cột là Số)",
        "en": "Excel stored this cell as a date ({value}), not a number "
        "(expected the column formatted as Number)",
    },
    "score_range": {
        "vi": "điểm {value} nằm ngoài khoảng 0–100 (cần điểm chuẩn hóa từ 0 đến 100)",
        "en": "the score {value} is outside 0–100 (expected a normalised score from 0 to 100)",
    },
    "rank_invalid": {
        "vi": "thứ hạng «{value}» không hợp lệ (cần số nguyên từ 1 đến {n})",
        "en": "the rank “{value}” is invalid (expected a whole number from 1 to {n})",
    },
    "no_value": {
        "vi": "không có cả giá trị thô (raw) lẫn điểm (score) (cần ít nhất một trong hai)",
        "en": "neither a raw value nor a score is given (expected at least one of them)",
    },
    "min_gt_max": {
        "vi": "giá trị nhỏ nhất toàn quốc {min} lớn hơn giá trị lớn nhất {max} (cần min < max)",
        "en": "the national minimum {min} is above the maximum {max} (expected min < max)",
    },
    "min_eq_max": {
        "vi": "min và max đều bằng {min}: không có độ phân tán nên không tính được điểm "
        "(cần min < max)",
        "en": "min and max are both {min}: no spread, so no score can be computed "
        "(expected min < max)",
    },
    "half_goalpost": {
        "vi": "chỉ có một trong hai giá trị min và max (cần cả hai hoặc để trống cả hai)",
        "en": "only one of min and max is given (expected both, or neither)",
    },
    "raw_outside": {
        "vi": "giá trị thô {raw} nằm ngoài khoảng min–max toàn quốc {min}–{max} ghi trong tệp "
        "(cần min ≤ giá trị ≤ max)",
        "en": "the raw value {raw} lies outside the national min–max {min}–{max} given in the file "
        "(expected min ≤ value ≤ max)",
    },
    "raw_outside_current": {
        "vi": "giá trị thô {raw} nằm ngoài khoảng min–max hiện có của kỳ {min}–{max}; "
        "điểm được giới hạn ở {cap}",
        "en": "the raw value {raw} lies outside the edition's current min–max {min}–{max}; "
        "its score is capped at {cap}",
    },
    "contradiction_file": {
        "vi": "điểm {score} mâu thuẫn với giá trị thô {raw}: với min {min} và max {max} ghi trong "
        "tệp, điểm phải là {expected} (±{tol})",
        "en": "the score {score} contradicts the raw value {raw}: with the min {min} and max {max} "
        "given in the file the score must be {expected} (±{tol})",
    },
    "contradiction_edition": {
        "vi": "điểm {score} mâu thuẫn với giá trị thô {raw}: với min {min} và max {max} hiện có "
        "của kỳ, điểm phải là {expected} (±{tol}); hãy ghi min/max toàn quốc (cột min/max hoặc "
        "trang «goalposts») hoặc chỉ nhập một trong hai",
        "en": "the score {score} contradicts the raw value {raw}: with the edition's current min "
        "{min} and max {max} the score must be {expected} (±{tol}); give the national min/max "
        "(min/max columns or sheet “goalposts”) or import only one of the two",
    },
    "several_units": {
        "vi": "hồ sơ chỉ được có một đơn vị, nhưng dòng này ghi «{value}» (các dòng trước: {first})",
        "en": "a profile holds one unit, but this row names “{value}” (earlier rows: {first})",
    },
    "duplicate_row": {
        "vi": "đơn vị {unit}, chỉ số {code} xuất hiện hai lần (cả ở dòng {other}); "
        "cần mỗi cặp một dòng",
        "en": "unit {unit}, indicator {code} is given twice (also on row {other}); "
        "expected one row per pair",
    },
    "duplicate_goalpost": {
        "vi": "chỉ số {code} xuất hiện hai lần (cả ở dòng {other}); cần mỗi chỉ số một dòng",
        "en": "indicator {code} is given twice (also on row {other}); expected one row per indicator",
    },
    # --- warnings ------------------------------------------------------------------------------
    "blank_cell": {
        "vi": "ô trống: không nhập giá trị này",
        "en": "the cell is empty: nothing is imported for it",
    },
    "rows_skipped": {
        "vi": "{n} dòng không có giá trị nào nên được bỏ qua (dòng {rows})",
        "en": "{n} rows hold no values and were skipped (rows {rows})",
    },
    "units_missing": {
        "vi": "{n} đơn vị không có dòng nào (nhập một phần của kỳ): {units}",
        "en": "{n} units have no rows (a partial edition): {units}",
    },
    "codes_missing": {
        "vi": "{n} chỉ số không có giá trị: {codes}",
        "en": "{n} indicators have no value: {codes}",
    },
}

# What a column holds, for messages ("expected ...") and the template's instructions sheet.
EXPECTED: dict[str, dict[str, str]] = {
    "unit": {
        "vi": "mã hoặc tên đơn vị, ví dụ bac-giang",
        "en": "a unit slug or name, e.g. bac-giang",
    },
    "code": {"vi": "mã chỉ số, ví dụ 2.2.3", "en": "an indicator code, e.g. 2.2.3"},
    "edition": {"vi": "năm của kỳ", "en": "the edition year"},
    "raw": {"vi": "giá trị thô của chỉ số", "en": "the indicator's raw value"},
    "score": {"vi": "điểm 0–100", "en": "a score 0–100"},
    "min": {"vi": "giá trị thô nhỏ nhất toàn quốc", "en": "the national minimum raw value"},
    "max": {"vi": "giá trị thô lớn nhất toàn quốc", "en": "the national maximum raw value"},
    "rank": {"vi": "thứ hạng (số nguyên)", "en": "the rank (a whole number)"},
}

INSTRUCTIONS: dict[str, dict[str, str]] = {
    "title_edition": {
        "vi": "Mẫu nhập dữ liệu PII — toàn bộ kỳ {edition}",
        "en": "PII import template — full edition {edition}",
    },
    "title_profile": {
        "vi": "Mẫu nhập dữ liệu PII — hồ sơ một đơn vị, kỳ {edition}",
        "en": "PII import template — one unit's profile, edition {edition}",
    },
    "intro": {
        "vi": "Điền vào trang «data»: mỗi dòng một chỉ số (của một đơn vị). Không đổi tên cột. "
        "Ô để trống nghĩa là không có giá trị. Dòng không có giá trị nào sẽ được bỏ qua.",
        "en": "Fill in the sheet “data”: one row per indicator (of one unit). Do not rename "
        "the columns. An empty cell means not given. Rows with no values are skipped.",
    },
    "numbers": {
        "vi": "Số: dấu phẩy hoặc dấu chấm thập phân (46,51 hoặc 46.51). Nếu dùng dấu phân cách "
        "hàng nghìn thì phải có cả phần thập phân (1.234,5 hoặc 1,234.5). Số như 1,234 "
        "(ba chữ số sau một dấu) không rõ nghĩa và bị từ chối khi cả hai cách đọc đều có thể.",
        "en": "Numbers: decimal comma or point (46,51 or 46.51). With thousands separators, also "
        "write the decimals (1.234,5 or 1,234.5). A number like 1,234 (three digits after a "
        "single separator) is ambiguous and refused when both readings are possible.",
    },
    "notes": {
        "vi": "Cột bắt đầu bằng # (tên chỉ số, đơn vị đo) chỉ để tham khảo và không được đọc.",
        "en": "Columns starting with # (indicator name, unit of measure) are for reference and "
        "are not read.",
    },
    "goalposts": {
        "vi": "Trang «goalposts» (không bắt buộc): min/max toàn quốc của từng chỉ số. "
        "Để trống nếu không có.",
        "en": "Sheet “goalposts” (optional): the national min/max of each indicator. "
        "Leave it empty when unknown.",
    },
    "check": {
        "vi": "Khi có cả giá trị thô và điểm, điểm phải bằng (thô − min)/(max − min) × 100 "
        "(giới hạn 0–100) trong sai số làm tròn.",
        "en": "When both raw value and score are given, the score must equal "
        "(raw − min)/(max − min) × 100 (capped to 0–100) within rounding.",
    },
    "column": {"vi": "Cột", "en": "Column"},
    "meaning": {"vi": "Ý nghĩa", "en": "Meaning"},
    "col_indicator": {"vi": "tên chỉ số (không được đọc)", "en": "indicator name (not read)"},
    "col_measure": {"vi": "đơn vị đo (không được đọc)", "en": "unit of measure (not read)"},
    "col_unit_name": {"vi": "tên đơn vị (không được đọc)", "en": "unit name (not read)"},
    "required": {"vi": "bắt buộc", "en": "required"},
    "optional": {"vi": "không bắt buộc", "en": "optional"},
}
