"""ui.figures: the reductions and the figures' data (not pixels), on small hand-made tables and
on the real editions."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from model import api
from model.official import store
from ui import charts as scenario_figures
from ui import figures

PILLAR_NAMES = {str(k): f"P{k}" for k in range(1, 8)}


def tiny_table() -> pd.DataFrame:
    """Five units in two regions, already in ranking order."""
    rows = [
        ("a", "Ạ An", "A An", "north", 60.0, 1),
        ("b", "Bắc Bờ", "Bac Bo", "south", 55.0, 2),
        ("c", "Cà Cờ", "Ca Co", "north", 50.0, 3),
        ("d", "Đà Đò", "Da Do", "north", 40.0, 4),
        ("e", "Ê Ế", "E E", "south", 30.0, 5),
    ]
    df = pd.DataFrame(rows, columns=["unit", "name_vi", "name_en", "region", "pii", "rank"])
    df["input"] = df["pii"] - 5
    df["output"] = df["pii"] + 5
    for k in range(1, 8):
        df[f"p{k}"] = df["pii"] + k
    return df


# --- small helpers ------------------------------------------------------------------------


def test_separators_follow_the_language():
    assert figures.separators("vi") == ",."
    assert figures.separators("en") == ".,"


def test_efficiency_is_output_over_input_and_guards_zero():
    assert figures.efficiency(60.55, 32.47) == pytest.approx(60.55 / 32.47)
    assert math.isnan(figures.efficiency(10.0, 0.0))


def test_fold_removes_accents_and_d_stroke():
    assert figures.fold("Bắc Giang") == "bac giang"
    assert figures.fold("Đà Nẵng") == "da nang"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", list("abcde")),
        ("bac", ["b"]),
        ("BẮC", ["b"]),
        ("da do", ["d"]),
        ("co", ["c"]),
        ("zzz", []),
    ],
)
def test_search_matches_any_language_without_accents(query, expected):
    assert figures.search(tiny_table(), query)["unit"].tolist() == expected


def test_wrap_breaks_long_labels_only():
    assert figures.wrap("Thể chế") == "Thể chế"
    wrapped = figures.wrap("Vốn con người và Nghiên cứu và phát triển", 26)
    assert "<br>" in wrapped and wrapped.replace("<br>", " ") == (
        "Vốn con người và Nghiên cứu và phát triển"
    )


# --- reductions ---------------------------------------------------------------------------


def test_region_best_is_the_best_other_unit():
    t = tiny_table()
    assert figures.region_best(t, "c") == ("a", False)
    assert figures.region_best(t, "a") == ("c", True)  # leader: compare with the runner-up
    lonely = t[t["unit"].isin(["a", "b"])]
    assert figures.region_best(lonely, "a") == (None, True)


def test_pillar_comparison_unit_median_best():
    t = tiny_table()
    comp = figures.pillar_comparison(t, "d", PILLAR_NAMES)
    assert comp["pillar"].tolist() == [str(k) for k in range(1, 8)]
    assert comp["name"].tolist() == [f"P{k}" for k in range(1, 8)]
    assert comp["unit"].tolist() == [40.0 + k for k in range(1, 8)]
    assert comp["median"].tolist() == [50.0 + k for k in range(1, 8)]  # median of 5 units
    assert comp["best"].tolist() == [60.0 + k for k in range(1, 8)]  # "a" leads "north"


def test_pillar_comparison_without_a_benchmark_gives_nan():
    t = tiny_table()
    comp = figures.pillar_comparison(t[t["unit"].isin(["a", "b"])], "a", PILLAR_NAMES)
    assert comp["best"].isna().all()


def test_neighbours_centre_and_gap():
    nb = figures.neighbours(tiny_table(), "c", k=2)
    assert nb["unit"].tolist() == list("abcde")
    assert nb["gap"].tolist() == [10.0, 5.0, 0.0, -10.0, -20.0]
    assert nb["is_unit"].tolist() == [False, False, True, False, False]


def test_neighbours_at_the_top_and_bottom():
    assert figures.neighbours(tiny_table(), "a", k=2)["unit"].tolist() == ["a", "b", "c"]
    assert figures.neighbours(tiny_table(), "e", k=1)["unit"].tolist() == ["d", "e"]


def test_region_summary():
    s = figures.region_summary(tiny_table(), {"north": "Bắc", "south": "Nam"}, "vi")
    assert s["region"].tolist() == ["north", "south"]
    assert s["n"].tolist() == [3, 2]
    assert s["leader"].tolist() == ["Ạ An", "Bắc Bờ"]
    assert s["leader_pii"].tolist() == [60.0, 55.0]
    assert s["median"].tolist() == [50.0, 42.5]


def test_region_glyphs_follow_the_marker_order():
    g = figures.region_glyphs(["x", "y", "z"])
    assert g == {"x": "●", "y": "■", "z": "◆"}
    assert len(figures.REGION_GLYPHS) == len(figures.REGION_SYMBOLS)


def published_rows() -> pd.DataFrame:
    cols = [
        "unit",
        "level",
        "item",
        "stat",
        "value",
        "rank",
        "status",
        "use_as_constraint",
        "source",
    ]
    rows = [
        ("a", "pii", "", "value", 60.0, 1.0, "reported", "yes", "https://x.vn/1 ; https://y.vn/2"),
        ("a", "pillar", "3", "value", np.nan, 1.0, "reported", "yes", "https://z.vn"),
        ("a", "input", "", "value", 55.0, np.nan, "reported", "yes", "https://x.vn/1"),
        ("b", "pii", "", "value", 54.0, 3.0, "conflicting", "no", "https://bad.vn"),
        ("c", "pii", "", "value", np.nan, 3.0, "reported", "yes", "note only"),
        ("", "pillar", "1", "national_min", 19.2, np.nan, "reported", "yes", "https://z.vn"),
    ]
    return pd.DataFrame(rows, columns=cols)


def test_published_facts_keeps_only_usable_facts():
    pub = published_rows()
    a = figures.published_facts(pub, "a")
    assert a["pii"] == {"value": 60.0, "rank": 1, "sources": ["https://x.vn/1", "https://y.vn/2"]}
    assert a["pillar:3"] == {"value": None, "rank": 1, "sources": ["https://z.vn"]}
    assert a["input"]["value"] == 55.0 and a["input"]["rank"] is None
    assert figures.published_facts(pub, "b") == {}  # conflicting: not a fact
    assert figures.published_facts(pub, "c") == {"pii": {"value": None, "rank": 3, "sources": []}}
    assert set(figures.published_units(pub)) == {"a"}
    assert figures.published_facts(pd.DataFrame(), "a") == {}


def test_a_published_input_and_output_fix_the_pii():
    """PII = (input + output) / 2 by the framework: both published make it published, marked
    as derived; one alone does not."""
    pub = published_rows()
    extra = pd.DataFrame(
        [
            ("d", "input", "", "value", 36.18, np.nan, "reported", "yes", "https://t.vn/1"),
            ("d", "output", "", "value", 33.60, np.nan, "reported", "yes", "https://t.vn/1"),
        ],
        columns=pub.columns,
    )
    pub = pd.concat([pub, extra], ignore_index=True)
    d = figures.published_facts(pub, "d")["pii"]
    assert d == {
        "value": pytest.approx(34.89),
        "rank": None,
        "sources": ["https://t.vn/1"],
        "derived": True,
    }
    assert figures.published_units(pub)["d"] == pytest.approx(34.89)
    assert "pii" not in figures.published_facts(pub.drop(index=len(pub) - 1), "d")
    assert set(figures.published_units(pub)) == {"a", "d"}


# --- figures ------------------------------------------------------------------------------


def test_pillar_bars_data():
    t = tiny_table()
    comp = figures.pillar_comparison(t, "d", PILLAR_NAMES)
    labels = {"unit": "Đà Đò", "median": "Trung vị", "best": "Ạ An", "axis": "Điểm"}
    fig = figures.pillar_bars(comp, labels, lang="vi", fmt=lambda v: f"{v:.2f}".replace(".", ","))
    assert [tr.name for tr in fig.data] == ["Đà Đò", "Trung vị", "Ạ An"]
    assert list(fig.data[0].x) == comp["unit"].tolist()
    assert list(fig.data[1].x) == comp["median"].tolist()
    assert list(fig.data[2].x) == comp["best"].tolist()
    assert list(fig.data[0].y) == [f"{k}. P{k}" for k in range(1, 8)]
    assert fig.data[0].text[0] == "41,00"  # the label is in the reader's format
    assert fig.layout.separators == ",."
    assert fig.layout.barmode == "group"


def test_pillar_bars_without_benchmark_has_two_series():
    t = tiny_table()
    comp = figures.pillar_comparison(t[t["unit"].isin(["a", "b"])], "a", PILLAR_NAMES)
    fig = figures.pillar_bars(comp, {"unit": "A", "median": "M", "best": ""}, lang="en")
    assert [tr.name for tr in fig.data] == ["A", "M"]
    assert fig.layout.separators == ".,"


def units_coords() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "slug": list("abcde"),
            "lat": [21.0, 10.8, 20.0, 16.0, 9.2],
            "lon": [105.8, 106.7, 106.0, 108.2, 105.2],
        }
    )


def test_bubble_map_data_joins_coordinates_and_names():
    d = figures.bubble_map_data(
        tiny_table(), units_coords(), {"north": "Bắc", "south": "Nam"}, "en"
    )
    assert len(d) == 5
    assert d.loc[d["unit"] == "d", ["name", "region_name", "lat", "lon"]].iloc[0].tolist() == [
        "Da Do",
        "Bắc",
        16.0,
        108.2,
    ]


def test_bubble_map_traces_colour_by_score_and_mark_the_selection():
    d = figures.bubble_map_data(tiny_table(), units_coords(), {"north": "Bắc", "south": "Nam"})
    fig = figures.bubble_map(
        d,
        "c",
        {"score": "PII", "rank": "Hạng", "selected": "Đang chọn"},
        region_order=["north", "south"],
        lang="vi",
    )
    points = [tr for tr in fig.data if tr.x and tr.x[0] is not None and tr.name != "Đang chọn"]
    legend = [tr for tr in fig.data if tr.x and tr.x[0] is None]
    ring = [tr for tr in fig.data if tr.name == "Đang chọn"]
    assert [tr.name for tr in points] == ["Bắc", "Nam"]
    assert all(tr.showlegend is False for tr in points)
    assert [tr.name for tr in legend] == ["Bắc", "Nam"]  # neutral legend entries per region
    assert list(points[0].marker.color) == [60.0, 50.0, 40.0]
    assert list(points[0].x) == [105.8, 106.0, 108.2]  # x is longitude
    assert points[0].marker.symbol != points[1].marker.symbol
    assert len(ring) == 1 and list(ring[0].x) == [106.0] and list(ring[0].y) == [20.0]
    assert [(a.x, a.y, a.text) for a in fig.layout.annotations] == [(106.0, 20.0, "<b>Cà Cờ</b>")]
    assert fig.layout.coloraxis.cmin == 30.0 and fig.layout.coloraxis.cmax == 60.0
    assert fig.layout.yaxis.scaleanchor == "x"  # equal aspect, no tiles
    assert fig.layout.separators == ",."
    assert "/5" in points[0].hovertemplate  # rank shown as r/n


# --- on the real editions -----------------------------------------------------------------


# `editions` (conftest, session): the three editions of the session's reference database,
# built into a temporary PII_DATA_DIR, so api/store calls below read that database too.


def test_real_neighbours_and_benchmark_bac_giang_2023(editions):
    t = api.ranking(2023)
    nb = figures.neighbours(t, "bac-giang")
    assert nb["rank"].tolist() == [9, 10, 11, 12, 13]
    assert nb.loc[nb["is_unit"], "pii"].round(2).tolist() == [46.51]
    best, leads = figures.region_best(t, "bac-giang")
    assert (best, leads) == ("thai-nguyen", False)
    comp = figures.pillar_comparison(t, "bac-giang", PILLAR_NAMES)
    assert comp["median"].tolist() == pytest.approx([t[f"p{k}"].median() for k in range(1, 8)])


def test_real_published_facts_agree_with_the_engine(editions):
    for year in editions:
        t = api.ranking(year).set_index("unit")
        pub = store.published(year)
        for unit in figures.published_units(pub):
            if unit not in t.index:
                continue
            fact = figures.published_facts(pub, unit)["pii"]
            assert round(float(t.loc[unit, "pii"]), 2) == pytest.approx(fact["value"]), (year, unit)


def test_real_bubble_map_has_every_unit(editions):
    for year, ed in editions.items():
        t = api.ranking(year)
        regions = dict(zip(ed.regions["code"], ed.regions["name_vi"], strict=True))
        d = figures.bubble_map_data(t, ed.units, regions)
        assert len(d) == ed.n
        fig = figures.bubble_map(d, t["unit"].iloc[0], {}, list(ed.regions["code"]))
        n_points = sum(len(tr.x) for tr in fig.data if tr.x and tr.x[0] is not None) - 1
        assert n_points == ed.n
        s = figures.region_summary(t, regions)
        assert s["n"].sum() == ed.n


# --- the scenario page's figures (ui.charts) -------------------------------------


def _contrib(n: int) -> pd.DataFrame:
    deltas = [0.3 - 0.015 * k for k in range(n)]
    return pd.DataFrame(
        {"label": [f"{1 + k // 9}.1.{k % 9}" for k in range(n)], "delta_pii": deltas}
    )


def test_waterfall_labels_stay_readable_with_the_whole_plan():
    """Issue 13 item 25: 17 bars at 1280 px shrank the labels to ~7 px. The largest eight are
    drawn, the rest folded into one bar; labels never shrink below 12 px."""
    contrib = _contrib(17)
    fig = scenario_figures.contribution_waterfall(
        contrib, 46.51, "Kịch bản", "Gốc", others_label=lambda n: f"{n} chỉ số khác"
    )
    (trace,) = fig["data"]
    assert len(trace["x"]) == 1 + 8 + 1 + 1  # baseline, eight, the others, the scenario
    assert trace["x"][1:9] == list(contrib["label"][:8]) and trace["x"][9] == "9 chỉ số khác"
    assert sum(trace["y"][1:-1]) == pytest.approx(contrib["delta_pii"].sum(), abs=1e-12)
    assert trace["text"][-1] == f"{46.51 + contrib['delta_pii'].sum():+.2f}".lstrip("+")
    assert trace["textfont"]["size"] >= 12
    assert fig["layout"]["uniformtext"]["minsize"] >= 12
    assert fig["layout"]["uniformtext"]["mode"] == "show"  # never shrunk below the minimum
    few = scenario_figures.contribution_waterfall(_contrib(3), 46.51, "Kịch bản", "Gốc")
    assert few["data"][0]["x"] == ["Gốc", *_contrib(3)["label"], "Kịch bản"]
