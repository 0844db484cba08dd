"""/api/v1/notifications: the caller's inbox, unread count and marking read."""

from datetime import datetime

from ninja import Router, Schema

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


class MarkReadIn(Schema):
    ids: list[int] | None = None


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
    return {"marked": services.mark_read(actor=request.auth, notification_ids=payload.ids)}
