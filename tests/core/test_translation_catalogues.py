"""Django merges every app's catalogue into one: when two modules translate the same msgid (in the same
context) differently, the app listed first in INSTALLED_APPS wins on every page, so volunteering's "Register"
would read "立案" (cases' meaning). Such a msgid needs a `pgettext` context in one of the modules, or both must
agree. Chinese text also takes Chinese punctuation."""

import re
from collections import defaultdict
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parents[2] / "civicgrid"
CJK = r"[\u3400-\u9fff]"
# an ASCII comma, colon, semicolon, question or exclamation mark, or bracket touching a Chinese character
ASCII_PUNCTUATION_IN_CHINESE = re.compile(rf"{CJK}[,:;?!()]|[,:;?!()]{CJK}|{CJK} [,:;?!]")


def _catalogues() -> dict[str, polib.POFile]:
    return {path.parts[-5]: polib.pofile(str(path))
            for path in sorted(ROOT.glob("*/locale/zh_Hans/LC_MESSAGES/django.po"))}


def test_one_msgid_has_one_meaning_across_modules():
    meanings: dict[tuple, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for app, catalogue in _catalogues().items():
        for entry in catalogue:
            if not entry.obsolete and entry.msgstr:
                meanings[(entry.msgctxt, entry.msgid)][entry.msgstr].append(app)
    clashes = [f"{ctx + ' | ' if ctx else ''}{msgid!r}: " + "; ".join(f"{zh} ({', '.join(apps)})"
                                                                      for zh, apps in found.items())
               for (ctx, msgid), found in meanings.items() if len(found) > 1]
    assert not clashes, "give these a pgettext context, or one translation:\n" + "\n".join(clashes)


def _prose(text: str) -> str:
    """What a reader takes as prose: without placeholders, and without what the user must type as written
    (“经度,纬度”, [经度, 纬度])."""
    return re.sub(r"%\(\w+\)[sd]|“[^”]*”|\[[^\]]*\]", "x", text)


def test_chinese_translations_use_chinese_punctuation():
    wrong = [f"{app}: {entry.msgstr!r}" for app, catalogue in _catalogues().items() for entry in catalogue
             if not entry.obsolete and entry.msgid != "yes,no"  # the argument of the yesno filter
             and ASCII_PUNCTUATION_IN_CHINESE.search(_prose(entry.msgstr))]
    assert not wrong, "use ，：；？！（） in Chinese text:\n" + "\n".join(wrong)

