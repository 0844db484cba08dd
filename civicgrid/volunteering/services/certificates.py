"""志愿服务证明: a numbered certificate of confirmed service, verifiable by anyone through its token."""

import secrets

from django.db import transaction
from django.db.models import Max, Min, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civicgrid.core import audit
from civicgrid.core.errors import NotFound
from civicgrid.core.personal import mask_name
from civicgrid.volunteering import events
from civicgrid.volunteering.errors import InvalidState
from civicgrid.volunteering.models import Certificate, ServiceRecord, Volunteer
from civicgrid.volunteering.policy import issuer_name


def _volunteer_for(actor, volunteer_id: int | None) -> Volunteer:
    if volunteer_id is None:
        volunteer = Volunteer.objects.filter(user_id=actor.pk).first()
    else:
        # the volunteer themselves, or staff managing their community
        volunteer = (Volunteer.objects.filter(user_id=actor.pk) | Volunteer.objects.managed_by(actor)).filter(
            pk=volunteer_id).first()
    if volunteer is None:
        raise NotFound()
    return volunteer


def issue_certificate(*, actor, volunteer_id: int | None = None) -> Certificate:
    """Certify every confirmed record of service that ended before the certificate's own date and time (the
    volunteer asks, or staff of their area): a certificate never attests service after it was issued."""
    volunteer = _volunteer_for(actor, volunteer_id)
    with transaction.atomic():
        now = timezone.now()
        confirmed = ServiceRecord.objects.filter(volunteer=volunteer, status=ServiceRecord.Status.CONFIRMED,
                                                 ended_at__lte=now, service_date__lte=timezone.localdate(now))
        totals = confirmed.aggregate(minutes=Sum("minutes"), first=Min("service_date"), last=Max("service_date"))
        if not totals["minutes"]:
            raise InvalidState(_("There is no confirmed service to certify yet."), code="nothing_to_certify")
        certificate = Certificate.objects.create(
            number=f"ZYFW{timezone.localdate(now):%Y%m%d}{secrets.randbelow(10**8):08d}",
            token=secrets.token_urlsafe(18)[:24], volunteer=volunteer, holder_masked=mask_name(volunteer.name),
            id_number_masked=volunteer.id_number_masked, minutes=totals["minutes"], records=confirmed.count(),
            first_date=totals["first"], last_date=totals["last"], issuer=issuer_name())
        audit.record(actor=actor, action="volunteering.certificate.issue", target=certificate,
                     region_code=volunteer.region_code, detail={"number": certificate.number})
        events.certificate_ready(certificate)
    return certificate
