"""The data page's import tab: templates, upload (behind the admin gate), the refusal with every
problem, the dry run (what would change, the official values it would replace, published
facts), and the confirmation that stores a new version."""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

from model.index.dataset import Edition
from model.official import dryrun, importer, versions
from model.workspace import WorkspaceError
from ui import access
from ui.data.tables import changes_table, fidelity_table, goalposts_table
from ui.i18n import _, _n, err, lang, num
from ui.widgets import md_text

TEMPLATES = (("profile", "xlsx"), ("profile", "csv"), ("edition", "xlsx"), ("edition", "csv"))
SHOWN_PROBLEMS = 50
SHOWN_STANDINGS = 10  # imported units whose PII and rank before → after are listed

# The browser refuses a file above the limit (or of another type) itself: it shows the file with
# an English error and never sends it, so the page does not rerun and the previous file's result
# would stay on screen. While the newest file of the uploader is such a refused one, that result
# is hidden and a note in the reader's language says why. The uploader's own English line
# ("5MB per file • CSV, XLSX") is hidden too: its help says the limit, in the reader's language.
CSS = """<style>
.st-key-dt_import [data-testid="stFileUploaderDropzoneInstructions"] { display: none; }
.st-key-dt_import .st-key-dt_rejected { display: none; }
.st-key-dt_import:has([data-testid="stFileChips"] > div > div:last-child
    [data-testid="stFileChip"][aria-invalid="true"]) .st-key-dt_result { display: none; }
.st-key-dt_import:has([data-testid="stFileChips"] > div > div:last-child
    [data-testid="stFileChip"][aria-invalid="true"]) .st-key-dt_rejected { display: flex; }
</style>"""


def templates(ed: Edition, unit: str, unit_name: str) -> None:
    """Download buttons for the four empty templates, in the reader's language."""
    st.markdown(f"**{_('data.templates')}**")
    st.caption(_("data.templates_help"))
    b = st.columns(len(TEMPLATES))
    for k, (kind, fmt) in enumerate(TEMPLATES):
        label = (
            _("data.tpl_profile", unit=unit_name)
            if kind == "profile"
            else _("data.tpl_edition", edition=ed.year)
        )
        b[k].download_button(
            f"{label} · {fmt.upper()}",
            lambda kind=kind, fmt=fmt: importer.template_bytes(
                kind, fmt, ed, unit=unit if kind == "profile" else None, lang=lang()
            ),
            file_name=(
                f"mau-ho-so-{unit}-{ed.year}.{fmt}"
                if kind == "profile"
                else f"mau-ca-ky-{ed.year}.{fmt}"
            ),
            on_click="ignore",
            key=f"dt_tpl_{kind}_{fmt}",
            icon=":material/download:",
        )


def import_form(ed: Edition, head: int, names: Mapping[str, str], unit: str) -> None:
    """Upload → parse → dry run → confirm; the result of the last import as a flash. A profile
    must be `unit`'s (the sidebar's province), any file the edition's `ed`."""
    if access.data_change_gate(lang()):
        st.html(CSS)
        with st.container(key="dt_import"):
            # A new key after each import empties the uploader: the page then shows the result,
            # not a dry run of the same file against the data it has just become.
            n_up = st.session_state.get("_dt_uploads", 0)
            up = st.file_uploader(
                _("data.upload"),
                type=["csv", "xlsx"],
                key=f"dt_upload_{n_up}",
                max_upload_size=importer.MAX_MB,
                help=_("import.upload_help", limit=importer.MAX_MB),
            )
            with st.container(key="dt_rejected"):
                st.warning(_("import.upload_rejected", limit=importer.MAX_MB))
            with st.container(key="dt_result"):
                if up is not None:
                    parsed = _parse(up.getvalue(), up.name, ed, unit)
                    if parsed is not None:
                        _warnings(parsed)
                        dry = _dry_run(parsed, head, names, ed)
                        _confirm(parsed, dry, n_up)
    if flash := st.session_state.pop("_dt_flash", None):
        st.success(flash)


def _parse(blob: bytes, file_name: str, ed: Edition, unit: str) -> importer.ParsedImport | None:
    try:
        return importer.parse(blob, file_name, ed, unit=unit)
    except importer.ImportRefused as exc:
        problems = list(exc.problems)
        lines = [f"- {md_text(p.message(lang()))}" for p in problems[:SHOWN_PROBLEMS]]
        if len(problems) > SHOWN_PROBLEMS:
            lines.append(_n("import.page_more", len(problems) - SHOWN_PROBLEMS))
        st.error(
            _n("import.page_refused", len(problems), file=md_text(file_name))
            + "\n\n"
            + "\n".join(lines)
        )
        return None


