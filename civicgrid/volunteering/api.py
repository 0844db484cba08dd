"""Volunteering API: thin handlers over services and selectors."""

from django.urls import reverse
from ninja import Path, Router
from ninja.responses import Status

from civicgrid.core.schemas import errors
from civicgrid.volunteering import matching, selectors, services, stats
from civicgrid.volunteering.hours import hours_value
from civicgrid.volunteering.schemas import (
    BIG,
    ActivityOut,
    CancelShiftIn,
    CandidateOut,
    CertificateOut,
    CompleteIn,
    ConfirmCodeIn,
    CorrectionIn,
    CorrectionOut,
    DenyIn,
    DonateIn,
    HelpIn,
    HelpOut,
    KeyIn,
    OfferOut,
    PointsOut,
    RecordOut,
    RedemptionOut,
    RegisterIn,
    ReverseIn,
    ScanIn,
    ShiftOut,
    SignupOut,
    StatsOut,
    TransferOut,
    VolunteerOut,
)

router = Router(tags=["volunteering"])
Id = Path(..., ge=1, le=BIG)


def _me(request):
    volunteer = selectors.own_volunteer(request.auth)
    if volunteer is None:
        raise selectors.NotAVolunteer()
    return volunteer


@router.get("/volunteering/me", response={200: VolunteerOut, **errors(404)}, summary="My volunteer profile")
def me(request):
    return _me(request)


@router.post("/volunteering/volunteers", response={201: VolunteerOut, **errors(409)},
             summary="Register the signed-in user as a volunteer (with consent)")
def register(request, payload: RegisterIn):
    volunteer = services.register_volunteer(actor=request.auth, **payload.dict())
    return Status(201, volunteer)


@router.get("/volunteering/activities", response={200: list[ActivityOut], **errors()},
            summary="Published activities with upcoming shifts")
def activities(request):
    return list(selectors.activities_for(actor=request.auth, upcoming_only=True).prefetch_related("shifts")[:100])


@router.post("/volunteering/shifts/{shift_id}/signup", response={200: SignupOut, **errors(404, 409)},
             summary="Sign up for a shift (a place, or the waitlist when full)")
def sign_up(request, shift_id: int = Id):
    return services.sign_up(actor=request.auth, shift_id=shift_id)


@router.post("/volunteering/shifts/{shift_id}/cancel", response={200: ShiftOut, **errors(404, 409, 422)},
             summary="Organizer: call a shift off before it starts (sign-ups cancelled, volunteers told why)")
def cancel_shift(request, payload: CancelShiftIn, shift_id: int = Id):
    return services.cancel_shift(actor=request.auth, shift_id=shift_id, reason=payload.reason)


@router.post("/volunteering/signups/{signup_id}/cancel", response={200: SignupOut, **errors(404, 409)},
             summary="Cancel my sign-up (the first on the waitlist moves up)")
def cancel(request, signup_id: int = Id):
    return services.cancel_signup(actor=request.auth, signup_id=signup_id)


@router.post("/volunteering/scan", response={200: SignupOut, **errors(404, 409)},
             summary="Scan the organizer's shift QR code: check in, then check out")
def scan(request, payload: ScanIn):
    return services.scan(actor=request.auth, token=payload.token)


@router.post("/volunteering/signups/{signup_id}/attended", response={200: RecordOut, **errors(404, 409)},
             summary="Organizer: confirm the volunteer served the shift (record confirmed, points credited)")
def confirm_attendance(request, signup_id: int = Id):
    return services.confirm_attendance(actor=request.auth, signup_id=signup_id)


@router.get("/volunteering/records", response={200: list[RecordOut], **errors()},
            summary="Service records in my scope (mine, my teams', my area's)")
def records(request):
    return list(selectors.records_for(actor=request.auth)[:200])


@router.post("/volunteering/records/{record_id}/confirm", response={200: RecordOut, **errors(404, 409)},
             summary="Confirm a record (organizer); credits the points")
def confirm_record(request, record_id: int = Id):
    return services.confirm_record(actor=request.auth, record_id=record_id)


@router.post("/volunteering/records/{record_id}/deny", response={200: RecordOut, **errors(404, 409)},
             summary="Deny a record (organizer)")
def deny_record(request, payload: DenyIn, record_id: int = Id):
    return services.deny_record(actor=request.auth, record_id=record_id, reason=payload.reason)


@router.post("/volunteering/records/{record_id}/corrections", response={201: CorrectionOut, **errors(404, 409)},
             summary="Ask the organizer to correct my record")
