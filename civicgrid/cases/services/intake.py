"""Reporting a case from any channel: location inside the district, phone kept encrypted, photos cleaned."""

import math
import uuid
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civicgrid.accounts.models import Role
from civicgrid.assets import selectors as asset_selectors
from civicgrid.cases import photos as photo_files
from civicgrid.cases.errors import AddressNotFound, OutsideDistrict
from civicgrid.cases.models import Case, CaseEvent, CasePhoto, Category, Channel, Follower, Open311Client, State
from civicgrid.cases.selectors import get_case
from civicgrid.cases.services.publication import initial_publication
from civicgrid.core import audit
from civicgrid.core.encrypted import seal
from civicgrid.core.errors import NotFound, ValidationFailed
from civicgrid.core.personal import mask_phone, normalize_phone
from civicgrid.core.prepared import insert
from civicgrid.territory import addresses
from civicgrid.territory.locate import locate_code


def resolve_location(*, lon: float | None, lat: float | None, address: str) -> tuple[float, float, str]:
    """(lon, lat, grid code) from a pin, or from an address matching a place in the district."""
    if lon is not None and lat is not None:
        if not (math.isfinite(lon) and math.isfinite(lat) and -180 <= lon <= 180 and -90 <= lat <= 90):
            raise OutsideDistrict(field="lat")
        code = locate_code(lon, lat)
        if not code:
            raise OutsideDistrict(field="lat")
        return lon, lat, code
    text = (address or "").strip()
    if not text:
        raise ValidationFailed(_("Set a pin on the map or give an address."), code="location_required",
                               field="address")
    hit = addresses.best(text)
    code = locate_code(hit.lon, hit.lat) if hit else None
    if not code:
        raise AddressNotFound(field="address")
    return hit.lon, hit.lat, code  # type: ignore[union-attr]


def _asset(code: str):
    """The street asset a reporter names, by its code ('' for none)."""
    return asset_selectors.asset_for_report(code) if (code or "").strip() else None


def _category(category_id: int | None) -> Category | None:
    if category_id is None:
        return None
    category = Category.objects.select_related("parent").filter(pk=category_id, active=True).first()
    if category is None:
        raise ValidationFailed(_("Unknown category."), code="unknown_category", field="category")
    return category


def _set_phone(case: Case, phone: str) -> None:
    if phone:
        try:
            number = normalize_phone(phone)
        except ValidationFailed as error:
            error.field = error.field or "phone"
            raise
        seal(case, "phone", number)
        case.phone_masked = mask_phone(number)


def _check_description(description: str) -> str:
    text = (description or "").strip()
    if not 2 <= len(text) <= 4000:
        raise ValidationFailed(_("Describe the problem in 2 to 4000 characters."), code="invalid_description",
                               field="description")
    return text


def _first_state(actor, channel: str) -> str:
    """A grid worker's own patrol finding is registered at once: he is the first receiver."""
    return State.REGISTERED if channel == Channel.PATROL and getattr(actor, "role", "") == Role.GRID else State.REPORTED


def report_case(*, actor, channel: str, description: str, lon: float | None = None, lat: float | None = None,
                address: str = "", category_id: int | None = None, category: Category | None = None,
                phone: str = "", reporter_name: str = "", urgent: bool = False, photos=(),
                attributes: dict | None = None, media_url: str = "",
                external_id: str | None = None, open311_client: Open311Client | None = None,
                reported_at: datetime | None = None, publish: bool = False, asset_code: str = "") -> Case:
    """`publish` is the reporter's request to show the report publicly; staff review it (see publication).
    `asset_code` names a street asset (部件): without a pin or address the case stands where the asset stands.

    Everything that needs no lock (checks, the grid lookup, the phone's encryption, cleaning the photos, the
    audit event's fields) is done before the transaction begins: on SQLite the transaction holds the database's
    one write lock from BEGIN, so it should hold only the INSERTs and the audit head."""
    asset = _asset(asset_code)
    if asset is not None and (lon is None or lat is None) and not (address or "").strip():
        lon, lat = asset.lon, asset.lat
    lon, lat, grid_code = resolve_location(lon=lon, lat=lat, address=address)
    category = category or _category(category_id)
    now = timezone.now()
    at = reported_at or now
    user = actor if actor is not None and actor.is_authenticated else None
    state = _first_state(user, channel)
    reporter = user if channel in (Channel.RESIDENT, Channel.PATROL) else None
    case = Case(channel=channel, description=_check_description(description), lon=lon, lat=lat,
                address=(address or "")[:200], region_code=grid_code, category=category,
                category_top=category.top if category else None, reporter=reporter,
                reporter_name=(reporter_name or "")[:50], urgent=urgent, attributes=attributes or {},
                media_url=media_url[:500], external_id=external_id or None, open311_client=open311_client,
                open311_token=str(uuid.uuid4()) if open311_client else "", reported_at=at,
                reported_on=timezone.localtime(at).date(), state=state,
                publication=initial_publication(channel, publish), asset=asset)
    _set_phone(case, phone)
    if state == State.REGISTERED:
        case.registered_at, case.first_receiver = now, user
    event = CaseEvent(kind="report", to_state=state, actor=user, actor_role=getattr(user, "role", ""),
                      at=now, data={"channel": channel})
    cleaned = [photo_files.prepare(upload) for upload in photos]
    trail = audit.event_for(actor=user, action="cases.report", target_type=Case._meta.label_lower,
                            region_code=grid_code,
                            detail={"channel": channel, "photos": len(cleaned), "publication": case.publication,
                                    "asset": asset.code if asset else ""})
    with transaction.atomic():
        insert(case)  # case.save() without compiling its ~60 columns' INSERT every time
        event.case = case
        insert(event)
        if reporter:  # the reporter's phone needs no row: notify reads it from the case itself
            Follower.objects.create(case=case, user=reporter)
        for prepared in cleaned:
            CasePhoto.objects.create(case=case, event=event, uploaded_by=user, **prepared)
        trail.target_id = str(case.pk)
        audit.append(trail)
    return case


def _store_photo(case: Case, event: CaseEvent, upload, user) -> CasePhoto:
    prepared = photo_files.prepare(upload)
    return CasePhoto.objects.create(case=case, event=event, uploaded_by=user, **prepared)


@transaction.atomic
def add_photo(*, actor, case_id: int, photo) -> CasePhoto:
    case = get_case(actor=actor, case_id=case_id)
    from civicgrid.cases import policy

    if not policy.may(actor, "comment", case):
        raise NotFound()
    event = CaseEvent.objects.create(case=case, kind="photo", actor=actor, actor_role=actor.role,
                                     at=timezone.now(), from_state=case.state, to_state=case.state)
    stored = _store_photo(case, event, photo, actor)
    audit.record(actor=actor, action="cases.photo", target=case, region_code=case.region_code)
    return stored