def _warnings(parsed: importer.ParsedImport) -> None:
    if parsed.warnings:
        with st.expander(_("data.warnings")):
            for w in parsed.warnings:
                st.markdown(f"- {md_text(w.message(lang()))}")


def _dry_run(
    parsed: importer.ParsedImport, head: int, names: Mapping[str, str], ed: Edition
) -> versions.ImportResult:
    """What the import would change, computed once per file and data version."""
    key = ("dt_dry", parsed.checksum, parsed.edition, head)
    if st.session_state.get("_dt_dry_key") != key:
        with st.spinner(_("data.dry_wait")):
            st.session_state["_dt_dry"] = versions.apply_import(parsed, dry_run=True)
        st.session_state["_dt_dry_key"] = key
    dry = st.session_state["_dt_dry"]
    rep = dry.report
    st.markdown(f"**{_('data.dry_title')}**")
    m = st.columns(3)
    m[0].metric(_("data.m_changed"), num(rep["changed_cells"], 0))
    m[1].metric(_("data.m_official"), num(rep["official_cells"], 0))
    m[2].metric(_("data.m_facts"), f"{rep['met']}/{rep['constraints']}")
    _standings(parsed, dry, names, ed)
    if len(dry.official):
        st.warning(_n("import.page_official", len(dry.official)))
        changes_table(dry.official, names, ed)
    fidelity_table(rep["failed"], names)
    if len(dry.goalposts):
        st.caption(_("data.goalposts_change", n=len(dry.goalposts)))
        goalposts_table(dry.goalposts)
    if len(dry.changes) == 0:
        st.info(_("data.no_change"))
        return dry
    mine, others = dryrun.own_first(dry.changes, parsed.units)  # the file's own cells first
    if len(mine):
        st.markdown("**" + _n("import.fx_own_cells", len(mine)) + "**")
        changes_table(mine, names, ed)
    if len(others):
        n_units = others["unit"].nunique()
        st.markdown("**" + _n("import.fx_others_cells", len(others), units=n_units) + "**")
        st.caption(_("import.fx_others_why"))
        changes_table(others, names, ed)
    return dry


def _standings(
    parsed: importer.ParsedImport, dry: versions.ImportResult, names: Mapping[str, str], ed: Edition
) -> None:
    """Each imported unit's PII and rank before → after (a whole edition: the first few)."""
    after = dry.solved.edition
    rows = dryrun.standings(ed, after, parsed.units)
    for s in rows[:SHOWN_STANDINGS]:
        st.markdown(
            "- "
            + _(
                "import.fx_standing",
                unit=names.get(s.unit, s.unit),
                pii0=num(s.pii0),
                pii=num(s.pii),
                rank0=s.rank0,
                rank=s.rank,
                n=after.n,
            )
        )
    if len(rows) > SHOWN_STANDINGS:
        st.caption(_n("import.fx_more_units", len(rows) - SHOWN_STANDINGS))


def _confirm(parsed: importer.ParsedImport, dry: versions.ImportResult, n_up: int) -> None:
    """Author, note, the confirmation that official values may be replaced (when the dry run
    found some) and the button that stores the import as a new version."""
    n_official = len(dry.official)
    with st.form("dt_import_form", border=False):
        who = st.text_input(_("data.author"), max_chars=120, key="dt_author")
        note = st.text_area(_("data.note"), max_chars=2000, key="dt_note")
        replace = n_official > 0 and st.checkbox(
            _n("import.page_replace_official", n_official), key="dt_replace_official"
        )
        go = st.form_submit_button(_("data.do_import"), type="primary")
    if not go:
        return
    if n_official and not replace:
        st.error(_n("import.page_official_unconfirmed", n_official))
        return
    try:
        res = versions.apply_import(parsed, author=who, note=note, replace_official=replace)
    except (versions.DataChangeError, WorkspaceError, ValueError) as exc:
        st.error(_("data.import_failed", msg=md_text(err(exc))))
    else:
        st.session_state.pop("_dt_dry_key", None)
        st.session_state["_dt_flash"] = _("data.imported", id=res.version.id)
        st.session_state["_dt_uploads"] = n_up + 1
        st.rerun()
