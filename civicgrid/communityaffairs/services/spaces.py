"""Rooms of a community, whether it is newly built, and the editable standards (district only)."""

from django.db import transaction

from civicgrid.communityaffairs.models import CommunityProfile, Room, Standard
from civicgrid.communityaffairs.services.common import choice, ensure_district, managed_community, number, text
from civicgrid.core import audit


def add_room(*, actor, community: str, name: str, use: str, area_m2) -> Room:
    code = managed_community(actor, community)
    room = Room(region_code=code, name=text(name, field="name", high=100), use=choice(use, Room.Use.choices,
                field="use"), area_m2=number(area_m2, field="area_m2", low=0.1, high=100000))
    with transaction.atomic():
        room.full_clean()
        room.save()
        audit.record(actor=actor, action="communityaffairs.room.add", target=room, region_code=code,
                     detail={"use": room.use, "area_m2": str(room.area_m2)})
    return room


def remove_room(*, actor, room_id: int) -> None:
    with transaction.atomic():
        room = Room.objects.get_managed(actor, pk=room_id)
        audit.record(actor=actor, action="communityaffairs.room.remove", target=room, region_code=room.region_code,
                     detail={"name": room.name, "area_m2": str(room.area_m2)})
        room.delete()


def set_new_community(*, actor, community: str, is_new: bool) -> CommunityProfile:
    """New communities are held to the municipal rule for new communities instead of the existing ones'."""
    code = managed_community(actor, community)
    with transaction.atomic():
        profile, _ = CommunityProfile.objects.select_for_update().get_or_create(region_code=code)
        profile.is_new = bool(is_new)
        profile.save()
        audit.record(actor=actor, action="communityaffairs.profile.save", target=profile, region_code=code,
                     detail={"is_new": profile.is_new})
    return profile


def set_standard(*, actor, key: str, value, source: str, source_checked: bool = False) -> Standard:
    """District staff edit a threshold, name its source (a document and its date) and say whether they checked
    the document itself (an unchecked source is shown as 待核实)."""
    area = ensure_district(actor)
    key = choice(key, Standard.Key.choices, field="key")
    amount = number(value, field="value", low=0, high=100000)
    source = text(source, field="source", low=2, high=300)
    with transaction.atomic():
        standard = Standard.objects.select_for_update().filter(key=key).first() or Standard(key=key)
        before = str(standard.value) if standard.pk else None
        standard.value, standard.source, standard.source_checked = amount, source, bool(source_checked)
        standard.full_clean()
        standard.save()
        audit.record(actor=actor, action="communityaffairs.standard.save", target=standard, region_code=area,
                     detail={"key": key, "from": before, "to": str(amount), "source": source,
                             "source_checked": standard.source_checked})
    return standard
