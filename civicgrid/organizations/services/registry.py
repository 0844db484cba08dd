"""The registry: registering an organization, its profile, grade, status, accounts and the audited reveal of its
legal representative's personal data."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from civicgrid.accounts.models import Role, User
from civicgrid.core import audit, creditcode
from civicgrid.core.encrypted import seal, unseal
from civicgrid.core.errors import NotFound, PermissionDenied, ValidationFailed
from civicgrid.core.models import AuditEvent
from civicgrid.core.personal import mask_id_number, mask_phone, normalize_id_number, normalize_phone
from civicgrid.core.scoping import covers, ensure_manages
from civicgrid.organizations.errors import DuplicateOrganization
from civicgrid.organizations.models import Field, Kind, OrgAccount, Organization, Rating, Registration
from civicgrid.organizations.services.common import (
    count,
    day,
    managed_organization,
    office_organization,
    text,
)
from civicgrid.territory.models import Level, Region

REVEAL_PERMISSION = "organizations.reveal_org_personal_data"
REVEALABLE = ("rep_id_number", "rep_phone")
# where each kind of registration is kept: registered by the district (or a subdistrict), filed with a
# subdistrict or a community
OFFICE_LEVELS = {Registration.REGISTERED: (Level.DISTRICT, Level.SUBDISTRICT),
                 Registration.FILED: (Level.SUBDISTRICT, Level.COMMUNITY)}
PROFILE_FIELDS = ("address", "business_scope", "party_organization", "staff_count", "volunteer_count", "field",
                  "service_area")


def _choice(value, choices, *, field: str) -> str:
    if value not in choices.values:
        raise ValidationFailed(_("Choose one of the listed values."), code="invalid_choice", field=field)
    return value


def _office(actor, region_code: str, registration: str) -> Region:
    region = Region.objects.filter(code=str(region_code or "")).first()
    if region is None:
        raise ValidationFailed(_("Choose the registering office's region."), code="unknown_region", field="region")
    ensure_manages(actor, region.code)
    if region.level not in OFFICE_LEVELS[registration]:
        raise ValidationFailed(_("A registered organization belongs to the district or a subdistrict; a filed one "
                                 "to a subdistrict or a community."), code="invalid_office", field="region")
    return region


def _service_area(codes, office: Region) -> list[Region]:
    wanted = sorted({str(code) for code in codes or [] if code})
    regions = list(Region.objects.filter(code__in=wanted, code__startswith=office.code[:6]))
    if len(regions) != len(wanted):
        raise ValidationFailed(_("Choose service areas inside the district."), code="unknown_region",
                               field="service_area")
    return regions


def _credit_code(value: str, registration: str) -> str:
    code = creditcode.normalize(value)
    if not code and registration == Registration.FILED:
        return ""
    return creditcode.clean_credit_code(code)


def _seal_representative(org: Organization, id_number: str, phone: str) -> None:
    number = normalize_id_number(id_number) if id_number else ""
    mobile = normalize_phone(phone) if phone else ""
    seal(org, "rep_id_number", number)
    org.rep_id_number_masked = mask_id_number(number) if number else ""
    seal(org, "rep_phone", mobile)
    org.rep_phone_masked = mask_phone(mobile) if mobile else ""


def _save(org: Organization) -> None:
    try:
        org.full_clean(exclude=["row_key"])
    except ValidationError as error:
        if "credit_code" in error.message_dict or any("unique" in str(m) for m in error.messages):
            raise DuplicateOrganization() from None
        field, messages = next(iter(error.message_dict.items()))
        raise ValidationFailed(messages[0], code="invalid", field=field) from None
    try:
        with transaction.atomic():
            org.save()
    except IntegrityError:
        raise DuplicateOrganization() from None


@transaction.atomic
def register_organization(*, actor, name: str, kind: str, field: str, registration: str, registration_authority: str,
                          registered_on, region_code: str, rep_name: str, credit_code: str = "",
                          rep_id_number: str = "", rep_phone: str = "", service_area=(), staff_count=0,
                          volunteer_count=0, address: str = "", business_scope: str = "",
                          party_organization: str = "") -> Organization:
    """An office enters an organization into its registry (登记 with a credit code, or 备案)."""
    registration = _choice(registration, Registration, field="registration")
    office = _office(actor, region_code, registration)
    org = Organization(
        name=text(name, field="name", limit=200), kind=_choice(kind, Kind, field="kind"),
        field=_choice(field, Field, field="field"), registration=registration,
        registration_authority=text(registration_authority, field="registration_authority", limit=100),
        registered_on=day(registered_on, field="registered_on"),
        credit_code=_credit_code(credit_code, registration), region=office,
        rep_name=text(rep_name, field="rep_name", limit=50), staff_count=count(staff_count, field="staff_count"),
        volunteer_count=count(volunteer_count, field="volunteer_count"),
        address=text(address, field="address", limit=200, required=False),
        business_scope=text(business_scope, field="business_scope", limit=2000, required=False),
        party_organization=text(party_organization, field="party_organization", limit=200, required=False))
    if Organization.objects.filter(credit_code=org.credit_code).exclude(credit_code="").exists():
        raise DuplicateOrganization()
    _seal_representative(org, rep_id_number, rep_phone)
    _save(org)
    org.service_area.set(_service_area(service_area, office))
    audit.record(actor=actor, action="organizations.register", target=org, region_code=org.region_code,
                 detail={"kind": org.kind, "registration": org.registration, "credit_code": org.credit_code})
    return org


@transaction.atomic
def update_profile(*, actor, organization_id: int, **changes) -> Organization:
    """The organization itself or its office keeps the profile: address, scope, party link, counts, field, area."""
    unknown = set(changes) - set(PROFILE_FIELDS)
    if unknown:
        raise ValidationFailed(_("These fields cannot be changed here."), code="invalid_field",
                               field=sorted(unknown)[0])
    org = managed_organization(actor, organization_id, lock=True)
    cleaners = {"address": lambda v: text(v, field="address", limit=200, required=False),
                "business_scope": lambda v: text(v, field="business_scope", limit=2000, required=False),
                "party_organization": lambda v: text(v, field="party_organization", limit=200, required=False),
                "staff_count": lambda v: count(v, field="staff_count"),
                "volunteer_count": lambda v: count(v, field="volunteer_count"),
                "field": lambda v: _choice(v, Field, field="field")}
    changed = []
    for name, value in changes.items():
        if name == "service_area":
            org.service_area.set(_service_area(value, org.region))
            changed.append(name)
            continue
        cleaned = cleaners[name](value)
        if getattr(org, name) != cleaned:
            setattr(org, name, cleaned)
            changed.append(name)
    _save(org)
    audit.record(actor=actor, action="organizations.profile.update", target=org, region_code=org.region_code,
                 detail={"fields": sorted(changed)})
    return org


@transaction.atomic
def set_representative(*, actor, organization_id: int, rep_name: str, rep_id_number: str = "",
                       rep_phone: str = "") -> Organization:
    org = office_organization(actor, organization_id, lock=True)
    org.rep_name = text(rep_name, field="rep_name", limit=50)
    _seal_representative(org, rep_id_number, rep_phone)
    _save(org)
    audit.record(actor=actor, action="organizations.representative", target=org, region_code=org.region_code,
                 detail={"id_number": org.rep_id_number_masked, "phone": org.rep_phone_masked})
    return org


@transaction.atomic
def set_rating(*, actor, organization_id: int, rating: int | None, rated_on=None, expires_on=None) -> Organization:
    """Record the assessment grade (1A–5A) with its date and expiry, or clear it (None)."""
    org = office_organization(actor, organization_id, lock=True)
    if rating in (None, "", 0, "0"):
        org.rating = org.rated_on = org.rating_expires_on = None
    else:
        try:
            grade = int(rating)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            grade = 0
        if grade not in Rating.values:
            raise ValidationFailed(_("A grade is 1A to 5A."), code="invalid_rating", field="rating")
        rated, expires = day(rated_on, field="rated_on"), day(expires_on, field="expires_on")
        if expires <= rated:  # type: ignore[operator]
            raise ValidationFailed(_("The grade must expire after the assessment date."), code="invalid_expiry",
                                   field="expires_on")
        org.rating, org.rated_on, org.rating_expires_on = grade, rated, expires
    _save(org)
    audit.record(actor=actor, action="organizations.rate", target=org, region_code=org.region_code,
                 detail={"rating": org.rating_label, "expires_on": str(org.rating_expires_on or "")})
    return org


@transaction.atomic
def set_status(*, actor, organization_id: int, status: str, reason: str) -> Organization:
    org = office_organization(actor, organization_id, lock=True)
    before = org.status
    org.status = _choice(status, Organization.Status, field="status")
    reason = text(reason, field="reason", limit=500)
    _save(org)
    audit.record(actor=actor, action="organizations.status", target=org, region_code=org.region_code,
                 detail={"from": before, "to": org.status, "reason": reason})
    return org


@transaction.atomic
def link_account(*, actor, organization_id: int, username: str, title: str = "", is_admin: bool = False) -> OrgAccount:
    """Link an existing `social_org` user to the organization (by its office, or by the organization's own
    account administrator)."""
    org = managed_organization(actor, organization_id)
    own = OrgAccount.objects.filter(user_id=actor.pk, organization=org).first()
    if own is not None and not own.is_admin:
        raise PermissionDenied(_("Only the organization's account administrator links accounts."))
    user = User.objects.filter(username=str(username or ""), role=Role.SOCIAL_ORG).first()
    if user is None:
        raise ValidationFailed(_("No social-organization account has this username."), code="unknown_user",
                               field="username")
    if OrgAccount.objects.filter(user=user).exists():
        raise ValidationFailed(_("This account already belongs to an organization."), code="account_taken",
                               field="username")
    account = OrgAccount.objects.create(organization=org, user=user, is_admin=bool(is_admin),
                                        title=text(title, field="title", limit=50, required=False))
    audit.record(actor=actor, action="organizations.account.link", target=account, region_code=org.region_code,
                 detail={"username": user.username, "admin": account.is_admin})
    return account


def reveal(*, actor, organization_id: int, field: str, purpose: str = "") -> str:
    """The legal representative's full ID number or phone: permission, jurisdiction and a purpose; audited."""
    org = Organization.objects.get_visible(actor, pk=organization_id)
    if field not in REVEALABLE:
        raise ValidationFailed(_("This field cannot be revealed."), code="invalid_field", field="field")
    if not actor.has_perm(REVEAL_PERMISSION) or not covers(actor, org.region_code):
        with transaction.atomic():
            audit.record(actor=actor, action="organizations.reveal", target=org, region_code=org.region_code,
                         outcome=AuditEvent.Outcome.DENIED, detail={"field": field})
        raise PermissionDenied(_("You are not allowed to see full personal data."))
    reason = " ".join(str(purpose or "").split())[:200]
    if len(reason) < 2:
        raise ValidationFailed(_("Say why you need the full value."), code="purpose_required", field="purpose")
    with transaction.atomic():
        audit.record(actor=actor, action="organizations.reveal", target=org, region_code=org.region_code,
                     detail={"field": field, "purpose": reason})
        return unseal(org, field)


def organization_of_account(user) -> Organization:
    account = OrgAccount.objects.select_related("organization").filter(user_id=getattr(user, "pk", None)).first()
    if account is None:
        raise NotFound()
    return account.organization
