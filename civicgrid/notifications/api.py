"""/api/v1/notifications: the caller's inbox, unread count and marking read."""

import json
from datetime import datetime
from typing import Annotated

from django.utils.translation import gettext as _
from ninja import Router, Schema
from pydantic import Field

from civicgrid.core.errors import ValidationFailed
from civicgrid.core.schemas import errors
from civicgrid.notifications import selectors, services

router = Router(tags=["notifications"])


class NotificationOut(Schema):
    id: int
    kind: str
    text: str
    url: str
    created_at: datetime
    read_at: datetime | None


class UnreadOut(Schema):
    unread: int


def _is_object(body: bytes) -> bool:
    try:
        return isinstance(json.loads(body or b"{}"), dict)
    except ValueError:
        return False


class MarkReadIn(Schema):
    ids: list[Annotated[int, Field(strict=True, ge=1, le=2**63 - 1)]] | None = None  # strict: false is no id


class MarkedOut(Schema):
    marked: int


@router.get("/notifications", response={200: list[NotificationOut], **errors()}, summary="My notifications")
def inbox(request):
    return list(selectors.inbox(actor=request.auth)[:100])


@router.get("/notifications/unread", response={200: UnreadOut, **errors()}, summary="How many are unread")
def unread(request):
    return {"unread": selectors.unread_count(actor=request.auth)}


@router.post("/notifications/read", response={200: MarkedOut, **errors(422)},
             summary="Mark my notifications read (all when no ids are given)")
def mark_read(request, payload: MarkReadIn):
    if not _is_object(request.body):  # django-ninja fills a schema of optional fields from a JSON array too
        raise ValidationFailed(_("The body must be a JSON object, e.g. {\"ids\": [1, 2]}."), code="invalid_body")
    return {"marked": services.mark_read(actor=request.auth, notification_ids=payload.ids)}
