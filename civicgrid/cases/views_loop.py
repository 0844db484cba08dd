"""Pages that close the loop: call-backs (list and screen), extension/return requests, the 12345 results export."""

from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civicgrid.cases import roundtrip
from civicgrid.cases.forms import optional_date
from civicgrid.cases.models import Satisfaction
from civicgrid.cases.services import callback, requests
from civicgrid.core.errors import DomainError, NotFound, PermissionDenied
from civicgrid.core.views import refusal


def _run(request, back: str, fn, success: str, **kwargs):
    """Run a service for a POST: refusals about the record answer 404/403, others are flashed."""
    try:
        fn(**kwargs)
    except (NotFound, PermissionDenied) as error:
        return refusal(request, error)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(back)
    messages.success(request, success)
    return redirect(back)


@login_required
def callbacks(request):
    tasks = list(callback.queue(actor=request.user)[:200])
    return render(request, "cases/callback_list.html", {"tasks": tasks, "today": timezone.localdate()})


def _screen(request, case_id: int, phone: str = ""):
    case, task = callback.current(actor=request.user, case_id=case_id)
    return render(request, "cases/callback_screen.html", {
        "case": case, "task": task, "phone": phone, "satisfactions": Satisfaction.choices,
        "max_attempts": callback.max_attempts(), "today": timezone.localdate()})


def _answer(post) -> dict:
    resolved = {"yes": True, "no": False}.get(post.get("resolved", ""))
    return {"reached": post.get("reached") == "yes", "resolved": resolved,
            "satisfaction": post.get("satisfaction", ""), "comment": post.get("comment", "")[:2000]}


@login_required
def callback_screen(request, case_id: int):
    """The only page that shows a caller's full number, after an explicit, audited 'show number'."""
    back = reverse("cases:callback", args=[case_id])
    try:
        if request.method != "POST":
            return _screen(request, case_id)
        op = request.POST.get("op", "")
        if op == "reveal":
            return _screen(request, case_id, phone=callback.reveal_phone(actor=request.user, case_id=case_id))
    except (NotFound, PermissionDenied) as error:
        return refusal(request, error)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(back)
    note = request.POST.get("note", "")
    if op == "rework":
        return _run(request, back, callback.rework, _("Reopened for rework."), actor=request.user, case_id=case_id,
                    note=note)
    if op == "explain":
        return _run(request, back, callback.propose_explanation, _("Sent to the subdistrict for approval."),
                    actor=request.user, case_id=case_id, note=note)
    return _run(request, back, callback.record_attempt, _("Call-back recorded."), actor=request.user,
                case_id=case_id, **_answer(request.POST))


@login_required
@require_POST
def explanation(request, case_id: int):
    approve = request.POST.get("decision") == "approve"
    return _run(request, reverse("cases:detail", args=[case_id]), callback.decide_explanation,
                _("Explanation approved.") if approve else _("Explanation refused."), actor=request.user,
                case_id=case_id, approve=approve, note=request.POST.get("note", "")[:500])


@login_required
@require_POST
def request_ask(request, case_id: int):
    try:
        new_deadline = optional_date(request.POST.get("new_deadline"))
    except DomainError:
        new_deadline = None
    return _run(request, reverse("cases:detail", args=[case_id]), requests.ask, _("Request sent to the dispatcher."),
                actor=request.user, case_id=case_id, kind=request.POST.get("kind", ""),
                reason=request.POST.get("reason", "")[:500], new_deadline=new_deadline)


@login_required
@require_POST
def request_decide(request, case_id: int):
    approve = request.POST.get("decision") == "approve"
    return _run(request, reverse("cases:detail", args=[case_id]), requests.decide,
                _("Request approved.") if approve else _("Request refused."), actor=request.user, case_id=case_id,
                approve=approve, note=request.POST.get("note", "")[:500])


def _period(request) -> tuple[date, date]:
    today = timezone.localdate()
    try:
        end = date.fromisoformat(request.GET.get("end") or today.isoformat())
        start = date.fromisoformat(request.GET.get("start") or (end - timedelta(days=31)).isoformat())
    except ValueError:
        end, start = today, today - timedelta(days=31)
    return min(start, end), end


def _export(request, fmt: str):
    start, end = _period(request)
    try:
        table = roundtrip.rows(actor=request.user, start=start, end=end)
    except (NotFound, PermissionDenied) as error:
        return refusal(request, error)
    if fmt == "csv":
        body, kind = roundtrip.as_csv(table), "text/csv; charset=utf-8"
    else:
        body, kind = roundtrip.as_xlsx(table), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    response = HttpResponse(body, content_type=kind)
    response["Content-Disposition"] = f'attachment; filename="12345-results-{start}-{end}.{fmt}"'
    return response


@login_required
def export_csv(request):
    return _export(request, "csv")


@login_required
def export_xlsx(request):
    return _export(request, "xlsx")
