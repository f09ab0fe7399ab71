"""Scenario: set targets, see the PII and rank they buy. Widgets -> Scenario -> model -> render."""

from __future__ import annotations

import functools
from urllib.parse import urlencode

import pandas as pd
import streamlit as st

from model import api, fmt
from model.framework import PILLARS
from model.scenario import Scenario, ScenarioError
from model.workspace import NameTaken, NotFound, Workspace, WorkspaceError
from ui import access, data, frame
from ui import scenario_state as state
from ui.i18n import _, lang, name_of, num
from ui.scenario_figures import contribution_waterfall, pillars_before_after
from ui.widgets import badge_md, md_text

f = frame.current()
ed, unit = f.edition, f.unit
fw = ed.framework
u = ed.unit_index(unit)
plan = data.plan()
plan_here = plan.unit == unit and unit in ed.slugs and ed.year in (2023, 2024)
plan_codes = plan.codes if plan_here else []

st.subheader(_("scenario.title", unit=f.unit_name))
st.caption(_("scenario.baseline_note", unit=f.unit_name, year=ed.year))


def _preset(name: str) -> None:
    base = Scenario(
        unit=unit,
        edition=ed.year,
        peers=state.peers_spec(),
        scale=f.scale,
        target_year=state.target_year(ed),
    )
    state.apply(api.preset(name, base), ed)


def _load_saved(name: str) -> None:
    try:
        saved = Workspace().get_scenario(name)
    except WorkspaceError as exc:
        st.session_state["_flash"] = ("error", str(exc))
        return
    state.apply(saved.scenario, ed)


flash = st.session_state.pop("_flash", None)
if flash:
    getattr(st, flash[0])(flash[1])

# ---- presets ---------------------------------------------------------------------------------
cols = st.columns([1, 1, 3])
cols[0].button(
    _("scenario.preset_baseline"),
    on_click=_preset,
    args=("baseline",),
    key="preset_baseline",
    width="stretch",
)
cols[1].button(
    _("scenario.preset_plan"),
    on_click=_preset,
    args=("plan-2024",),
    key="preset_plan",
    type="primary",
    disabled=not plan_here,
    help=_("scenario.preset_plan_help"),
    width="stretch",
)
if not plan_here:
    cols[2].caption(_("scenario.plan_other_unit"))

left, right = st.columns([5, 6], gap="large")


# ---- sliders ---------------------------------------------------------------------------------
@functools.lru_cache(maxsize=4096)
def _label(value: float, language: str) -> str:
    return fmt.number(value, language, 2)


def _slider(code: str) -> None:
    ind = fw.indicator(code)
    base = state.baseline_value(ed, unit, code)
    name = ind.name_vi if lang() == "vi" else ind.name_en
    lead = plan.lead_of(code) if code in plan_codes else None
    # Plain text: the label is also the slider's accessible name, read aloud without markup.
    label = f"{code} · {name}" + (f" — {lead}" if lead else "")
    language = lang()
    value = st.select_slider(
        label,
        state.options(base),
        value=base,
        key=state.slider_key(code),
        format_func=lambda v: _label(v, language),
        persist_state="session",
        on_change=state.overrides().pop,
        args=(code, None),
        help=_("scenario.slider_help", base=num(base)),
    )
    over = state.overrides().get(code)
    shown = over if over is not None else value
    raw = float(ed.score_to_raw(code, shown))
    unit_label = ind.unit_vi if lang() == "vi" else ind.unit_en
    target = plan.target_of(code) if lead else None
    if target:
        st.caption(
            _(
                "scenario.raw_caption_plan",
                raw=num(raw),
                unit=unit_label,
                base=num(base),
                target=target.target_text,
            )
        )
    else:
        st.caption(_("scenario.raw_caption", raw=num(raw), unit=unit_label, base=num(base)))


def _apply_raw() -> None:
    raw = st.session_state.get("raw_value")
    if raw is None:
        return
    err = state.set_raw(ed, unit, st.session_state["raw_code"], float(raw))
    if err:
        st.session_state["_flash"] = ("error", err)


