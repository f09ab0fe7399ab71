"""Overview (default page): the selected unit's PII at a glance, where its numbers come from,
its pillars against the country and its region, its neighbours, strengths and weaknesses, the
national ranking and a tile-free map.

Thin on purpose: frame -> model (profile, ranking_table, published results) -> ui.figures
(reductions and figures) -> ui.widgets (rendering). No index arithmetic here.
"""

from __future__ import annotations

from collections import Counter

import pandas as pd
import streamlit as st

from model.framework import PILLARS
from model.merge import parts_of
from model.profile import profile, ranking_table
from model.provenance import all_official
from model.provenance import composite as prov_of
from ui import data, figures, frame
from ui.i18n import num, t, tr
from ui.widgets import (
    Metric,
    badge_md,
    big_metrics,
    chart,
    number_styler,
    prov_text,
    provenance_box,
    small_table,
    source_links,
    tag_md,
)

TEXT: dict[str, dict[str, str]] = {
    "vi": {
        "title": "{unit} · PII {year}",
        "intro": "Kết quả Chỉ số Đổi mới sáng tạo cấp địa phương (PII) năm {year} của {unit} "
        "({region}): điểm, hạng, 7 trụ cột, vị trí so với cả nước và trong vùng.",
        "rank_value": "{rank}/{n}",
        "help_pii": "Điểm tổng hợp 0–100: trung bình cộng của chỉ số phụ đầu vào và chỉ số phụ "
        "đầu ra.",
        "help_rank": "Thứ hạng trong {n} địa phương năm {year} (1 = cao nhất).",
        "help_input": "Trung bình 5 trụ cột đầu vào (thể chế, nhân lực và R&D, hạ tầng, thị "
        "trường, doanh nghiệp).",
        "help_output": "Trung bình 2 trụ cột đầu ra (sản phẩm tri thức – công nghệ, tác động).",
        "help_eff": "Đầu ra chia cho đầu vào. Lớn hơn 1: kết quả đầu ra cao hơn mức nguồn lực "
        "đầu vào.",
        "pub_value": "**{value}**",
        "pub_rank": "**hạng {rank}**",
        "derived": "= đầu ra / đầu vào",
        "eff_label": "Hiệu suất",
        "matches": "khớp",
        "sources": "Nguồn số đã công bố",
        "prov_title": "Nguồn gốc số liệu:",
        "prov_pub": "**Đã công bố** cho {unit} (PII {year}): {items}. Mô hình tái tạo đúng các "
        "số này; những số khác ở cấp tổng hợp là kết quả tính của mô hình.",
        "prov_differs": "**Đã công bố** cho {unit} (PII {year}): {items}. Số liệu chính thức đã "
        "nhập cho kết quả khác ở: {differs}; trang này tính từ số liệu chính thức.",
        "prov_none": "Chưa có số công bố nào về {unit} trong PII {year}: điểm, hạng và các trụ "
        "cột trên trang này là **ước tính tái dựng**, không phải số liệu chính thức.",
        "prov_ind": "Cấp chỉ số ({m} chỉ số của {unit}): {official} **chính thức**, "
        "{published} **đã công bố**, {reconstructed} **ước tính tái dựng**. Giá trị ước tính "
        "tái dựng không phải số liệu chính thức của Bộ KH&CN.",
        "item_pii": "PII {value}",
        "item_rank": "hạng {rank}/{n}",
        "item_input": "đầu vào {value}",
        "item_output": "đầu ra {value}",
        "item_pillar": "trụ cột {pillar}: {value}",
        "item_pillar_rank": "trụ cột {pillar}: hạng {rank}",
        "pillars_title": "7 trụ cột so với cả nước và vùng",
        "legend_median": "Trung vị cả nước",
        "legend_best": "{name} (dẫn đầu vùng)",
        "legend_runner_up": "{name} (thứ 2 trong vùng)",
        "axis_score": "Điểm (0–100)",
        "table_view": "Xem dạng bảng",
        "col_pillar": "Trụ cột",
        "col_median": "Trung vị cả nước",
        "col_published": "Công bố",
        "pillars_alt": "Biểu đồ cột ngang: điểm 7 trụ cột của {unit} so với trung vị cả nước "
        "và {best}. {values}",
        "pillars_alt_item": "{pillar}: {unit} {v}, trung vị {median}, {best} {b}",
        "pillars_caption": "Điểm trụ cột do mô hình tính từ chỉ số; trụ cột có số công bố "
        "được ghi trong bảng.",
        "neighbours_title": "Địa phương liền kề",
        "col_rank": "Hạng",
        "col_unit": "Địa phương",
        "col_gap": "Chênh lệch (điểm)",
        "neighbours_caption": "Chênh lệch = PII của địa phương đó trừ PII của {unit} "
        "(dương: đứng trên).",
        "sw_title": "Điểm mạnh và điểm yếu",
        "strengths": "Điểm mạnh",
        "weaknesses": "Điểm yếu",
        "sw_caption": "Quy tắc GII 2023: điểm mạnh là chỉ số có thứ hạng phần trăm từ mức thứ "
        "10 cao nhất của chính địa phương (hoặc xếp trong top 3 cả nước); điểm yếu tương tự "
        "ở chiều ngược lại. «Vị trí tạm đặt»: vị trí của chỉ số trong khung do nhóm chọn, "
        "chưa được công bố.",
        "col_code": "Mã",
        "col_indicator": "Chỉ số",
        "col_score": "Điểm",
        "col_prov": "Nguồn số liệu",
        "col_note": "Ghi chú",
        "none": "Không có.",
        "map_title": "Bản đồ điểm PII",
        "map_caption": "Chấm đặt theo tọa độ tỉnh lỵ (không phải bản đồ hành chính). Màu và "
        "kích thước theo điểm PII; hình dạng theo vùng – bấm vào chú giải để ẩn/hiện một vùng. "
        "Dòng tô vàng: vùng của {unit}.",
        "map_alt": "Bản đồ chấm của {n} địa phương theo tọa độ, màu theo điểm PII; {unit} "
        "được khoanh đỏ. Bảng xếp hạng và bảng các vùng trên trang chứa cùng số liệu.",
        "map_selected": "Đang chọn",
        "ranking_title": "Bảng xếp hạng toàn quốc",
        "search_label": "Tìm địa phương",
        "search_placeholder": "Nhập tên, ví dụ: Bắc Giang hoặc bac giang",
        "ranking_count": "Đang hiển thị **{shown}/{n}** địa phương · dòng tô vàng: **{unit}**",
        "ranking_caption": "Nguồn PII: «Đã công bố» khi điểm PII của địa phương có trong nguồn "
        "công bố; «Ước tính tái dựng» khi chỉ có kết quả mô hình. Bấm vào tiêu đề cột để sắp "
        "xếp; TC1–TC7: điểm 7 trụ cột (di chuột lên tiêu đề để xem tên).",
        "regions_title": "Sáu vùng kinh tế – xã hội (số địa phương)",
        "col_leader": "Dẫn đầu vùng",
        "col_region_median": "Trung vị vùng",
        "no_match": "Không có địa phương nào khớp với «{query}».",
        "col_region": "Vùng",
        "col_pii_source": "Nguồn PII",
        "pillar_short": "TC{p}",
    },
    "en": {
        "title": "{unit} · PII {year}",
        "intro": "{unit} ({region}) in the {year} Provincial Innovation Index (PII): score, "
        "rank, the 7 pillars, and its position nationally and in its region.",
        "rank_value": "{rank}/{n}",
        "help_pii": "Composite score 0–100: the mean of the input and output sub-indices.",
        "help_rank": "Rank among the {n} units in {year} (1 = highest).",
        "help_input": "Mean of the 5 input pillars (institutions, human capital and R&D, "
        "infrastructure, market, business).",
        "help_output": "Mean of the 2 output pillars (knowledge and technology outputs, impact).",
        "help_eff": "Output divided by input. Above 1: outputs are higher than the input level.",
        "pub_value": "**{value}**",
        "pub_rank": "**rank {rank}**",
        "derived": "= output / input",
        "eff_label": "Efficiency",
        "matches": "matches",
        "sources": "Sources of the published figures",
        "prov_title": "Where the numbers come from:",
        "prov_pub": "**Published** for {unit} (PII {year}): {items}. The model reproduces these "
        "exactly; the other aggregate figures are computed by the model.",
        "prov_differs": "**Published** for {unit} (PII {year}): {items}. The imported official "
        "data give different results for: {differs}; this page computes from the official data.",
        "prov_none": "No published figure for {unit} in PII {year}: the score, rank and "
        "pillars on this page are **reconstructed estimates**, not official data.",
        "prov_ind": "Indicator level ({m} indicators of {unit}): {official} **official**, "
        "{published} **published**, {reconstructed} **reconstructed estimates**. "
        "Reconstructed values are not the Ministry's official data.",
        "item_pii": "PII {value}",
        "item_rank": "rank {rank}/{n}",
        "item_input": "input {value}",
        "item_output": "output {value}",
        "item_pillar": "pillar {pillar}: {value}",
        "item_pillar_rank": "pillar {pillar}: rank {rank}",
        "pillars_title": "The 7 pillars against the country and the region",
        "legend_median": "National median",
        "legend_best": "{name} (leads the region)",
        "legend_runner_up": "{name} (2nd in the region)",
        "axis_score": "Score (0–100)",
        "table_view": "Show as a table",
        "col_pillar": "Pillar",
        "col_median": "National median",
        "col_published": "Published",
        "pillars_alt": "Horizontal bar chart: the 7 pillar scores of {unit} against the "
        "national median and {best}. {values}",
        "pillars_alt_item": "{pillar}: {unit} {v}, median {median}, {best} {b}",
        "pillars_caption": "Pillar scores are computed by the model from the indicators; "
        "published pillar figures are listed in the table.",
        "neighbours_title": "Ranking neighbours",
        "col_rank": "Rank",
        "col_unit": "Province",
        "col_gap": "Gap (points)",
        "neighbours_caption": "Gap = that unit's PII minus the PII of {unit} (positive: "
        "ranked above).",
        "sw_title": "Strengths and weaknesses",
        "strengths": "Strengths",
        "weaknesses": "Weaknesses",
        "sw_caption": "GII 2023 rule: a strength is an indicator whose percentile rank is at or "
        "above the unit's own 10th-highest (or that ranks in the national top 3); weaknesses "
        "likewise from the bottom. “Provisional placement”: the indicator's position in the "
        "framework was chosen by the project and is not published.",
        "col_code": "Code",
        "col_indicator": "Indicator",
        "col_score": "Score",
        "col_prov": "Data source",
        "col_note": "Note",
        "none": "None.",
        "map_title": "PII map",
        "map_caption": "Dots placed at each provincial capital's coordinates (not an "
        "administrative map). Colour and size show the PII; shapes show the region – click the "
        "legend to hide or show a region. Highlighted row: the region of {unit}.",
        "map_alt": "Dot map of the {n} units by coordinates, coloured by PII; {unit} is ringed "
        "in red. The ranking table and the regions table on this page hold the same figures.",
        "map_selected": "Selected",
        "ranking_title": "National ranking",
        "search_label": "Find a province",
        "search_placeholder": "Type a name, e.g. Bac Giang",
        "ranking_count": "Showing **{shown} of {n}** units · highlighted row: **{unit}**",
        "ranking_caption": "PII source: “Published” when the unit's PII was published; "
        "“Reconstructed estimate” when only the model's result exists. Click a column header "
        "to sort; P1–P7: the 7 pillar scores (hover a header for its name).",
        "regions_title": "The six socio-economic regions (number of units)",
        "col_leader": "Regional leader",
        "col_region_median": "Regional median",
        "no_match": "No unit matches “{query}”.",
        "col_region": "Region",
        "col_pii_source": "PII source",
        "pillar_short": "P{p}",
    },
}


