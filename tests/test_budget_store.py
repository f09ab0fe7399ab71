"""Budget assumption sets in the workspace: they round-trip unchanged, on DuckDB and PostgreSQL."""

from __future__ import annotations

import pytest

from model import budget as bm
from model.workspace import NameTaken, NotFound


def test_an_edited_assumption_set_round_trips_unchanged(store_target, built):
    ws = store_target.new()
    lever = next(lv for lv in bm.Assumptions.default().levers if lv.moveable)
    a = bm.Assumptions.default(budget_bn_per_year=75.0, budget_growth_pct=12.5, peers="drift:0.5")
    a = a.with_lever(lever.code, cost_million_vnd_per_item=123.456)
    ws.save_assumptions("Phương án <b>75 tỷ</b>", a.to_json(), unit=a.unit, edition=a.edition)
    back = bm.Assumptions.from_json(ws.get_assumptions("Phương án <b>75 tỷ</b>"))
    assert back == a
    assert back.to_json() == a.to_json()
    assert ws.list_assumptions("bac-giang") == ["Phương án <b>75 tỷ</b>"]
    assert ws.list_assumptions("ha-noi") == []


def test_names_are_not_overwritten_silently_and_deletes_are_checked(store_target, built):
    ws = store_target.new()
    a = bm.Assumptions.default()
    ws.save_assumptions("A", a.to_json(), unit=a.unit, edition=a.edition)
    with pytest.raises(NameTaken):
        ws.save_assumptions("A", a.to_json(), unit=a.unit, edition=a.edition)
    b = bm.Assumptions.default(budget_bn_per_year=10.0)
    ws.save_assumptions("A", b.to_json(), unit=b.unit, edition=b.edition, overwrite=True)
    assert bm.Assumptions.from_json(ws.get_assumptions("A")) == b
    ws.delete_assumptions("A")
    with pytest.raises(NotFound):
        ws.get_assumptions("A")
    with pytest.raises(NotFound):
        ws.delete_assumptions("A")
