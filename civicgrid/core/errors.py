"""Errors with a stable code and a translatable message, shared by services, API and views."""

from django.utils.translation import gettext_lazy as _


class ConfigurationError(RuntimeError):
    """The deployment is misconfigured (missing or malformed keys, settings)."""


class DomainError(Exception):
    """A refusal the user can act on. `code` is stable; `message` is shown in the user's language."""

    status = 400
    code = "invalid"
    default_message = _("The request is invalid.")

    def __init__(self, message=None, *, code: str | None = None, field: str | None = None,
                 details: list | None = None):
        self.message = message if message is not None else self.default_message
        if code:
            self.code = code
        self.field = field
        self.details: list = details or []
        super().__init__(str(self.message))

    def as_dict(self) -> dict:
        body: dict[str, object] = {"code": self.code, "message": str(self.message)}
        if self.field:
            body["field"] = self.field
        if self.details:
            body["details"] = self.details
        return body


class ValidationFailed(DomainError):
    status = 422
    code = "validation_failed"
    default_message = _("Some fields are invalid.")


class NotFound(DomainError):
    """Also used for objects outside the actor's jurisdiction: they must look absent, not forbidden."""

    status = 404
    code = "not_found"
    default_message = _("Not found.")


class NotAuthenticated(DomainError):
    status = 401
    code = "not_authenticated"
    default_message = _("Sign in or send a valid API token.")


class PermissionDenied(DomainError):
    status = 403
    code = "permission_denied"
    default_message = _("You do not have permission to do this.")


class Conflict(DomainError):
    status = 409
    code = "conflict"
    default_message = _("The request conflicts with the current state.")


class TooManyAttempts(DomainError):
    status = 429
    code = "too_many_attempts"
    default_message = _("Too many failed attempts. Try again later.")
