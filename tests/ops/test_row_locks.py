"""On PostgreSQL, `select_for_update()` over a `select_related()` join also locks the joined rows (the team of every
shift, the activity of every sign-up), so that unrelated writers queue behind each other. Each lock names the rows
it means (`of=("self",)`); this test reads the code and fails on a lock over a join that does not."""

import ast
from pathlib import Path

import civicgrid

SOURCE = Path(civicgrid.__file__).parent


def _chain_calls(node: ast.AST) -> list[ast.Call]:
    calls = []
    while isinstance(node, ast.Call | ast.Attribute):
        if isinstance(node, ast.Call):
            calls.append(node)
            node = node.func
        else:
            node = node.value
    return calls


def _name(call: ast.Call) -> str:
    return call.func.attr if isinstance(call.func, ast.Attribute) else ""


def locks_over_joins_without_of() -> list[str]:
    found = []
    for path in SOURCE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not isinstance(getattr(node, "func", None), ast.Attribute):
                continue
            calls = _chain_calls(node)
            names = [_name(call) for call in calls]
            if "select_for_update" in names and "select_related" in names:
                lock = calls[names.index("select_for_update")]
                if not any(keyword.arg == "of" for keyword in lock.keywords):
                    found.append(f"{path.relative_to(SOURCE.parent)}:{lock.lineno}")
    return sorted(set(found))


def test_no_lock_over_a_join_locks_the_joined_rows():
    assert locks_over_joins_without_of() == []
