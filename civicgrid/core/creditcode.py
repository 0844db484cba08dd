"""The unified social credit code (统一社会信用代码, GB 32100-2015): 18 characters from a 31-character alphabet
(no I, O, S, V, Z), the last one a check character over the first 17. Organizations, enterprises and anything
else that carries one validate it here, so that one wrong character is refused with the same code and words."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from civicgrid.core.errors import ValidationFailed

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
LENGTH = 18
ERROR_CODE = "credit_code_invalid"


def normalize(value: str) -> str:
    """Upper case without spaces: people copy codes from licences with spaces and lower-case letters."""
    return "".join((value or "").split()).upper()


def check_character(first17: str) -> str:
    total = sum(ALPHABET.index(char) * weight for char, weight in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def problem(value: str) -> str | None:
    """What is wrong with `value` (already normalized), in the user's language, or None when it is valid."""
    if len(value) != LENGTH:
        return _("A unified social credit code has 18 characters; this one has %(count)d.") % {"count": len(value)}
    wrong = sorted({char for char in value if char not in ALPHABET})
    if wrong:
        return _("A unified social credit code never contains %(chars)s.") % {"chars": "、".join(wrong)}
    if not value[2:8].isdigit():
        return str(_("Characters 3 to 8 of a unified social credit code are the region code (six digits)."))
    if check_character(value[:17]) != value[17]:
        return str(_("The last character (the check character) does not match the first 17: check the code for "
                     "a typing error."))
    return None


def is_valid(value: str) -> bool:
    return problem(normalize(value)) is None


def validate_credit_code(value: str) -> None:
    """A Django field validator (forms, admin, `full_clean`)."""
    message = problem(normalize(value))
    if message:
        raise ValidationError(message, code=ERROR_CODE)


def clean_credit_code(value: str, *, field: str = "credit_code") -> str:
    """For services: the normalized code, or a `ValidationFailed` with the stable code `credit_code_invalid`."""
    code = normalize(value)
    message = problem(code)
    if message:
        raise ValidationFailed(message, code=ERROR_CODE, field=field)
    return code
