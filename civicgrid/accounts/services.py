import hashlib
import secrets
from collections.abc import Iterable
from datetime import timedelta

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civicgrid.accounts.models import ApiToken, Role, User
from civicgrid.core import audit
from civicgrid.core.errors import DomainError, NotFound, PermissionDenied, ValidationFailed

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
    """The user changes their own password; their API tokens are revoked."""
    if not user.check_password(old_password):
        raise AuthenticationFailed(_("The current password is wrong."), code="wrong_password")
    _password_errors(new_password, user)
    _store_password(actor=user, user=user, new_password=new_password, action="accounts.password.change")


def set_password(*, actor, user: User, new_password: str | None) -> None:
    """Someone else (an administrator) sets `user`'s password, or disables password sign-in with None.
    The user's API tokens are revoked either way."""
    if new_password is not None:
        _password_errors(new_password, user)
    _store_password(actor=actor, user=user, new_password=new_password, action="accounts.password.set")


def _store_password(*, actor, user: User, new_password: str | None, action: str) -> None:
    with transaction.atomic():
        if new_password is None:
            user.set_unusable_password()
        else:
            user.set_password(new_password)
        user.password_changed_at = timezone.now()
        user.save(update_fields=["password", "password_changed_at"])
        revoked = _revoke_all(actor=actor, user=user, reason="password_change")
        audit.record(actor=actor, action=action, target=user, region_code=user.region_code,
                     detail={"usable": new_password is not None, "tokens_revoked": revoked})


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


def token_lifetime() -> timedelta:
    return timedelta(days=settings.CIVICGRID_API_TOKEN_DAYS)


def issue_token(*, user: User, name: str = "api") -> str:
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    expires_at = timezone.now() + token_lifetime()
    with transaction.atomic():
        token = ApiToken.objects.create(user=user, name=name[:100], prefix=raw[:8], key_hash=_hash_token(raw),
                                        expires_at=expires_at)
        audit.record(actor=user, action="accounts.token.issue", target=token, region_code=user.region_code,
                     detail={"expires_at": expires_at.isoformat()})
    return raw


def _revoke(*, actor, token: ApiToken, reason: str) -> None:
    token.revoked_at = revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit.record(actor=actor, action="accounts.token.revoke", target=token, region_code=token.user.region_code,
                 detail={"reason": reason, "owner": token.user.get_username(), "prefix": token.prefix,
                         "before": {"revoked_at": None}, "after": {"revoked_at": revoked_at.isoformat()}})


def _revoke_all(*, actor, user: User, reason: str) -> int:
    tokens = list(ApiToken.objects.select_for_update(of=("self",)).select_related("user")
                  .filter(user=user, revoked_at__isnull=True))
    for token in tokens:
        _revoke(actor=actor, token=token, reason=reason)
    return len(tokens)


def revoke_token(*, actor: User, token_id: int) -> ApiToken:
    """The owner revokes one of their tokens. Another user's token looks absent (404); revoking twice is a no-op."""
    with transaction.atomic():
        token = (ApiToken.objects.select_for_update(of=("self",)).select_related("user")
                 .filter(pk=token_id, user=actor).first())
        if token is None:
            raise NotFound(_("No such API token."), code="token_not_found")
        if token.revoked_at is None:
            _revoke(actor=actor, token=token, reason="owner")
    return token


def revoke_tokens_as_admin(*, actor: User, token_ids: Iterable[int]) -> int:
    """An administrator revokes any tokens (the Django admin action); each revocation is audited."""
    if not actor.has_perm("accounts.change_apitoken"):
        raise PermissionDenied()
    with transaction.atomic():
        tokens = list(ApiToken.objects.select_for_update(of=("self",)).select_related("user")
                      .filter(pk__in=list(token_ids), revoked_at__isnull=True))
        for token in tokens:
            _revoke(actor=actor, token=token, reason="admin")
    return len(tokens)


def revoke_tokens_at_lockout(*, username: str) -> int:
    """django-axes locked the account: its tokens are revoked (they stay refused anyway while it is locked)."""
    user = User.objects.filter(username=username).first()
    if user is None:
        return 0
    with transaction.atomic():
        return _revoke_all(actor=None, user=user, reason="locked_out")


def is_locked_out(request, user: User) -> bool:
    return AxesProxyHandler.is_locked(request, credentials={"username": user.get_username()})


def user_for_token(raw: str, *, request) -> User | None:
    """The active, unlocked owner of a valid, unexpired, unrevoked token; None otherwise."""
    if not raw.startswith(TOKEN_PREFIX):
        return None
    now = timezone.now()
    token = (ApiToken.objects.select_related("user")
             .filter(key_hash=_hash_token(raw), revoked_at__isnull=True, user__is_active=True).first())
    if token is None or token.expires(token_lifetime()) <= now or is_locked_out(request, token.user):
        return None
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 300:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
