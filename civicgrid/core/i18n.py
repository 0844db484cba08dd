"""Compile every app's zh_Hans/en .po catalogue to .mo with polib, so no GNU gettext is needed to run.

Usage: python -m civicgrid.core.i18n            compile all catalogues
       python -m civicgrid.core.i18n --check    exit 1 if a .mo is stale or a message lacks a translation
"""

import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parents[1]


def catalogues() -> list[Path]:
    return sorted(ROOT.glob("**/locale/*/LC_MESSAGES/django.po"))


def untranslated(po_path: Path) -> list[str]:
    po = polib.pofile(str(po_path))
    return [entry.msgid for entry in po if not entry.obsolete and not entry.translated()]


def compiled_bytes(po_path: Path) -> bytes:
    tmp = po_path.with_suffix(".mo.tmp")
    polib.pofile(str(po_path)).save_as_mofile(str(tmp))
    data = tmp.read_bytes()
    tmp.unlink()
    return data


def compile_all() -> list[Path]:
    written = []
    for po_path in catalogues():
        mo_path = po_path.with_suffix(".mo")
        data = compiled_bytes(po_path)
        if not mo_path.exists() or mo_path.read_bytes() != data:
            mo_path.write_bytes(data)
            written.append(mo_path)
    return written


def problems() -> list[str]:
    found = []
    for po_path in catalogues():
        rel = po_path.relative_to(ROOT)
        mo_path = po_path.with_suffix(".mo")
        if not mo_path.exists() or mo_path.read_bytes() != compiled_bytes(po_path):
            found.append(f"{rel}: .mo is missing or stale (run `make messages`)")
        if "zh_Hans" in po_path.parts:
            found.extend(f"{rel}: untranslated {msgid!r}" for msgid in untranslated(po_path))
    return found


if __name__ == "__main__":
    if "--check" in sys.argv:
        issues = problems()
        print("\n".join(issues) or "catalogues complete")
        sys.exit(1 if issues else 0)
    for path in compile_all():
        print(f"compiled {path.relative_to(ROOT)}")
