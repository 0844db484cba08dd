"""Jurisdiction in one place: a record's area is narrowed only through the scoping block (`visible_to`,
`managed_by`, `within`, `within_any`), never by a hand-written `…region_code__startswith` filter, which would skip
the block's rules (owners, shared-down records, parents). This test reads the code and fails on such a filter.
Region tree queries (`code__startswith` on Region itself) are not record reads and stay allowed."""

import ast
from pathlib import Path

import civicgrid

SOURCE = Path(civicgrid.__file__).parent
AREA_FIELDS = ("region_code", "grid_code", "community_code", "subdistrict_code", "district_code")
# Where a prefix filter is not a jurisdiction rule, with the reason.
ALLOWED = {
    "core/scoping.py": "the building block itself",
    "cockpit/rollup.py": "the cockpit's own rollup tables grouped by grid prefix, after the scoping of the actor",
}


def prefix_filters_outside_scoping() -> list[str]:
    found = []
    for path in sorted(SOURCE.rglob("*.py")):
        relative = path.relative_to(SOURCE).as_posix()
        if relative in ALLOWED or "/migrations/" in relative or relative.endswith("demo.py"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.keyword) and node.arg and node.arg.endswith("__startswith") \
                    and node.arg.split("__")[-2] in AREA_FIELDS:
                found.append(f"{relative}:{node.lineno} {node.arg}")
    return found


def test_no_hand_written_area_prefix_filter():
    assert prefix_filters_outside_scoping() == []
