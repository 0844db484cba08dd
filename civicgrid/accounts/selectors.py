"""Reads of accounts data. A user's own API tokens are owner-scoped, not region-scoped."""

from django.db.models import QuerySet

from civicgrid.accounts.models import ApiToken, User


def tokens_of(*, user: User) -> QuerySet[ApiToken]:
    """The user's own API tokens, newest first (revoked and expired ones included, for the record)."""
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-pk")
