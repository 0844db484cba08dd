"""What a published case may show: a description without phone numbers, ID numbers or personal names, and a
location rounded to about 100 m. Pure functions; the moderation service proposes their result to staff.

The placeholders are stored in the public text itself, which is always shown in Chinese, so they are fixed
Chinese words and not translated UI strings."""

import re
from collections.abc import Iterable

HIDDEN_PHONE = "【电话已隐去】"
HIDDEN_ID_NUMBER = "【身份证号已隐去】"
HIDDEN_NAME = "【姓名已隐去】"
PUBLIC_DECIMALS = 3  # 0.001° is 111 m of latitude and about 85 m of longitude in Beijing

_NOT_DIGIT_BEFORE, _NOT_DIGIT_AFTER = r"(?<![0-9A-Za-z])", r"(?![0-9A-Za-z])"
_ID_NUMBER = re.compile(_NOT_DIGIT_BEFORE + r"\d{6}[\s-]?\d{8}[\s-]?\d{3}[\dXx]" + _NOT_DIGIT_AFTER)
_MOBILE = re.compile(_NOT_DIGIT_BEFORE + r"(?:\+?86[\s-]?)?1[3-9]\d[\s-]?\d{4}[\s-]?\d{4}" + _NOT_DIGIT_AFTER)
_LANDLINE = re.compile(
    _NOT_DIGIT_BEFORE
    + r"(?:[(（]?0\d{2,3}[)）]?[\s-]?)?[2-9]\d{2,3}[\s-]?\d{4}(?:\s*(?:转|-|ext\.?)\s*\d{1,5})?"
    + _NOT_DIGIT_AFTER)
_HAN = r"[\u4e00-\u9fff]"
# A name right after a label such as 联系人： ends where a common next word begins (2–4 characters), else
# it is taken as 2–3 characters.
_NAME_END = r"(?=[^\u4e00-\u9fff]|$|电话|手机|联系|先生|女士|在|住|家|说|反映|称|要求)"
_LABELLED_NAME = re.compile(
    r"(?<!【)(姓名|联系人(?:姓名)?|报告人|反映人|举报人|来电人|户主|业主)(\s*[:：是为]?\s*)"
    rf"({_HAN}{{2,4}}?{_NAME_END}|{_HAN}{{2,3}}|[A-Za-z][A-Za-z.]*(?: [A-Za-z][A-Za-z.]*)?)")
_SURNAME_AND_TITLE = re.compile(rf"{_HAN}(?:先生|女士|阿姨|大爷|师傅)")


def redact(text: str, names: Iterable[str] = ()) -> str:
    """The text with ID numbers, mobile and landline numbers, the given names and labelled names hidden."""
    text = _ID_NUMBER.sub(HIDDEN_ID_NUMBER, text)
    text = _MOBILE.sub(HIDDEN_PHONE, text)
    text = _LANDLINE.sub(HIDDEN_PHONE, text)
    for name in sorted(_name_forms(names), key=len, reverse=True):
        text = text.replace(name, HIDDEN_NAME)
    text = _LABELLED_NAME.sub(lambda m: m.group(1) + m.group(2) + HIDDEN_NAME, text)
    return _SURNAME_AND_TITLE.sub(HIDDEN_NAME, text)


def _name_forms(names: Iterable[str]) -> set[str]:
    """Each known name as written and without spaces ("张 三" from Open311's last/first name is also "张三")."""
    forms = set()
    for name in names:
        name = (name or "").strip()
        for form in (name, "".join(name.split())):
            if len(form) >= 2:
                forms.add(form)
    return forms


def public_point(lon: float, lat: float) -> tuple[float, float]:
    return round(lon, PUBLIC_DECIMALS), round(lat, PUBLIC_DECIMALS)
