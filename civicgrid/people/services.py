"""Every write to residents, households and the staff roster. Keyword-only, one transaction each, audited.

Personal data (ID number, phone, health note) is encrypted with `core.crypto` before it reaches a model;
ID number and phone also get a blind index for exact lookup and a masked copy for lists. Plaintext is
never stored, logged or put in an audit event.
"""

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from civicgrid.core import audit, crypto
from civicgrid.core.encrypted import seal, unseal
from civicgrid.core.errors import NotFound, PermissionDenied, ValidationFailed
from civicgrid.core.models import AuditEvent
from civicgrid.core.personal import (
    birth_date_from_id,
    gender_from_id,
    mask_id_number,
    mask_phone,
    normalize_id_number,
    normalize_phone,
)
from civicgrid.core.scoping import area_of
from civicgrid.people.models import Household, Resident, ResidentGroup, SpecialGroup, StaffBody, StaffMember
from civicgrid.territory.models import RESIDENTIAL_KINDS, Level, Place, Region

REVEALABLE_FIELDS = ("id_number", "phone", "health_note")
REVEAL_PERMISSION = "people.reveal_personal_data"
PURPOSE_REQUIRED = ("id_number",)  # a full ID number is shown only for a stated purpose, kept in the audit event
PURPOSE_LENGTH = (2, 200)
MAX_NAME_LENGTH = 50
MAX_UNIT_LABEL_LENGTH = 50
MAX_HEALTH_NOTE_LENGTH = 500


@dataclass(frozen=True)
class ResidentData:
    """Validated values for one resident, ready to be encrypted and written."""

    place: Place
    unit_label: str
    name: str
    id_number: str
    phone: str
    groups: frozenset[str]
    residence: str
    is_party_member: bool
    health_note: str
    moved_in_on: date | None


# --- validation -------------------------------------------------------------------------------------------

def age_on(birth: date, today: date) -> int:
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


def clean_name(name: str) -> str:
    name = " ".join(str(name or "").split())
    if not name:
        raise ValidationFailed(_("Enter the resident's name."), code="required", field="name")
    if len(name) > MAX_NAME_LENGTH:
        raise ValidationFailed(_("The name is too long."), code="too_long", field="name")
    return name


def clean_id_number(id_number: str) -> str:
    try:
        return normalize_id_number(id_number or "")
    except ValidationFailed as exc:
        exc.field = "id_number"
        raise


def clean_phone(phone: str) -> str:
    if not str(phone or "").strip():
        return ""
    try:
        return normalize_phone(phone)
    except ValidationFailed as exc:
        exc.field = "phone"
        raise


def clean_unit_label(unit_label: str) -> str:
    label = " ".join(str(unit_label or "").split())
    if not label:
        raise ValidationFailed(_("Enter the building, unit and room."), code="required", field="unit_label")
    if len(label) > MAX_UNIT_LABEL_LENGTH:
        raise ValidationFailed(_("The building, unit and room label is too long."), code="too_long",
                               field="unit_label")
    return label


def clean_groups(groups, *, birth: date, residence: str, today: date | None = None) -> frozenset[str]:
    """Known special-group codes, plus the ones that follow from the facts: minors and floating population."""
    valid = set(SpecialGroup.values)
    unknown = [g for g in groups if g not in valid]
    if unknown:
        raise ValidationFailed(_("Unknown special group: %(group)s.") % {"group": ", ".join(map(str, unknown))},
                               code="invalid_group", field="groups")
    result = set(groups)
    if age_on(birth, today or date.today()) < 18:
        result.add(SpecialGroup.MINOR)
    if residence == Resident.Residence.FLOATING:
        result.add(SpecialGroup.FLOATING)
    return frozenset(str(g) for g in result)


def clean_residence(residence: str) -> str:
    if residence not in Resident.Residence.values:
        raise ValidationFailed(_("Choose registered or non-registered residence."), code="invalid_residence",
                               field="residence")
    return residence