def _(key: str, **kw: object) -> str:
    return tr(TEXT, key, **kw)


# --- model --------------------------------------------------------------------------------
f = frame.current()
ed, unit, lang = f.edition, f.unit, f.lang
year = ed.year
p = profile(ed, unit)
table = ranking_table(ed)
facts = figures.published_facts(data.published(year), unit)
n = p["n_units"]
name = ed.name(unit, lang)
name_col = f"name_{lang}"
li = 0 if lang == "vi" else 1
pillar_names = {k: v[li] for k, v in ed.framework.pillar_names.items()}
region_names = dict(zip(ed.regions["code"], ed.regions[name_col], strict=True))
region = region_names.get(ed.region_of(unit), ed.region_of(unit))

# --- header and big numbers ----------------------------------------------------------------
st.title(_("title", unit=name, year=year))
st.markdown(_("intro", unit=name, year=year, region=region))

pii_txt, rank_txt = num(p["pii"], 2), _("rank_value", rank=p["rank"], n=n)


def value_note(key: str, shown: str, value: float) -> str:
    """Under a metric: what the number rests on, with the published value beside it."""
    level, _sep, item = key.partition(":")
    fact = facts.get(key)
    pub = fact["value"] if fact else None
    kind = prov_of(ed, unit, level, item, value, pub)
    if pub is None:
        return badge_md(kind)
    pub_txt = num(pub, 2)
    agree = f" · ✓ {_('matches')}" if pub_txt == shown else f" · ≠ {shown}"
    return f"{badge_md(kind)}  \n{_('pub_value', value=pub_txt)}{agree}"