def _clear_overrides() -> None:
    for code in list(state.overrides()):
        state.overrides().pop(code)
        st.session_state[state.slider_key(code)] = state.baseline_value(ed, unit, code)


def scenario_codes() -> set[str]:
    return {c for c, _x in state.current(ed, unit, f.scale).targets}


# A link's targets (and preset) are applied once, before the sliders exist.
if not st.session_state.get("_t_link_applied"):
    st.session_state["_t_link_applied"] = True
    link = frame.link_values()
    for key in ("peers", "drift", "year"):
        if key in link:
            st.session_state[key] = link[key]
    if link.get("preset") == "plan-2024" and plan_here:
        _preset("plan-2024")
    elif "t" in link:
        state.apply_link(ed, unit, str(link["t"]))

with left:
    # The sliders scroll inside their own box so the result stays in view beside them.
    with st.container(height=640, border=False, key="sliders_box"):
        if plan_codes:
            st.subheader(_("scenario.plan_section"))
            for code in plan_codes:
                _slider(code)
        st.subheader(_("scenario.other_section"))
        # One pillar's sliders at a time: the others keep their values (persist_state).
        pillar = st.segmented_control(
            _("common.pillar"),
            list(PILLARS),
            default="1",
            key="pillar_shown",
            required=True,
            format_func=lambda p: f"{p}",
            help=_("scenario.pillar_pick_help"),
        )
        pname = fw.pillar_names.get(pillar, (pillar, pillar))[0 if lang() == "vi" else 1]
        targeted = scenario_codes()
        changed = [c for c in fw.codes if c not in plan_codes and c in targeted]
        st.markdown(f"**{_('common.pillar')} {pillar} · {pname}**")
        for group in [g for g in fw.groups if g.startswith(f"{pillar}.")]:
            codes = [c for c in fw.codes_in(group=group) if c not in plan_codes]
            if not codes:
                continue
            gname = fw.group_names.get(group, (group, group))[0 if lang() == "vi" else 1]
            with st.expander(f"{_('common.group')} {group} · {gname}", expanded=True):
                for code in codes:
                    _slider(code)
        if changed:
            st.caption(_("scenario.changed_elsewhere", codes=", ".join(changed)))

    with st.expander(_("scenario.type_raw")):
        with st.form("raw_form", border=False):
            st.selectbox(
                _("scenario.raw_indicator"),
                fw.codes,
                key="raw_code",
                format_func=lambda c: (
                    f"{c} · {fw.indicator(c).name_vi if lang() == 'vi' else fw.indicator(c).name_en}"
                ),
            )
            st.number_input(
                _("scenario.raw_value"),
                value=None,
                key="raw_value",
                help=_("scenario.type_raw_help"),
                format="%.4f",
            )
            st.form_submit_button(_("scenario.apply"), on_click=_apply_raw)
    if state.overrides():
        items = ", ".join(f"{c} = {num(v)}" for c, v in state.overrides().items())
        st.info(_("scenario.overrides", items=items))
        st.button(_("scenario.clear_overrides"), key="clear_overrides", on_click=_clear_overrides)

    with st.expander(_("scenario.assumptions"), expanded=False):
        kind = st.segmented_control(
            _("scenario.peers"),
            list(state.PEERS),
            default="static",
            key="peers",
            format_func={
                "static": _("scenario.peers_static"),
                "drift": _("scenario.peers_drift"),
                "trend": _("scenario.peers_trend"),
            }.get,
            required=True,
        )
        if kind == "drift":
            st.number_input(
                _("scenario.drift"),
                -20.0,
                20.0,
                value=state.DEFAULT_DRIFT,
                step=0.1,
                key="drift",
            )
        years = list(range(ed.year + 1, 2031))
        if st.session_state.get("year") not in years:
            st.session_state["year"] = years[0]
        st.selectbox(_("scenario.year"), years, key="year")