def clean_health_note(note: str) -> str:
    note = str(note or "").strip()
    if len(note) > MAX_HEALTH_NOTE_LENGTH:
        raise ValidationFailed(_("The note is too long."), code="too_long", field="health_note")
    return note


def ensure_residential_place(place: Place) -> None:
    if place.kind not in RESIDENTIAL_KINDS:
        raise ValidationFailed(_("Residents can only be registered at a residential compound."),
                               code="not_residential", field="place")


def existing_id_number(id_number: str, *, exclude_pk=None) -> Resident | None:
    """The resident holding this ID number anywhere in the district (ignores jurisdiction: for duplicates)."""
    queryset = Resident.objects.filter(id_number_index__in=crypto.blind_index_candidates(id_number))
    if exclude_pk is not None:
        queryset = queryset.exclude(pk=exclude_pk)
    return queryset.first()


def ensure_unique_id_number(id_number: str, *, exclude_pk=None) -> None:
    if existing_id_number(id_number, exclude_pk=exclude_pk) is not None:
        raise ValidationFailed(_("A resident with this ID number is already registered."),
                               code="duplicate_id_number", field="id_number")


def place_in_scope(*, actor, place_id) -> Place:
    place = Place.objects.visible_to(actor).filter(pk=place_id).first()
    if place is None:
        raise NotFound(_("The place does not exist or is outside your jurisdiction."), field="place")
    return place


def clean_resident(*, place, unit_label, name, id_number, phone="", groups=(),
                   residence=Resident.Residence.REGISTERED, is_party_member=False, health_note="",
                   moved_in_on=None) -> ResidentData:
    ensure_residential_place(place)
    number = clean_id_number(id_number)
    residence = clean_residence(residence)
    return ResidentData(
        place=place, unit_label=clean_unit_label(unit_label), name=clean_name(name), id_number=number,
        phone=clean_phone(phone), residence=residence, is_party_member=bool(is_party_member),
        groups=clean_groups(groups, birth=birth_date_from_id(number), residence=residence),
        health_note=clean_health_note(health_note), moved_in_on=moved_in_on,
    )


# --- personal-data fields ---------------------------------------------------------------------------------

def set_id_number(resident: Resident, number: str) -> None:
    seal(resident, "id_number", number)
    resident.id_number_masked = mask_id_number(number)
    resident.birth_date = birth_date_from_id(number)
    resident.gender = gender_from_id(number)


def set_phone(obj: Resident | StaffMember, phone: str) -> None:
    seal(obj, "phone", phone)
    obj.phone_masked = mask_phone(phone) if phone else ""


def set_health_note(resident: Resident, note: str) -> None:
    seal(resident, "health_note", note)


# --- residents --------------------------------------------------------------------------------------------

def household_at(*, place: Place, unit_label: str, is_rental: bool = False) -> Household:
    household = Household.objects.filter(place=place, unit_label=unit_label).first()
    if household is None:
        household = Household(place=place, unit_label=unit_label, is_rental=is_rental)
        household.save()
    return household


def create_resident(data: ResidentData) -> Resident:
    """Write one validated resident (no audit, no duplicate check: callers do both)."""
    household = household_at(place=data.place, unit_label=data.unit_label,
                             is_rental=data.residence == Resident.Residence.FLOATING)
    resident = Resident(name=data.name, household=household, place=data.place, residence=data.residence,
                        is_party_member=data.is_party_member, moved_in_on=data.moved_in_on)
    set_id_number(resident, data.id_number)
    set_phone(resident, data.phone)
    set_health_note(resident, data.health_note)
    resident.save()
    ResidentGroup.objects.bulk_create([ResidentGroup(resident=resident, group=g) for g in sorted(data.groups)])
    return resident


