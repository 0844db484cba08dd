"""Reading and checking a divisions CSV (`code,name,level,parent_code`) without writing anything.

Rows are numbered as a spreadsheet shows them: the header is row 1, the first region row 2.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from civicgrid.territory.models import CODE_LENGTH, Level

COLUMNS = ("code", "name", "level", "parent_code")
FILE_LEVELS = {"district": Level.DISTRICT, "street": Level.SUBDISTRICT, "subdistrict": Level.SUBDISTRICT,
               "community": Level.COMMUNITY, "grid": Level.GRID}
PARENT_LEVEL = {Level.SUBDISTRICT: Level.DISTRICT, Level.COMMUNITY: Level.SUBDISTRICT, Level.GRID: Level.COMMUNITY}
NAME_MAX = 100


@dataclass(frozen=True)
class DivisionRow:
    line: int
    code: str
    name: str
    level: str
    parent_code: str


def ancestor_codes(code: str) -> list[str]:
    """The codes of a region and all its ancestors, district first (a code is a materialized path)."""
    return [code[:n] for n in sorted(CODE_LENGTH.values()) if n <= len(code)]


def parent_code(code: str) -> str | None:
    """The parent's code (the code minus its last segment), None for a district."""
    shorter = [n for n in sorted(CODE_LENGTH.values()) if n < len(code)]
    return code[:shorter[-1]] if shorter else None


def _problem(line: int, column: str, problem: str) -> dict:
    return {"row": line, "column": column, "problem": problem}


def _read(text: str) -> tuple[list[tuple[int, dict]], list[dict]]:
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        return [], [_problem(1, c, _("column is missing from the header")) for c in missing]
    records = [(index, {k: (v or "").strip() for k, v in record.items() if k}) for index, record
               in enumerate(reader, start=2)]
    if not records:
        return [], [_problem(1, "code", _("the file has no rows"))]
    return records, []


def _check_row(line: int, record: dict) -> tuple[DivisionRow | None, list[dict]]:
    code, name, raw_level, parent = record["code"], record["name"], record["level"], record["parent_code"]
    found = []
    level = FILE_LEVELS.get(raw_level.lower())
    if level is None:
        found.append(_problem(line, "level", _("unknown level “%(level)s” (expected district, street, community "
                                               "or grid)") % {"level": raw_level}))
    if not code:
        found.append(_problem(line, "code", _("code is empty")))
    elif not code.isdigit():
        found.append(_problem(line, "code", _("code must contain digits only")))
    elif level is not None and len(code) != CODE_LENGTH[level]:
        found.append(_problem(line, "code", _("a %(level)s code has %(n)s digits, this one has %(m)s")
                              % {"level": raw_level, "n": CODE_LENGTH[level], "m": len(code)}))
    if not name:
        found.append(_problem(line, "name", _("name is empty")))
    elif len(name) > NAME_MAX:
        found.append(_problem(line, "name", _("name is longer than %(n)s characters") % {"n": NAME_MAX}))
    if level is not None and level != Level.DISTRICT and code.isdigit():
        expected = code[:CODE_LENGTH[PARENT_LEVEL[level]]]
        if parent != expected:
            found.append(_problem(line, "parent_code", _("parent code must be the prefix %(prefix)s of the code")
                                  % {"prefix": expected}))
    if found:
        return None, found
    return DivisionRow(line, code, name, str(level), parent if level != Level.DISTRICT else ""), []


def parse_divisions(text: str, *, known: Callable[[set[str]], set[str]]) -> tuple[list[DivisionRow], list[dict]]:
    """All rows and every problem. `known(codes)` returns which of the codes already exist in the database
    (a parent may be there rather than in the file)."""
    records, problems = _read(text)
    rows: list[DivisionRow] = []
    first_line: dict[str, int] = {}
    for line, record in records:
        code = record.get("code", "")
        if code and code in first_line:
            problems.append(_problem(line, "code", _("duplicate code, first in row %(row)s")
                                     % {"row": first_line[code]}))
            continue
        if code:
            first_line[code] = line
        row, found = _check_row(line, record)
        problems += found
        if row is not None:
            rows.append(row)
    in_file = set(first_line)
    wanted = {row.parent_code for row in rows if row.parent_code and row.parent_code not in in_file}
    in_db = known(wanted) if wanted else set()
    for row in rows:
        if row.parent_code and row.parent_code not in in_file and row.parent_code not in in_db:
            problems.append(_problem(row.line, "parent_code", _("parent %(code)s is neither in the file nor in "
                                                                "the database") % {"code": row.parent_code}))
    return rows, problems
