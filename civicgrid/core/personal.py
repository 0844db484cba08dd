"""Validation and masking of personal identifiers (GB 11643 identity numbers, mainland mobile numbers)."""

import re
from datetime import date

from django.utils.translation import gettext_lazy as _

from civicgrid.core.errors import ValidationFailed

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_ID_PATTERN = re.compile(r"^\d{17}[\dX]$")
_PHONE_PATTERN = re.compile(r"^1[3-9]\d{9}$")
_LANDLINE_PATTERN = re.compile(r"^0\d{2,3}-?\d{7,8}$")


def id_check_digit(first17: str) -> str:
    return _ID_CHECK[sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True)) % 11]


def normalize_id_number(value: str) -> str:
    """Return the canonical 18-character number or raise ValidationFailed(code=invalid_id_number)."""
    number = "".join(str(value).split()).upper()
    if not _ID_PATTERN.match(number):
        raise ValidationFailed(_("An ID number has 17 digits followed by a digit or X."), code="invalid_id_number")
    try:
        date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise ValidationFailed(_("The ID number contains an impossible birth date."),
                               code="invalid_id_number") from None
    if id_check_digit(number[:17]) != number[17]:
        raise ValidationFailed(_("The ID number's check digit is wrong."), code="invalid_id_number")
    return number


def birth_date_from_id(number: str) -> date:
    return date(int(number[6:10]), int(number[10:12]), int(number[12:14]))


def gender_from_id(number: str) -> str:
    return "male" if int(number[16]) % 2 else "female"


def normalize_phone(value: str) -> str:
    phone = re.sub(r"[\s()]", "", str(value))
    if phone.startswith("+86"):
        phone = phone[3:]
    if not (_PHONE_PATTERN.match(phone) or _LANDLINE_PATTERN.match(phone)):
        raise ValidationFailed(_("Enter an 11-digit mobile number or a landline with area code."),
                               code="invalid_phone")
    return phone


def mask_id_number(number: str) -> str:
    return f"{number[:6]}{'*' * (len(number) - 10)}{number[-4:]}" if len(number) > 10 else "*" * len(number)


def mask_phone(phone: str) -> str:
    digits = phone.replace("-", "")
    return f"{digits[:3]}****{digits[-4:]}" if len(digits) >= 8 else "*" * len(digits)


def mask_name(name: str) -> str:
    return name[:1] + "*" * max(1, len(name) - 1) if name else name