# ---- result ----------------------------------------------------------------------------------
scenario = state.current(ed, unit, f.scale)
try:
    out = api.run(scenario)
except ScenarioError as exc:
    right.warning(_("scenario.scenario_error", msg=exc))
    st.stop()

frame.write_link(
    {
        "t": state.encode_targets(scenario) or None,
        "peers": None if scenario.peers == "static" else scenario.peers.split(":", 1)[0],
        "drift": scenario.drift or None,
        "year": None if scenario.target_year == ed.year + 1 else scenario.target_year,
        "preset": None,
    }
)

b, r = out.baseline, out.result
with right:
    st.subheader(_("scenario.results"))
    m = st.columns(2) + st.columns(2)

    def _delta(new: float, old: float) -> str | None:
        return num(new - old, sign=True) if abs(new - old) >= 0.005 else None

    m[0].metric(_("scenario.pii_delta"), num(r.pii[u]), _delta(r.pii[u], b.pii[u]), border=True)
    moved = int(b.rank[u] - r.rank[u])
    m[1].metric(
        _("scenario.rank_delta"),
        f"{int(r.rank[u])}/{ed.n}",
        _("scenario.ranks_up", n=num(moved, 0, sign=True)) if moved else None,
        border=True,
    )
    m[2].metric(_("common.input"), num(r.input[u]), _delta(r.input[u], b.input[u]), border=True)
    m[3].metric(_("common.output"), num(r.output[u]), _delta(r.output[u], b.output[u]), border=True)
    kinds = {
        k: int((ed.provenance[u] == k).sum()) for k in ("official", "published", "reconstructed")
    }
    st.markdown(
        badge_md("reconstructed" if kinds["reconstructed"] else "official")
        + " "
        + _("scenario.prov_scenario", **kinds),
        help=_("common.prov_badge"),
    )
    nxt = data.next_published(unit, ed.year)
    if nxt and nxt["pii"] is not None:
        st.caption(
            _(
                "scenario.vs_published",
                year=nxt["edition"],
                unit=f.unit_name,
                pii=num(nxt["pii"]),
                rank=nxt["rank"],
            )
        )
    capped = [c.code for c in out.contributions if c.capped]
    if capped and scenario.scale == "frozen":
        st.warning(_("scenario.capped", codes=", ".join(capped)))

    contrib = pd.DataFrame(
        [
            {"code": c.code, "delta_score": c.delta_score, "delta_pii": c.delta_pii}
            for c in out.contributions
        ]
    )
    st.markdown(f"**{_('scenario.waterfall')}**")
    if contrib.empty:
        st.info(_("scenario.no_change"))
    else:
        contrib = contrib.sort_values("delta_pii", key=abs, ascending=False)
        contrib["label"] = contrib["code"]
        fig = contribution_waterfall(
            contrib,
            float(b.pii[u]),
            _("scenario.after"),
            _("scenario.before"),
            fmt=lambda v: num(v, 2, sign=True),
            lang=lang(),
        )
        top = ", ".join(
            f"{c} {num(v, 2, sign=True)}"
            for c, v in contrib[["code", "delta_pii"]].head(3).itertuples(index=False)
        )
        st.plotly_chart(
            fig,
            config={"displayModeBar": False},
            key="waterfall",
            alt=_(
                "scenario.waterfall_alt",
                base=num(b.pii[u]),
                total=num(r.pii[u]),
                n=len(contrib),
                top=top,
            ),
        )
        st.caption(_("scenario.waterfall_note"))
        with st.expander(_("common.chart_data")):
            st.dataframe(
                pd.DataFrame(
                    {
                        "Mã" if lang() == "vi" else "Code": contrib["code"],
                        _("common.indicator"): [
                            fw.indicator(c).name_vi if lang() == "vi" else fw.indicator(c).name_en
                            for c in contrib["code"]
                        ],
                        "Δ " + _("common.score"): [
                            num(v, 2, sign=True) for v in contrib["delta_score"]
                        ],
                        "Δ PII": [num(v, 3, sign=True) for v in contrib["delta_pii"]],
                    }
                ),
                hide_index=True,
            )

    st.markdown(f"**{_('scenario.pillars_chart')}**")
    pnames = [f"{p}. {fw.pillar_names.get(p, (p, p))[0 if lang() == 'vi' else 1]}" for p in PILLARS]
    st.plotly_chart(
        pillars_before_after(
            pnames,
            b.pillars[u],
            r.pillars[u],
            (_("scenario.before"), _("scenario.after")),
            fmt=lambda v: num(v),
            lang=lang(),
        ),
        config={"displayModeBar": False},
        key="pillars",
        alt=_(
            "scenario.pillars_alt",
            values="; ".join(
                f"{name}: {num(b.pillars[u][k])} → {num(r.pillars[u][k])}"
                for k, name in enumerate(pnames)
            ),
        ),
    )
    with st.expander(_("common.chart_data")):
        st.table(
            pd.DataFrame(
                {
                    _("common.pillar"): pnames,
                    _("scenario.before"): [num(v) for v in b.pillars[u]],
                    _("scenario.after"): [num(v) for v in r.pillars[u]],
                    "Δ": [
                        num(y - x, sign=True)
                        for x, y in zip(b.pillars[u], r.pillars[u], strict=True)
                    ],
                }
            ),
            hide_index=True,
            border="horizontal",
        )

    st.markdown(f"**{_('scenario.ranking_around', unit=f.unit_name)}**")
    order = sorted(range(ed.n), key=lambda k: (r.rank[k], ed.slugs[k]))
    pos = order.index(u)
    window = order[max(0, pos - 5) : pos + 6]
    names = ed.units.apply(name_of, axis=1).to_list()

    def _move(k: int) -> str:
        d = int(b.rank[k] - r.rank[k])
        return f"▲ {d}" if d > 0 else (f"▼ {-d}" if d < 0 else "–")

    around = pd.DataFrame(
        {
            _("scenario.col_rank"): [int(r.rank[k]) for k in window],
            _("scenario.col_move"): [_move(k) for k in window],
            _("scenario.col_unit"): [("➤ " if k == u else "") + names[k] for k in window],
            _("scenario.col_pii"): [num(r.pii[k]) for k in window],
            _("scenario.col_pii0"): [num(b.pii[k]) for k in window],
        }
    )
    st.dataframe(around, hide_index=True, key="around")

    # ---- share -------------------------------------------------------------------------------
    st.markdown(f"**{_('scenario.share')}**")
    params = {"lang": f.lang, "edition": ed.year, "unit": unit, "scale": f.scale}
    if scenario.peers != "static":
        params["peers"] = scenario.peers.split(":", 1)[0]
        if scenario.drift:
            params["drift"] = scenario.drift
    params["year"] = state.target_year(ed)
    if scenario.targets:
        params["t"] = state.encode_targets(scenario)
    base_url = (st.context.url or "").split("?", 1)[0]
    st.code(f"{base_url}?{urlencode(params)}", language=None, wrap_lines=True)
    st.caption(_("scenario.share_help"))

