"""Staff pages: meeting planner with sign-in sheet and minutes editor, resolutions, votes, verification,
honorary directors, statistics by compound kind."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from civicgrid.consultation import selectors, services
from civicgrid.consultation.models import Contribution, Party, Resolution, Topic
from civicgrid.consultation.webutil import day, ids, moment, number
from civicgrid.core.redirects import safe_next
from civicgrid.core.scoping import managed_area_of, manages
from civicgrid.core.web import acting
from civicgrid.core.web import found as found_or_404


def _labelled(attendance: dict) -> list[tuple[str, dict]]:
    labels = dict(Party.choices)
    return [(str(labels.get(party, party)), counts) for party, counts in attendance.items()]


@login_required
@require_GET
def meeting(request, meeting_id):
    found = found_or_404(selectors.get_meeting, actor=request.user, meeting_id=meeting_id)
    manager = manages(request.user, found.region_code)
    return render(request, "consultation/meeting.html", {
        "meeting": found, "manager": manager, "invitees": found.invitees.all(),
        "attendance": _labelled(selectors.attendance(found)), "versions": found.minutes_versions.all(),
        "minutes": found.minutes, "parties": Party.choices, "topics": found.topics.all(),
        "resolutions": found.resolutions.select_related("case"),
        "directors": selectors.directors_in(found.region_code) if manager else [],
        "checkin_url": request.build_absolute_uri(f"/consultation/checkin/{found.checkin_token}/") if manager else ""})


@login_required
@require_POST
@acting("consultation:home")
def plan_meeting(request):
    made = services.plan_meeting(actor=request.user, community=request.POST.get("community", ""),
                                 title=request.POST.get("title", ""), starts_at=moment(request, "starts_at"),
                                 place_id=number(request, "place"), room=request.POST.get("room", ""),
                                 topic_ids=ids(request, "topics"))
    return redirect("consultation:meeting", meeting_id=made.pk)


@login_required
@require_POST
@acting("consultation:home")
def invite(request, meeting_id):
    services.invite(actor=request.user, meeting_id=meeting_id, name=request.POST.get("name", ""),
                    party=request.POST.get("party", ""), director_id=number(request, "director"))
    return redirect("consultation:meeting", meeting_id=meeting_id)


@login_required
@require_POST
@acting("consultation:home")
def sign_in(request, invitee_id):
    invitee = services.sign_in(actor=request.user, invitee_id=invitee_id)
    return redirect("consultation:meeting", meeting_id=invitee.meeting_id)


def checkin(request, token):
    """The page behind the meeting's QR code: an invitee with an account signs in themselves."""
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"/accounts/login/?next={request.path}")
        return _scan(request, token)
    return render(request, "consultation/checkin.html", {"token": token})


@acting("consultation:home")
def _scan(request, token):
    services.scan_checkin(actor=request.user, token=token)
    messages.success(request, _("You are signed in to the meeting."))
    return redirect("consultation:checkin", token=token)


@login_required
@require_POST
@acting("consultation:home")
def minutes(request, meeting_id):
    services.save_minutes(actor=request.user, meeting_id=meeting_id, text=request.POST.get("text", ""),
                          closing_report=request.POST.get("closing_report", ""),
                          amend=request.POST.get("amend") == "1")
    messages.success(request, _("Minutes saved."))
    return redirect("consultation:meeting", meeting_id=meeting_id)


@login_required
@require_POST
@acting("consultation:home")
def approve(request, meeting_id):
    services.approve_minutes(actor=request.user, meeting_id=meeting_id)
    messages.success(request, _("The minutes are approved and locked."))
    return redirect("consultation:meeting", meeting_id=meeting_id)


@login_required
@require_POST
@acting("consultation:home")
def publish_meeting(request, meeting_id):
    services.publish_meeting(actor=request.user, meeting_id=meeting_id)
    return redirect("consultation:meeting", meeting_id=meeting_id)


@login_required
@require_POST
@acting("consultation:home")
def adopt(request, meeting_id):
    services.adopt_resolution(actor=request.user, meeting_id=meeting_id, topic_id=number(request, "topic"),
                              title=request.POST.get("title", ""), text=request.POST.get("text", ""),
                              owner=request.POST.get("owner", ""), due_on=day(request, "due_on"),
                              needs_action=request.POST.get("needs_action") == "1")
    messages.success(request, _("The resolution is adopted."))
    return redirect("consultation:meeting", meeting_id=meeting_id)


@login_required
@require_GET
def resolution(request, resolution_id):
    """One resolution followed to the end: status, progress, milestones, its case; staff update it here."""
    found = found_or_404(selectors.get_resolution, actor=request.user, resolution_id=resolution_id)
    return render(request, "consultation/resolution.html", {
        "resolution": found, "milestones": found.milestones.all(), "statuses": Resolution.Status.choices,
        "manager": manages(request.user, found.region_code)})