def rank_note() -> str:
    fact = facts.get("pii")
    kind = "official" if all_official(ed) else None
    if fact and fact["rank"] is not None:
        same = fact["rank"] == p["rank"]
        agree = f" · ✓ {_('matches')}" if same else f" · ≠ {p['rank']}"
        kind = kind or ("published" if same else "reconstructed")
        return f"{badge_md(kind)}  \n{_('pub_rank', rank=fact['rank'])}{agree}"
    return badge_md(kind or "reconstructed")


eff = figures.efficiency(p["output"], p["input"])
big_metrics(
    [
        Metric(t("pii"), pii_txt, _("help_pii"), value_note("pii", pii_txt, p["pii"])),
        Metric(t("rank"), rank_txt, _("help_rank", n=n, year=year), rank_note()),
        Metric(
            t("input"),
            num(p["input"], 2),
            _("help_input"),
            value_note("input", num(p["input"], 2), p["input"]),
        ),
        Metric(
            t("output"),
            num(p["output"], 2),
            _("help_output"),
            value_note("output", num(p["output"], 2), p["output"]),
        ),
        Metric(_("eff_label"), num(eff, 2), _("help_eff"), _("derived")),
    ]
)
urls = list(dict.fromkeys(u for fact in facts.values() for u in fact["sources"]))
if urls:
    st.markdown(source_links(urls, _("sources")))

