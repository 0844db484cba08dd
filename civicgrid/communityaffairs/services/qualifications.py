"""Workers' social-worker certificates (社会工作者职业资格): add, correct and remove, each audited."""

from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civicgrid.communityaffairs.models import Qualification
from civicgrid.communityaffairs.services.common import choice, text
from civicgrid.core import audit
from civicgrid.core.errors import ValidationFailed
from civicgrid.people.models import StaffMember


def _duplicate() -> ValidationFailed:
    return ValidationFailed(_("This certificate number is already recorded."), code="duplicate_certificate",
                            field="certificate_no")


def _checked(*, level: str, certificate_no: str, issued_on: date | None, expires_on: date | None,
             exclude: int | None = None) -> dict:
    """The certificate's fields, or a refusal with a stable code."""
    if issued_on is None:
        raise ValidationFailed(_("Give the date the certificate was issued."), code="invalid_issued_on",
                               field="issued_on")
    if issued_on > timezone.localdate():
        raise ValidationFailed(_("A certificate cannot be issued in the future."), code="issued_in_future",
                               field="issued_on")
    if expires_on is not None and expires_on <= issued_on:
        raise ValidationFailed(_("A certificate expires after it is issued."), code="invalid_expiry",
                               field="expires_on")
    fields = {"level": choice(level, Qualification.Level.choices, field="level"),
              "certificate_no": text(certificate_no, field="certificate_no", low=4, high=40),
              "issued_on": issued_on, "expires_on": expires_on}
    if Qualification.objects.filter(certificate_no=fields["certificate_no"]).exclude(pk=exclude).exists():
        raise _duplicate()
    return fields


def _saved(found: Qualification) -> None:
    try:
        with transaction.atomic():
            found.full_clean(validate_unique=False)
            found.save()
    except IntegrityError:  # the same number recorded by someone else a moment ago
        raise _duplicate() from None


def _detail(found: Qualification) -> dict:
    return {"staff": found.staff_id, "level": found.level, "certificate_no": found.certificate_no,
            "issued_on": str(found.issued_on), "expires_on": str(found.expires_on or "")}


def add_qualification(*, actor, staff_id: int, level: str, certificate_no: str, issued_on: date | None,
                      expires_on: date | None = None) -> Qualification:
    staff = StaffMember.objects.get_managed(actor, pk=staff_id)
    found = Qualification(staff=staff, region_code=staff.region_code,
                          **_checked(level=level, certificate_no=certificate_no, issued_on=issued_on,
                                     expires_on=expires_on))
    with transaction.atomic():
        _saved(found)
        audit.record(actor=actor, action="communityaffairs.qualification.add", target=found,
                     region_code=staff.region_code, detail=_detail(found))
    return found


def update_qualification(*, actor, qualification_id: int, level: str, certificate_no: str,
                         issued_on: date | None, expires_on: date | None = None) -> Qualification:
    """Correct a certificate (a renewal gives it a new expiry date)."""
    with transaction.atomic():
        found = Qualification.objects.select_for_update().get_managed(actor, pk=qualification_id)
        before = _detail(found)
        for name, value in _checked(level=level, certificate_no=certificate_no, issued_on=issued_on,
                                    expires_on=expires_on, exclude=found.pk).items():
            setattr(found, name, value)
        _saved(found)
        audit.record(actor=actor, action="communityaffairs.qualification.update", target=found,
                     region_code=found.region_code, detail={"before": before, "after": _detail(found)})
    return found


def remove_qualification(*, actor, qualification_id: int) -> None:
    with transaction.atomic():
        found = Qualification.objects.select_for_update().get_managed(actor, pk=qualification_id)
        audit.record(actor=actor, action="communityaffairs.qualification.remove", target=found,
                     region_code=found.region_code, detail=_detail(found))
        found.delete()