# ---- saved scenarios -------------------------------------------------------------------------
st.divider()
st.subheader(_("scenario.saved"))
ws = Workspace()


def _save(current: Scenario) -> None:
    name = str(st.session_state.get("save_name") or "")
    try:
        ws.save_scenario(
            name,
            current,
            note=str(st.session_state.get("save_note") or ""),
            overwrite=bool(st.session_state.get("save_overwrite")),
        )
        st.session_state["_save_msg"] = (
            "success",
            _("scenario.saved_ok", name=md_text(name.strip())),
        )
    except NameTaken:
        st.session_state["_save_msg"] = (
            "error",
            _("scenario.name_taken", name=md_text(name.strip())),
        )
    except WorkspaceError as exc:
        st.session_state["_save_msg"] = ("error", _("scenario.store_error", msg=exc))


writable = access.can_write_user_data()  # read-only meeting mode: open and compare only
scol, lcol = st.columns([2, 3], gap="large")
with scol:
    if not writable:
        access.read_only_note()
    else:
        with st.form("save_form"):
            st.text_input(_("scenario.save_name"), max_chars=120, key="save_name")
            st.text_area(_("scenario.save_note"), max_chars=1000, key="save_note", height=80)
            st.checkbox(_("scenario.overwrite"), key="save_overwrite")
            st.form_submit_button(
                _("scenario.save"), type="primary", on_click=_save, args=(scenario,)
            )
    msg = st.session_state.pop("_save_msg", None)
    if msg:
        getattr(st, msg[0])(msg[1])