# --- provenance ----------------------------------------------------------------------------
items = []
if (pf := facts.get("pii")) is not None:
    if pf["value"] is not None:
        items.append(_("item_pii", value=num(pf["value"], 2)))
    if pf["rank"] is not None:
        items.append(_("item_rank", rank=pf["rank"], n=n))
for key in ("input", "output"):
    if key in facts and facts[key]["value"] is not None:
        items.append(_(f"item_{key}", value=num(facts[key]["value"], 2)))
for pil in PILLARS:
    if (fact := facts.get(f"pillar:{pil}")) is not None:
        if fact["value"] is not None:
            items.append(_("item_pillar", pillar=pil, value=num(fact["value"], 2)))
        else:
            items.append(_("item_pillar_rank", pillar=pil, rank=fact["rank"]))
counts = Counter(ind["provenance"] for ind in p["indicators"])
# Published figures the data no longer give (official values imported that contradict them).
shown_values = {"pii": p["pii"], "input": p["input"], "output": p["output"]}
shown_values |= {f"pillar:{k}": v for k, v in p["pillars"].items()}
labels = {"pii": "PII", "input": t("input"), "output": t("output")}
differs = [
    f"{labels.get(key) or t('pillar') + ' ' + key.partition(':')[2]} "
    f"({num(shown_values[key], 2)} ≠ {num(fact['value'], 2)})"
    for key, fact in facts.items()
    if fact["value"] is not None
    and key in shown_values
    and abs(shown_values[key] - fact["value"]) > 0.005
]
provenance_box(
    (
        _("prov_differs", unit=name, year=year, items=", ".join(items), differs="; ".join(differs))
        if differs
        else _("prov_pub", unit=name, year=year, items=", ".join(items))
        if items
        else _("prov_none", unit=name, year=year)
    )
    + "\n\n"
    + _(
        "prov_ind",
        m=len(p["indicators"]),
        unit=name,
        official=counts.get("official", 0),
        published=counts.get("published", 0),
        reconstructed=counts.get("reconstructed", 0),
    ),
    title=_("prov_title"),
    key="overview_provenance",
)

