"""Shared helpers of the volunteering pages: refusals as core.web shows them, and idempotency keys of forms."""

import uuid

from civicgrid.core.web import acting as web_acting
from civicgrid.volunteering.selectors import NotAVolunteer


def acting(fallback: str):
    """core.web.acting; a resident who is not yet a volunteer is sent to the registration page."""
    return web_acting(fallback, send={NotAVolunteer: "volunteering:register"})


def form_key(request) -> str:
    """The idempotency key a form carries (a hidden field rendered with the page), so a double submit or
    a reload of the POST replays instead of redeeming twice."""
    key = request.POST.get("key", "")
    return key if 8 <= len(key) <= 80 else uuid.uuid4().hex


def new_key() -> str:
    return uuid.uuid4().hex
