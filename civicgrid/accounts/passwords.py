import string

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_CLASSES = (string.ascii_lowercase, string.ascii_uppercase, string.digits)


def character_classes(password: str) -> int:
    classes = sum(any(c in group for c in password) for group in _CLASSES)
    return classes + any(not c.isalnum() for c in password)


class ComplexityValidator:
    """At least PASSWORD_MIN_LENGTH characters from PASSWORD_MIN_CLASSES of: lower, upper, digit, symbol."""

    def validate(self, password, user=None):
        if len(password) < settings.PASSWORD_MIN_LENGTH:
            raise ValidationError(_("The password must have at least %(n)d characters.")
                                  % {"n": settings.PASSWORD_MIN_LENGTH}, code="password_too_short")
        if character_classes(password) < settings.PASSWORD_MIN_CLASSES:
            raise ValidationError(
                _("The password must mix at least %(n)d of: lower-case letters, upper-case letters, digits, symbols.")
                % {"n": settings.PASSWORD_MIN_CLASSES}, code="password_too_simple")

    def get_help_text(self):
        return _("At least %(len)d characters, mixing %(n)d of: lower-case, upper-case, digits, symbols.") % {
            "len": settings.PASSWORD_MIN_LENGTH, "n": settings.PASSWORD_MIN_CLASSES}