def register_resident(*, actor, place, unit_label, name, id_number, phone="", groups=(),
                      residence=Resident.Residence.REGISTERED, is_party_member=False, health_note="",
                      moved_in_on=None) -> Resident:
    """Register a resident at a place in the actor's jurisdiction. `place` is a Place or its id."""
    with transaction.atomic():
        place = place_in_scope(actor=actor, place_id=getattr(place, "pk", place))
        data = clean_resident(place=place, unit_label=unit_label, name=name, id_number=id_number, phone=phone,
                              groups=groups, residence=residence, is_party_member=is_party_member,
                              health_note=health_note, moved_in_on=moved_in_on)
        ensure_unique_id_number(data.id_number)
        resident = create_resident(data)
        audit.record(actor=actor, action="people.resident.create", target=resident,
                     region_code=resident.region_code, detail={"groups": sorted(data.groups)})
        return resident


_UPDATABLE = ("name", "id_number", "phone", "groups", "residence", "is_party_member", "health_note",
              "moved_in_on", "place", "unit_label")


def locked_resident_in_scope(*, actor, resident_id) -> Resident:
    return Resident.objects.select_for_update().get_visible(actor, pk=resident_id)


def update_resident(*, actor, resident_id, **changes) -> Resident:
    """Change some of a resident's fields (see `_UPDATABLE`); the audit event names the fields, never values."""
    unknown = set(changes) - set(_UPDATABLE)
    if unknown:
        raise TypeError(f"update_resident() got unexpected fields: {sorted(unknown)}")
    with transaction.atomic():
        resident = locked_resident_in_scope(actor=actor, resident_id=resident_id)
        _apply_changes(actor=actor, resident=resident, changes=changes)
        resident.save()
        if "groups" in changes or "residence" in changes or "id_number" in changes:
            _replace_groups(resident, changes.get("groups"))
        audit.record(actor=actor, action="people.resident.update", target=resident,
                     region_code=resident.region_code, detail={"fields": sorted(changes)})
        return resident


def _apply_changes(*, actor, resident: Resident, changes: dict) -> None:
    if "name" in changes:
        resident.name = clean_name(changes["name"])
    if "id_number" in changes:
        number = clean_id_number(changes["id_number"])
        ensure_unique_id_number(number, exclude_pk=resident.pk)
        set_id_number(resident, number)
    if "phone" in changes:
        set_phone(resident, clean_phone(changes["phone"]))
    if "health_note" in changes:
        set_health_note(resident, clean_health_note(changes["health_note"]))
    if "residence" in changes:
        resident.residence = clean_residence(changes["residence"])
    if "is_party_member" in changes:
        resident.is_party_member = bool(changes["is_party_member"])
    if "moved_in_on" in changes:
        resident.moved_in_on = changes["moved_in_on"]
    if "place" in changes or "unit_label" in changes:
        place = changes.get("place", resident.place)
        place = place_in_scope(actor=actor, place_id=getattr(place, "pk", place))
        ensure_residential_place(place)
        label = clean_unit_label(changes.get("unit_label", resident.household.unit_label))
        resident.place = place
        resident.household = household_at(place=place, unit_label=label)


def _replace_groups(resident: Resident, groups) -> None:
    if groups is None:
        groups = set(resident.groups.values_list("group", flat=True))
        groups.discard(SpecialGroup.FLOATING)
        groups.discard(SpecialGroup.MINOR)
    wanted = clean_groups(groups, birth=resident.birth_date, residence=resident.residence)
    resident.groups.exclude(group__in=wanted).delete()
    have = set(resident.groups.values_list("group", flat=True))
    ResidentGroup.objects.bulk_create([ResidentGroup(resident=resident, group=g) for g in sorted(wanted - have)])


# --- reveal and lookup ------------------------------------------------------------------------------------

def _purpose(field: str, purpose: str) -> str:
    text = " ".join((purpose or "").split())
    low, high = PURPOSE_LENGTH
    if field in PURPOSE_REQUIRED and not low <= len(text) <= high:
        raise ValidationFailed(_("Say why you need the full ID number (2 to 200 characters)."),
                               code="purpose_required", field="purpose")
    return text[:high]


