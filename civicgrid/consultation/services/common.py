"""Checks shared by the consultation services."""

from django.utils.translation import gettext as _

from civicgrid.consultation.models import CommunitySettings, TopicEvent
from civicgrid.core.errors import ValidationFailed
from civicgrid.core.scoping import ensure_manages


def text_between(value: str, *, field: str, low: int = 2, high: int = 4000) -> str:
    text = (value or "").strip()
    if not low <= len(text) <= high:
        raise ValidationFailed(_("Write %(low)s to %(high)s characters.") % {"low": low, "high": high},
                               code=f"invalid_{field}", field=field)
    return text


def community_code(value: str) -> str:
    code = (value or "").strip()
    if len(code) != 12 or not code.isdigit():
        raise ValidationFailed(_("Give a 12-digit community code."), code="invalid_community", field="community")
    return code


def managed_community(actor, value: str) -> str:
    """A community code the actor manages: 404 outside the actor's area, 403 for those who only watch."""
    code = community_code(value)
    ensure_manages(actor, code)
    return code


def settings_of(code: str) -> CommunitySettings:
    return CommunitySettings.objects.filter(region_code=code).first() or CommunitySettings(region_code=code)


def record_event(**fields) -> TopicEvent:
    """A topic's timeline entry; what is meant for the supporters also reaches them (consultation.events)."""
    from civicgrid.consultation.events import tell_supporters

    found = TopicEvent.objects.create(**fields)
    if found.for_supporters:
        tell_supporters(found)
    return found
