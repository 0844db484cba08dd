"""Duty charters (三定方案): duties, posts and staffing quotas of a community's three bodies."""

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from civicgrid.communityaffairs.errors import NegativeQuota
from civicgrid.communityaffairs.models import Body, Charter, CharterPost
from civicgrid.communityaffairs.services.common import choice, managed_community, text
from civicgrid.core import audit
from civicgrid.core.errors import ValidationFailed


def save_charter(*, actor, community: str, body: str, duties: str, approved_on: date | None = None) -> Charter:
    """Write (or rewrite) a body's charter in a community."""
    code = managed_community(actor, community)
    body = choice(body, Body.choices, field="body")
    duties = text(duties, field="duties", low=2, high=4000)
    with transaction.atomic():
        charter = Charter.objects.select_for_update().filter(region_code=code, body=body).first() or \
            Charter(region_code=code, body=body)
        charter.duties, charter.approved_on = duties, approved_on
        charter.full_clean()
        charter.save()
        audit.record(actor=actor, action="communityaffairs.charter.save", target=charter, region_code=code,
                     detail={"body": body, "duties": len(charter.duty_lines)})
    return charter


MAX_QUOTA = 999  # far above any community's staffing; a typo beyond it would swamp the district's figures


def _quota(value) -> int:
    """A whole number from 0 to MAX_QUOTA; below zero is the stable `negative_quota`."""
    try:
        quota = int(str(value).strip())
    except (TypeError, ValueError):
        raise ValidationFailed(_("Give the staffing quota as a whole number."), code="invalid_quota",
                               field="quota") from None
    if quota < 0:
        raise NegativeQuota(field="quota")
    if quota > MAX_QUOTA:
        raise ValidationFailed(_("A staffing quota cannot be above %(max)s.") % {"max": MAX_QUOTA},
                               code="invalid_quota", field="quota")
    return quota


def set_post(*, actor, charter_id: int, title: str, quota) -> CharterPost:
    """Add a post or change its quota; a quota below zero is refused."""
    quota = _quota(quota)
    title = text(title, field="title", high=50)
    with transaction.atomic():
        charter = Charter.objects.get_managed(actor, pk=charter_id)
        post = CharterPost.objects.select_for_update().filter(charter=charter, title=title).first() or \
            CharterPost(charter=charter, title=title, quota=quota)
        before = post.quota if post.pk else None
        post.quota = quota
        post.full_clean()
        post.save()
        audit.record(actor=actor, action="communityaffairs.post.save", target=post, region_code=charter.region_code,
                     detail={"title": title, "from": before, "to": quota})
    return post


def remove_post(*, actor, post_id: int) -> None:
    """Remove a post from its charter; the charter's quota (and so the vacancies) drops by the post's quota."""
    with transaction.atomic():
        post = CharterPost.objects.select_for_update().get_managed(actor, pk=post_id)
        code = post.charter.region_code
        audit.record(actor=actor, action="communityaffairs.post.remove", target=post, region_code=code,
                     detail={"title": post.title, "quota": post.quota})
        post.delete()