# --- pillars and neighbours ----------------------------------------------------------------
left, right = st.columns([3, 2], gap="medium")
with left:
    st.subheader(_("pillars_title"))
    comp = figures.pillar_comparison(table, unit, pillar_names)
    best_slug, leads = figures.region_best(table, unit)
    best_name = ed.name(best_slug, lang) if best_slug else ""
    best_label = (
        _("legend_runner_up" if leads else "legend_best", name=best_name) if best_slug else ""
    )
    fig = figures.pillar_bars(
        comp,
        {"unit": name, "median": _("legend_median"), "best": best_label, "axis": _("axis_score")},
        lang=lang,
        fmt=lambda v: num(v, 2),
    )
    pillar_table = pd.DataFrame(
        {
            _("col_pillar"): [
                f"{pl}. {nm}" for pl, nm in zip(comp["pillar"], comp["name"], strict=True)
            ],
            name: comp["unit"],
            _("legend_median"): comp["median"],
        }
    )
    numeric = [name, _("legend_median")]
    if best_slug:
        pillar_table[best_label] = comp["best"]
        numeric.append(best_label)
    published_col = [
        (num(fc["value"], 2) if fc["value"] is not None else _("pub_rank", rank=fc["rank"]))
        if (fc := facts.get(f"pillar:{pl}"))
        else ""
        for pl in comp["pillar"]
    ]
    if any(published_col):
        pillar_table[_("col_published")] = published_col
    alt_values = "; ".join(
        _(
            "pillars_alt_item",
            pillar=r.name,
            unit=name,
            v=num(r.unit, 2),
            median=num(r.median, 2),
            best=best_name,
            b=num(r.best, 2),
        )
        for r in comp.itertuples()
    )
    chart(
        fig,
        alt=_("pillars_alt", unit=name, best=best_name, values=alt_values),
        table=number_styler(pillar_table, dict.fromkeys(numeric, 2)),
        table_label=_("table_view"),
        key="overview_pillars",
    )
    st.caption(_("pillars_caption"))

with right:
    st.subheader(_("neighbours_title"))
    nb = figures.neighbours(table, unit, k=2)
    nb_view = pd.DataFrame(
        {
            _("col_rank"): nb["rank"],
            _("col_unit"): nb[name_col],
            t("pii"): nb["pii"],
            _("col_gap"): nb["gap"].where(~nb["is_unit"]),  # blank on the unit's own row
        }
    )
    small_table(
        number_styler(
            nb_view, {t("pii"): 2, _("col_gap"): 2}, signed=[_("col_gap")], highlight=nb["is_unit"]
        )
    )
    st.caption(_("neighbours_caption", unit=name))

# --- strengths and weaknesses --------------------------------------------------------------
st.subheader(_("sw_title"))
by_code = {ind["code"]: ind for ind in p["indicators"]}


def indicator_table(codes: list[str], worst_first: bool) -> None:
    if not codes:
        st.write(_("none"))
        return
    rows = sorted((by_code[c] for c in codes), key=lambda i: i["rank"], reverse=worst_first)
    df = pd.DataFrame(
        {
            _("col_code"): [i["code"] for i in rows],
            _("col_indicator"): [i[name_col] for i in rows],
            _("col_score"): [i["score"] for i in rows],
            _("col_rank"): [f"{i['rank']}/{n}" for i in rows],
            _("col_prov"): [badge_md(i["provenance"]) for i in rows],
            _("col_note"): [
                tag_md(t("framework_provisional"), "violet")
                if i["framework_status"] == "provisional"
                else ""
                for i in rows
            ],
        }
    )
    small_table(number_styler(df, {_("col_score"): 2}))