@login_required
@require_POST
@acting("consultation:home")
def update_resolution(request, resolution_id):
    services.update_resolution(actor=request.user, resolution_id=resolution_id,
                               status=request.POST.get("status", ""), progress=number(request, "progress") or 0)
    messages.success(request, _("The resolution is updated."))
    return redirect("consultation:resolution", resolution_id=resolution_id)


@login_required
@require_POST
@acting("consultation:home")
def add_milestone(request, resolution_id):
    services.add_milestone(actor=request.user, resolution_id=resolution_id, title=request.POST.get("title", ""),
                           done_on=day(request, "done_on"))
    messages.success(request, _("The milestone is added."))
    return redirect("consultation:resolution", resolution_id=resolution_id)


@login_required
@require_POST
@acting("consultation:home")
def publish_resolution(request, resolution_id):
    services.publish_resolution(actor=request.user, resolution_id=resolution_id)
    messages.success(request, _("The resolution is published on the public page."))
    return redirect(safe_next(request, "consultation:home"))


@login_required
@require_POST
@acting("consultation:home")
def open_vote(request, topic_id):
    topic = Topic.objects.get_managed(request.user, pk=topic_id)
    options = [o for o in request.POST.get("options", "").splitlines() if o.strip()]
    made = services.open_vote(actor=request.user, community=topic.region_code, topic_id=topic.pk,
                              question=request.POST.get("question", ""), closes_at=moment(request, "closes_at"),
                              kind="options" if options else "yes_no", options=options,
                              secret=request.POST.get("secret") == "1")
    return redirect("consultation:vote", vote_id=made.pk)


@login_required
@require_POST
@acting("consultation:home")
def close_vote(request, vote_id):
    services.close_vote(actor=request.user, vote_id=vote_id)
    return redirect("consultation:vote", vote_id=vote_id)


@login_required
@require_POST
@acting("consultation:home")
def publish_results(request, vote_id):
    services.publish_results(actor=request.user, vote_id=vote_id, days=number(request, "days") or 7)
    return redirect("consultation:vote", vote_id=vote_id)


@login_required
def verify(request):
    """Staff link a resident account to a register resident (checked in person)."""
    if managed_area_of(request.user) is None:
        raise Http404
    if request.method == "POST":
        return _verify(request)
    return render(request, "consultation/verify.html", {})


@acting("consultation:verify")
def _verify(request):
    services.verify_resident(actor=request.user, username=request.POST.get("username", ""),
                             resident_id=number(request, "resident") or 0)
    messages.success(request, _("The account is verified for its household."))
    return redirect("consultation:verify")


@login_required
@require_GET
def directors(request):
    return render(request, "consultation/directors.html", {
        "directors": selectors.directors_for(actor=request.user), "year": timezone.localdate().year})


@login_required
@require_POST
@acting("consultation:directors")
def add_director(request):
    services.add_director(actor=request.user, community=request.POST.get("community", ""),
                          name=request.POST.get("name", ""), affiliation=request.POST.get("affiliation", ""),
                          term_start=day(request, "term_start"), term_end=day(request, "term_end"))
    return redirect("consultation:directors")


@login_required
@require_POST
@acting("consultation:directors")
def add_contribution(request, director_id):
    made = services.add_contribution(actor=request.user, director_id=director_id, kind=request.POST.get("kind", ""),
                                     on=day(request, "on"), text=request.POST.get("text", ""))
    messages.success(request, _("The contribution is recorded."))
    return redirect("consultation:director_record", director_id=director_id, year=made.on.year)


@login_required
@require_GET
def director_record(request, director_id, year):
    director = found_or_404(selectors.get_director, actor=request.user, director_id=director_id)
    return render(request, "consultation/director_record.html", {
        **selectors.director_year(director, int(year)), "manager": manages(request.user, director.region_code),
        "kinds": Contribution.Kind.choices})


@login_required
@require_GET
def director_pdf(request, director_id, year):
    from civicgrid.consultation.pdf import director_record_pdf

    director = found_or_404(selectors.get_director, actor=request.user, director_id=director_id)
    return _pdf(director_record_pdf(director, int(year)), f"director-{director.pk}-{int(year)}.pdf")


def _pdf(data: bytes, filename: str):
    from django.http import HttpResponse

    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@login_required
@require_GET
def statistics(request):
    if request.user.area_code is None:
        raise Http404
    return render(request, "consultation/statistics.html", {
        "rows": selectors.statistics_by_kind(actor=request.user),
        "overdue": selectors.overdue_resolutions(actor=request.user)[:200]})


@login_required
@require_GET
def export(request):
    from civicgrid.consultation.exporting import workbook_response

    return workbook_response(meetings=selectors.meetings_for(actor=request.user),
                             resolutions=selectors.resolutions_for(actor=request.user))


@login_required
@require_GET
def meeting_pdf(request, meeting_id):
    from civicgrid.consultation.pdf import meeting_record_pdf

    found = found_or_404(selectors.get_meeting, actor=request.user, meeting_id=meeting_id)
    return _pdf(meeting_record_pdf(found), f"meeting-{found.pk}.pdf")