def request_correction(request, payload: CorrectionIn, record_id: int = Id):
    return Status(201, services.request_correction(actor=request.auth, record_id=record_id, **payload.dict()))


@router.get("/volunteering/points", response={200: PointsOut, **errors(404)}, summary="My balance and movements")
def points(request):
    volunteer = _me(request)
    return {"balance": volunteer.account.balance, "movements": selectors.statement(actor=request.auth)}


@router.get("/volunteering/offers", response={200: list[OfferOut], **errors()}, summary="Valid partner-shop rewards")
def offers(request):
    return list(selectors.offers_for(actor=request.auth)[:200])


@router.post("/volunteering/offers/{offer_id}/claim", response={200: RedemptionOut, **errors(404, 409)},
             summary="Claim a reward: points held, one item reserved, a one-time code for the shop")
def claim(request, payload: KeyIn, offer_id: int = Id):
    return services.claim(actor=request.auth, offer_id=offer_id, key=payload.key)


@router.post("/volunteering/redemptions/confirm", response={200: RedemptionOut, **errors(404, 409)},
             summary="Shop: confirm the code a volunteer shows")
def confirm_code(request, payload: ConfirmCodeIn):
    return services.confirm_redemption(actor=request.auth, code=payload.code)


@router.post("/volunteering/donations", response={200: TransferOut, **errors(404, 409)},
             summary="Donate points to a family member or an elder")
def donate(request, payload: DonateIn):
    return services.donate(actor=request.auth, **payload.dict())


@router.post("/volunteering/transfers/{transfer_id}/reverse", response={200: TransferOut, **errors(403, 404, 409)},
             summary="Correct a transfer with a reversing transfer (district or community staff)")
def reverse_transfer(request, payload: ReverseIn, transfer_id: int = Id):
    return services.reverse_transfer(actor=request.auth, transfer_id=transfer_id, **payload.dict())


@router.get("/volunteering/help-requests", response={200: list[HelpOut], **errors()},
            summary="Help requests: my area's (staff) or open ones near me (volunteers)")
def help_requests(request):
    return list(selectors.help_requests_for(actor=request.auth)[:200])


@router.post("/volunteering/help-requests", response={201: HelpOut, **errors(404, 409)},
             summary="Ask for help for a resident (the resident, or staff on their behalf)")
def ask_for_help(request, payload: HelpIn):
    return Status(201, services.ask_for_help(actor=request.auth, **payload.dict()))


@router.get("/volunteering/help-requests/{request_id}/candidates", response={200: list[CandidateOut], **errors(404)},
            summary="Proposed volunteers by skill, walking distance, availability and load")
def candidates(request, request_id: int = Id):
    help_request = selectors.help_request_detail(actor=request.auth, request_id=request_id)
    return [{"volunteer_id": c.volunteer.pk, "name": c.volunteer.name, "distance_m": c.distance_m, "skill": c.skill,
             "available": c.available, "recent_load": c.recent_load, "score": c.score}
            for c in matching.candidates(help_request)]


@router.post("/volunteering/help-requests/{request_id}/accept", response={200: HelpOut, **errors(404, 409)},
             summary="Volunteer: take a help request")
def accept_help(request, request_id: int = Id):
    return services.accept_help(actor=request.auth, request_id=request_id)


@router.post("/volunteering/help-requests/{request_id}/complete", response={201: RecordOut, **errors(404, 409)},
             summary="Volunteer: report the help done (creates the service record)")
def complete_help(request, payload: CompleteIn, request_id: int = Id):
    return Status(201, services.complete_help(actor=request.auth, request_id=request_id, **payload.dict()))


@router.get("/volunteering/stats", response={200: StatsOut, **errors()}, summary="Statistics in my scope")
def statistics(request):
    return stats.summary(actor=request.auth)


@router.get("/volunteering/certificates/{token}", auth=None, response={200: CertificateOut, **errors(404)},
            summary="Public verification of a certificate (masked holder and totals)")
def verify_certificate(request, token: str = Path(..., min_length=1, max_length=40)):
    certificate = selectors.certificate_by_token(token)
    return {"number": certificate.number, "holder": certificate.holder_masked,
            "id_number_masked": certificate.id_number_masked, "hours": hours_value(certificate.minutes),
            "records": certificate.records, "issuer": certificate.issuer, "issued_at": certificate.issued_at,
            "verify_url": request.build_absolute_uri(reverse("volunteering:verify", args=[certificate.token]))}
