"""The auditors' page of the audit log (Chinese words, filters, pages, xlsx export); scope in audit_log.py."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from civicgrid.core import audit_log
from civicgrid.core.web import found

PAGE_SIZE = 50


def _filtered(request):
    events = found(audit_log.events_for, actor=request.user)
    form = audit_log.AuditFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    return form, data, audit_log.apply_filters(events, data)


@login_required
def audit_page(request):
    form, data, events = _filtered(request)
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "core/audit.html", {"form": form, "page": page, "rows": audit_log.rows(page.object_list),
                                               "query": query.urlencode()})


@login_required
def audit_export(request):
    _form, data, events = _filtered(request)
    body = audit_log.export_xlsx(actor=request.user, events=events, filters=data)
    response = HttpResponse(body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="audit-log-{stamp}.xlsx"'
    return response
