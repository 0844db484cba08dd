"""Staff link a resident account to a household of the register: the right to support and vote."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civicgrid.accounts.models import Role, User
from civicgrid.consultation.models import HouseholdVerification
from civicgrid.core import audit
from civicgrid.core.errors import ValidationFailed
from civicgrid.people.models import Resident


@transaction.atomic
def verify_resident(*, actor, username: str, resident_id: int) -> HouseholdVerification:
    """The account `username` belongs to register resident `resident_id` (checked by staff in person)."""
    resident = Resident.objects.select_related("household").get_managed(actor, pk=resident_id)
    user = User.objects.filter(username=(username or "").strip(), role=Role.RESIDENT, is_active=True).first()
    if user is None:
        raise ValidationFailed(_("No active resident account has this user name."), code="unknown_account",
                               field="username")
    HouseholdVerification.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
    verification = HouseholdVerification.objects.create(
        user=user, resident=resident, household=resident.household, region_code=resident.region_code,
        community_code=resident.region_code[:12], verified_by=actor)
    audit.record(actor=actor, action="consultation.verify", target=verification, region_code=resident.region_code,
                 detail={"user": user.pk, "household": resident.household_id})
    return verification


@transaction.atomic
def revoke_verification(*, actor, verification_id: int) -> HouseholdVerification:
    verification = HouseholdVerification.objects.select_for_update().get_managed(actor, pk=verification_id)
    if verification.revoked_at is None:
        verification.revoked_at = timezone.now()
        verification.save(update_fields=["revoked_at"])
        audit.record(actor=actor, action="consultation.revoke", target=verification,
                     region_code=verification.region_code)
    return verification