def reveal(*, actor, resident_id, field: str, purpose: str = "") -> str:
    """The full value of one personal-data field. Needs the reveal permission and jurisdiction; audited with
    the purpose the actor gave (required for an ID number)."""
    resident = Resident.objects.get_visible(actor, pk=resident_id)  # out of sight first: 404 whatever the field
    if field not in REVEALABLE_FIELDS:
        raise ValidationFailed(_("This field cannot be revealed."), code="invalid_field", field="field")
    if not actor.has_perm(REVEAL_PERMISSION):
        with transaction.atomic():
            audit.record(actor=actor, action="people.resident.reveal", target=resident,
                         region_code=resident.region_code, outcome=AuditEvent.Outcome.DENIED,
                         detail={"field": field})
        raise PermissionDenied(_("You are not allowed to see full personal data."))
    reason = _purpose(field, purpose)
    with transaction.atomic():
        audit.record(actor=actor, action="people.resident.reveal", target=resident,
                     region_code=resident.region_code,
                     detail={"field": field, **({"purpose": reason} if reason else {})})
        return unseal(resident, field)


def find_by_id_number(*, actor, id_number: str) -> Resident:
    """Exact lookup through the blind index under every configured key; NotFound outside the jurisdiction."""
    number = clean_id_number(id_number)
    prefix = area_of(actor)
    if prefix is None:
        raise NotFound()
    resident = (Resident.objects.visible_to(actor).select_related("place", "household").prefetch_related("groups")
                .filter(id_number_index__in=crypto.blind_index_candidates(number)).first())
    with transaction.atomic():  # who looked up which number is personal-data access too: audited, masked
        audit.record(actor=actor, action="people.resident.lookup", target=resident,
                     region_code=resident.region_code if resident else prefix,
                     outcome=AuditEvent.Outcome.SUCCESS if resident else AuditEvent.Outcome.FAILED,
                     detail={"id_number": mask_id_number(number)})
    if resident is None:
        raise NotFound(_("No resident with this ID number in your jurisdiction."))
    return resident


# --- staff roster -----------------------------------------------------------------------------------------

def _clean_staff_grids(region: Region, grids) -> list[Region]:
    grid_regions = list(Region.objects.filter(pk__in=[getattr(g, "pk", g) for g in grids]))
    if len(grid_regions) != len(set(grids)):
        raise ValidationFailed(_("Unknown grid."), code="invalid_grid", field="grids")
    for grid in grid_regions:
        if grid.level != Level.GRID or not grid.code.startswith(region.code):
            raise ValidationFailed(_("Every grid must lie inside the staff member's region."),
                                   code="invalid_grid", field="grids")
    return grid_regions


def register_staff_member(*, actor, region, name, body, position="", grids=(), is_party_member=False,
                          phone="", started_on=None, user=None) -> StaffMember:
    """Add someone to the roster of a region in the actor's jurisdiction. `region` is a Region or its code."""
    with transaction.atomic():
        code = getattr(region, "code", region)
        region_obj = Region.objects.visible_to(actor).filter(code=code).first()
        if region_obj is None:
            raise NotFound(field="region")
        if body not in StaffBody.values:
            raise ValidationFailed(_("Choose the body the staff member works for."), code="invalid_body",
                                   field="body")
        member = StaffMember(name=clean_name(name), body=body, position=str(position or "")[:50],
                             region=region_obj, is_party_member=bool(is_party_member), started_on=started_on,
                             user=user)
        set_phone(member, clean_phone(phone))
        member.save()
        member.grids.set(_clean_staff_grids(region_obj, grids))
        audit.record(actor=actor, action="people.staff.create", target=member, region_code=region_obj.code,
                     detail={"body": body})
        return member