st.markdown(f"#### {_('strengths')} ({len(p['strengths'])})")
indicator_table(p["strengths"], worst_first=False)
st.markdown(f"#### {_('weaknesses')} ({len(p['weaknesses'])})")
indicator_table(p["weaknesses"], worst_first=True)
st.caption(_("sw_caption"))

# --- national ranking ----------------------------------------------------------------------
st.subheader(_("ranking_title"))
search_col, count_col = st.columns([2, 3], vertical_alignment="bottom")
with search_col:
    query = st.text_input(
        _("search_label"),
        key="rank_search",
        placeholder=_("search_placeholder"),
        type="search",
    )
shown = figures.search(table, query).reset_index(drop=True)
published_pii = figures.published_units(data.published(year))
view = pd.DataFrame(
    {
        "rank": shown["rank"],
        "name": shown[name_col],
        "pii": shown["pii"],
        "input": shown["input"],
        "output": shown["output"],
        "source": [
            prov_text(
                prov_of(ed, u, "pii", value=v, published=published_pii.get(u))
                if u in published_pii
                else prov_of(ed, u, "pii")
            )
            for u, v in zip(shown["unit"], shown["pii"], strict=True)
        ],
        "region": shown["region"].map(region_names),
        **{c: shown[c] for c in figures.PILLAR_COLS},
    }
)
with count_col:
    st.markdown(_("ranking_count", shown=len(view), n=n, unit=name))
if view.empty:
    st.info(_("no_match", query=query))
st.dataframe(
    number_styler(
        view,
        {c: 2 for c in ("pii", "input", "output", *figures.PILLAR_COLS)},
        highlight=shown["unit"] == unit,
    ),
    hide_index=True,
    key="overview_ranking",
    height=min(38 + 35 * max(len(view), 1), 460),
    column_config={
        "rank": st.column_config.NumberColumn(_("col_rank"), width=60),
        "name": st.column_config.TextColumn(_("col_unit"), width=170),
        "pii": st.column_config.NumberColumn(t("pii"), width=80),
        "input": st.column_config.NumberColumn(t("input"), width=80),
        "output": st.column_config.NumberColumn(t("output"), width=80),
        "source": st.column_config.TextColumn(_("col_pii_source"), width=180),
        "region": st.column_config.TextColumn(_("col_region"), width=260),
        **{
            c: st.column_config.NumberColumn(
                _("pillar_short", p=c[1:]), help=pillar_names.get(c[1:]), width=70
            )
            for c in figures.PILLAR_COLS
        },
    },
)
st.caption(_("ranking_caption"))

# --- map -----------------------------------------------------------------------------------
st.subheader(_("map_title"))
map_col, side_col = st.columns([3, 2], gap="medium")
with map_col:
    points = figures.bubble_map_data(table, ed.units, region_names, lang)
    chart(
        figures.bubble_map(
            points,
            unit,
            {
                "score": t("pii"),
                "rank": t("rank"),
                "selected": f"{_('map_selected')}: {name}",
                "n": str(n),
            },
            region_order=list(ed.regions["code"]),
            lang=lang,
        ),
        alt=_("map_alt", n=n, unit=name),
        key="overview_map",
    )
with side_col:
    st.markdown(f"**{_('regions_title')}**")
    summary = figures.region_summary(table, region_names, lang)
    glyph = figures.region_glyphs(list(ed.regions["code"]))
    small_table(
        number_styler(
            pd.DataFrame(
                {
                    t("region"): [
                        f"{glyph.get(c, '')} {r} ({k})"
                        for c, r, k in zip(
                            summary["region"], summary["region_name"], summary["n"], strict=True
                        )
                    ],
                    _("col_leader"): [
                        f"{u} ({num(v, 2)})"
                        for u, v in zip(summary["leader"], summary["leader_pii"], strict=True)
                    ],
                    _("col_region_median"): summary["median"],
                }
            ),
            {_("col_region_median"): 2},
            highlight=summary["region"] == ed.region_of(unit),
        )
    )
    st.caption(_("map_caption", unit=name))

# A 2025 unit made of several 2024 provinces: its parts' 2024 results beside it.
if ed.year == 2025 and len(parts_of(unit, ed)) > 1:
    from ui.merge_view import render_merge

    st.divider()
    render_merge(unit, lang)
