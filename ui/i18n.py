"""Vietnamese first, English on request: message catalogues and number formatting.

Shared labels live in COMMON; a page keeps its own catalogue next to its code and looks it up
with `tr(PAGE_TEXT, key)`. Tests check that every key exists in both languages.
"""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

from model import fmt

LANGS = ("vi", "en")
LANG_LABELS = {"vi": "Tiếng Việt", "en": "English"}

COMMON: dict[str, dict[str, str]] = {
    "vi": {
        "app_title": "Mô phỏng Chỉ số Đổi mới sáng tạo cấp địa phương (PII)",
        "app_short": "Mô phỏng PII",
        "language": "Ngôn ngữ",
        "edition": "Năm công bố PII",
        "unit": "Địa phương",
        "scale": "Cách chuẩn hóa",
        "scale_frozen": "Giữ nguyên min–max",
        "scale_renormalize": "Tính lại min–max",
        "scale_help": "Giữ nguyên: ngưỡng min–max của năm gốc không đổi, điểm vượt 100 bị chặn. "
        "Tính lại: min và max được tính lại trên tất cả địa phương như Bộ KH&CN làm mỗi năm.",
        "page_overview": "Tổng quan",
        "page_scenario": "Kịch bản",
        "page_movers": "Chỉ số tác động",
        "page_budget": "Ngân sách",
        "page_plan": "Kế hoạch",
        "page_meeting": "Chế độ họp",
        "page_data": "Dữ liệu",
        "pii": "PII",
        "rank": "Hạng",
        "input": "Đầu vào",
        "output": "Đầu ra",
        "efficiency": "Hiệu suất (đầu ra/đầu vào)",
        "pillar": "Trụ cột",
        "group": "Nhóm",
        "indicator": "Chỉ số",
        "score": "Điểm",
        "raw": "Giá trị",
        "region": "Vùng",
        "points": "điểm",
        "of_n": "trên {n}",
        "prov_official": "Chính thức",
        "prov_published": "Đã công bố",
        "prov_reconstructed": "Ước tính tái dựng",
        "prov_badge": "Số liệu cấp chỉ số là ước tính tái dựng (trừ số chính thức và số đã công bố), khớp "
        "mọi số đã công bố (PII, hạng, trụ cột, bình quân vùng); không phải số liệu chính thức của Bộ KH&CN.",
        "merged_notice": "{old} thuộc {new} sau sáp nhập ngày 1/7/2025; đang hiển thị {new}.",
        "unit_fallback": "Địa phương «{slug}» không có trong năm {edition}; đang hiển thị {name}.",
        "ignored_params": "Một số tham số trong đường dẫn không hợp lệ và đã bị bỏ qua: {items}",
        "db_building": "Đang dựng cơ sở dữ liệu từ nguồn (lần đầu, vài giây)…",
        "db_unavailable": "Không mở được cơ sở dữ liệu PII, nên ứng dụng tạm dừng; dữ liệu đã lưu không bị "
        "ảnh hưởng. Hãy báo quản trị viên. Chi tiết: {msg}",
        "source": "Nguồn",
        "framework_provisional": "vị trí tạm đặt",
        "ro_banner": "Chế độ chỉ xem (họp): các nút lưu, sửa và xóa được ẩn.",
        "ro_hidden": "Chế độ chỉ xem: phần lưu và sửa dữ liệu được ẩn.",
        "ro_toggle": "Chế độ chỉ xem cho cuộc họp",
        "ro_toggle_help": "Ẩn mọi nút lưu, sửa và xóa trong phiên này; đường dẫn có «mode=meeting» "
        "mở thẳng chế độ này.",
        "ro_forced": "Máy chủ này chạy ở chế độ chỉ xem; không thể tắt trong ứng dụng.",
        "ro_data_disabled": "Chế độ chỉ xem: không thể thay đổi dữ liệu.",
        "admin_disabled": "Việc thay đổi dữ liệu (nhập, khôi phục phiên bản) đang tắt trên máy chủ này. "
        "Để bật, quản trị viên đặt khóa `admin_password` trong tệp `.streamlit/secrets.toml` "
        "rồi khởi động lại ứng dụng.",
        "admin_password": "Mật khẩu quản trị",
        "admin_password_help": "Cần mật khẩu quản trị để thay đổi dữ liệu; chỉ ghi nhớ trong phiên này.",
        "admin_unlock": "Mở khóa thay đổi dữ liệu",
        "admin_unlocked": "Đã mở khóa thay đổi dữ liệu trong phiên này.",
        "admin_lock": "Khóa lại",
        "admin_wrong": "Mật khẩu không đúng. Còn {n} lần thử trước khi tạm khóa.",
        "admin_locked": "Nhập sai quá nhiều lần; hãy thử lại sau {s} giây.",
        "chart_data": "Số liệu của biểu đồ",
    },
    "en": {
        "app_title": "Provincial Innovation Index (PII) scenario simulator",
        "app_short": "PII simulator",
        "language": "Language",
        "edition": "PII edition",
        "unit": "Province",
        "scale": "Normalisation",
        "scale_frozen": "Frozen min–max",
        "scale_renormalize": "Recompute min–max",
        "scale_help": "Frozen: the baseline edition's min–max goalposts stay and scores above 100 are "
        "capped. Recompute: min and max are recomputed over all provinces, as the Ministry does each year.",
        "page_overview": "Overview",
        "page_scenario": "Scenario",
        "page_movers": "Movers",
        "page_budget": "Budget",
        "page_plan": "Action plan",
        "page_meeting": "Meeting",
        "page_data": "Data",
        "pii": "PII",
        "rank": "Rank",
        "input": "Input",
        "output": "Output",
        "efficiency": "Efficiency (output/input)",
        "pillar": "Pillar",
        "group": "Group",
        "indicator": "Indicator",
        "score": "Score",
        "raw": "Value",
        "region": "Region",
        "points": "points",
        "of_n": "of {n}",
        "prov_official": "Official",
        "prov_published": "Published",
        "prov_reconstructed": "Reconstructed estimate",
        "prov_badge": "Indicator values are reconstructed estimates (except those marked official or "
        "published) that match every published figure (PII, ranks, pillars, regional averages); they "
        "are not the Ministry's official data.",
        "merged_notice": "{old} is part of {new} since the 1 July 2025 merger; showing {new}.",
        "unit_fallback": "Province “{slug}” is not in the {edition} edition; showing {name}.",
        "ignored_params": "Some link parameters were invalid and have been ignored: {items}",
        "db_building": "Building the database from its sources (first start, a few seconds)…",
        "db_unavailable": "The PII database cannot be opened, so the app has stopped; saved data are "
        "not affected. Please tell the administrator. Details: {msg}",
        "source": "Source",
        "framework_provisional": "provisional placement",
        "ro_banner": "Read-only (meeting) mode: save, edit and delete controls are hidden.",
        "ro_hidden": "Read-only mode: saving and editing are hidden.",
        "ro_toggle": "Read-only mode for the meeting",
        "ro_toggle_help": "Hides every save, edit and delete control in this session; a link with "
        "“mode=meeting” opens in this mode.",
        "ro_forced": "This server runs read-only; it cannot be switched off in the app.",
        "ro_data_disabled": "Read-only mode: data cannot be changed.",
        "admin_disabled": "Data changes (imports, rollbacks) are disabled on this server. To enable "
        "them, the administrator sets the key `admin_password` in `.streamlit/secrets.toml` and "
        "restarts the app.",
        "admin_password": "Admin password",
        "admin_password_help": "Data changes need the admin password; it is remembered for this "
        "session only.",
        "admin_unlock": "Unlock data changes",
        "admin_unlocked": "Data changes are unlocked for this session.",
        "admin_lock": "Lock again",
        "admin_wrong": "Wrong password. {n} attempts left before a pause.",
        "admin_locked": "Too many wrong attempts; try again in {s} seconds.",
        "chart_data": "Chart data",
    },
}


def lang() -> str:
    value = st.session_state.get("lang", "vi")
    return value if value in LANGS else "vi"


def tr(catalogue: Mapping[str, Mapping[str, str]], key: str, **kw: object) -> str:
    text = catalogue.get(lang(), {}).get(key) or catalogue["vi"].get(key) or key
    return text.format(**kw) if kw else text


def t(key: str, **kw: object) -> str:
    return tr(COMMON, key, **kw)


def num(x: float | None, decimals: int = 2, sign: bool = False) -> str:
    return fmt.number(x, lang(), decimals, sign)


def name_of(row: Mapping[str, object]) -> str:
    """The name column in the current language (name_vi / name_en)."""
    return str(row.get(f"name_{lang()}") or row.get("name_vi") or "")
