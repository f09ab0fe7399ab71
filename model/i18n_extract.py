"""The Babel extractor for this project's message ids (babel.cfg names it).

Code names a sentence by a symbolic id such as `"scenario.saved_ok"` (see model.i18n), so the
extractor collects every string literal that has the shape of an id — in a call, a mapping of
choices to ids, or inside an f-string — rather than only the arguments of `_()`. A literal is an
id when its first part is one of AREAS and its last part is not a file extension.
Jinja2 templates (the HTML report's) name their sentences as `_("id")` calls; `extract_template`
reads those.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from typing import IO, Any

AREAS = (
    "common",
    "overview",
    "scenario",
    "movers",
    "budget",
    "plan",
    "data",
    "meeting",
    "merge",
    "import",
    "report",
    "cli",
    "engine",
    "sources",
    "workspace",
    "versions",
    "uncertainty",
    "validate",
    "store",
    "dataset",
    "framework",
    "fidelity",
    "build",
    "profile",
    "reconstruct",
    "lever",
    "statistics",  # NSO province statistics and every unit's economy (issue 21)
)
NOT_KEYS = {"csv", "xlsx", "xls", "html", "json", "py", "po", "pot", "txt", "md", "duckdb", "toml"}
NOT_KEYS |= {"j2"}  # template file names ("report.html.j2")
ID = re.compile("^(?:" + "|".join(AREAS) + r")(?:\.[a-z0-9_]+)+$")


def is_id(text: str) -> bool:
    return bool(ID.match(text)) and text.rsplit(".", 1)[1] not in NOT_KEYS


def ids_in(source: str) -> Iterator[tuple[int, str]]:
    """(line, id) for every id-shaped string literal of a Python source."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and is_id(node.value):
            yield node.lineno, node.value


def extract(
    fileobj: IO[bytes], keywords: Any, comment_tags: Any, options: dict[str, Any]
) -> Iterator[tuple[int, str, str, list[str]]]:
    source = fileobj.read().decode(options.get("encoding", "utf-8"))
    for line, msg_id in sorted(ids_in(source)):
        yield line, "", msg_id, []


# `_("id"` or `_('id'` in a template: the function the renderer passes, with a literal id.
TEMPLATE_CALL = re.compile(r"""(?<![\w.])_\(\s*(["'])([^"'\\]+)\1""")


def ids_in_template(source: str) -> Iterator[tuple[int, str]]:
    """(line, id) for every `_("id")` call of a Jinja2 template."""
    for m in TEMPLATE_CALL.finditer(source):
        if is_id(m.group(2)):
            yield source.count("\n", 0, m.start()) + 1, m.group(2)


def extract_template(
    fileobj: IO[bytes], keywords: Any, comment_tags: Any, options: dict[str, Any]
) -> Iterator[tuple[int, str, str, list[str]]]:
    source = fileobj.read().decode(options.get("encoding", "utf-8"))
    for line, msg_id in sorted(ids_in_template(source)):
        yield line, "", msg_id, []