with lcol:
    try:
        saved = ws.list_scenarios(unit=unit, edition=ed.year)
    except WorkspaceError as exc:
        saved = []
        st.error(_("scenario.store_error", msg=exc))
    if not saved:
        st.caption(_("scenario.none_saved"))
    for sv in saved:
        c = st.columns([4, 1, 2, 1])
        c[0].markdown(f"**{md_text(sv.name)}**" + (f"  \n{md_text(sv.note)}" if sv.note else ""))
        c[1].button(_("scenario.load"), key=f"load_{sv.id}", on_click=_load_saved, args=(sv.name,))
        if not writable:
            continue
        with c[2].popover(_("scenario.rename")):
            new = st.text_input(_("scenario.new_name"), key=f"rename_{sv.id}", max_chars=120)
            if st.button(_("scenario.rename"), key=f"do_rename_{sv.id}") and new:
                try:
                    ws.rename_scenario(sv.name, new)
                    st.rerun()
                except NameTaken:
                    st.error(_("scenario.name_taken", name=md_text(new.strip())))
                except WorkspaceError as exc:
                    st.error(_("scenario.store_error", msg=exc))
        if c[3].button(_("scenario.delete"), key=f"delete_{sv.id}"):
            try:
                ws.delete_scenario(sv.name)
                st.session_state["_flash"] = (
                    "success",
                    _("scenario.deleted", name=md_text(sv.name)),
                )
            except NotFound:
                st.session_state["_flash"] = (
                    "error",
                    _("scenario.not_found", name=md_text(sv.name)),
                )
            st.rerun()

# ---- compare ---------------------------------------------------------------------------------
if saved:
    st.subheader(_("scenario.compare"))
    choices = {_("scenario.current"): scenario} | {sv.name: sv.scenario for sv in saved}
    if plan_here:
        choices[_("scenario.preset_plan")] = api.preset("plan-2024", scenario)
    keys = list(choices)
    ca, cb = st.columns(2)
    a = ca.selectbox(_("scenario.compare_a"), keys, index=0, key="cmp_a")
    bname = cb.selectbox(_("scenario.compare_b"), keys, index=min(1, len(keys) - 1), key="cmp_b")
    rows = []
    outs = {k: api.run(choices[k]) for k in (a, bname)}
    measures = [
        ("PII", lambda o: o.result.pii[u]),
        (_("common.rank"), lambda o: o.result.rank[u]),
        (_("common.input"), lambda o: o.result.input[u]),
        (_("common.output"), lambda o: o.result.output[u]),
    ]
    measures += [
        (f"{_('common.pillar')} {p}", (lambda k: lambda o: o.result.pillars[u, k])(i))
        for i, p in enumerate(PILLARS)
    ]
    for label, fn in measures:
        va, vb = float(fn(outs[a])), float(fn(outs[bname]))
        dec = 0 if label == _("common.rank") else 2
        rows.append(
            {
                _("scenario.measure"): label,
                f"A · {a}": num(va, dec),
                f"B · {bname}": num(vb, dec),
                "B − A": num(vb - va, dec, sign=True),
            }
        )
    st.dataframe(pd.DataFrame(rows), hide_index=True, key="compare_table")
