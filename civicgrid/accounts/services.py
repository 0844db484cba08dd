import hashlib
import secrets

from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civicgrid.accounts.models import ApiToken, Role, User
from civicgrid.core import audit
from civicgrid.core.errors import DomainError, ValidationFailed

TOKEN_PREFIX = "cg_"


class AuthenticationFailed(DomainError):
    status = 401
    code = "authentication_failed"
    default_message = _("Wrong username or password.")


class AccountLocked(DomainError):
    status = 403
    code = "account_locked"
    default_message = _("Too many failed sign-ins: the account is locked for 15 minutes.")


def _hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def _password_errors(password: str, user: User | None) -> None:
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise ValidationFailed("；".join(error.messages), code="weak_password", field="password") from None


def create_user(*, actor, username: str, password: str, role: str, region_code: str = "",
                display_name: str = "", check_password: bool = True) -> User:
    if role not in Role.values:
        raise ValidationFailed(_("Unknown role."), code="invalid_role", field="role")
    if User.objects.filter(username=username).exists():
        raise ValidationFailed(_("This username is taken."), code="username_taken", field="username")
    user = User(username=username, role=role, region_code=region_code, display_name=display_name)
    if check_password:
        _password_errors(password, user)
    user.set_password(password)
    user.password_changed_at = timezone.now()
    with transaction.atomic():
        user.full_clean()
        user.save()
        audit.record(actor=actor, action="accounts.user.create", target=user, region_code=region_code,
                     detail={"role": role})
    return user


def change_password(*, user: User, old_password: str, new_password: str) -> None:
    if not user.check_password(old_password):
        raise AuthenticationFailed(_("The current password is wrong."), code="wrong_password")
    _password_errors(new_password, user)
    with transaction.atomic():
        user.set_password(new_password)
        user.password_changed_at = timezone.now()
        user.save(update_fields=["password", "password_changed_at"])
        audit.record(actor=user, action="accounts.password.change", target=user)


def authenticate_or_fail(*, request, username: str, password: str) -> User:
    """django-axes counts the failure and refuses locked usernames before checking the password."""
    user = authenticate(request, username=username, password=password)
    if getattr(request, "axes_locked_out", False):
        raise AccountLocked()
    if user is None or not user.is_active:
        with transaction.atomic():
            audit.record(actor=None, action="accounts.login", target_type="accounts.user", target_id=username,
                         outcome="denied")
        raise AuthenticationFailed()
    return user


def issue_token(*, user: User, name: str = "api") -> str:
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(user=user, name=name[:100], prefix=raw[:8], key_hash=_hash_token(raw))
        audit.record(actor=user, action="accounts.token.issue", target=token)
    return raw


def revoke_token(*, user: User, token_id: int) -> None:
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().get(pk=token_id, user=user)
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.record(actor=user, action="accounts.token.revoke", target=token)


def user_for_token(raw: str) -> User | None:
    if not raw.startswith(TOKEN_PREFIX):
        return None
    now = timezone.now()
    token = (ApiToken.objects.select_related("user")
             .filter(key_hash=_hash_token(raw), revoked_at__isnull=True, user__is_active=True).first())
    if token is None or (token.expires_at and token.expires_at <= now):
        return None
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 300:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
