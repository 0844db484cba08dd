"""Resident list, detail with audited reveal, lookup by ID number, xlsx import and export, staff roster."""

import base64
import io
import secrets
import time
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from civicgrid.core import crypto
from civicgrid.core.errors import DomainError, NotFound, PermissionDenied
from civicgrid.core.views import refusal
from civicgrid.people import exporting, importing, selectors, services
from civicgrid.people.forms import ImportForm, LookupForm, ResidentFilterForm, StaffFilterForm

PAGE_SIZE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _page(request, queryset, per_page=PAGE_SIZE):
    page = Paginator(queryset, per_page).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()


@login_required
@require_GET
def resident_list(request):
    form = ResidentFilterForm(request.GET, actor=request.user)
    queryset = selectors.residents_for(actor=request.user, **form.filters())
    page, query = _page(request, queryset)
    return render(request, "people/resident_list.html", {
        "form": form, "page": page, "query": query, "count": page.paginator.count,
    })


@login_required
@require_GET
def resident_export(request):
    form = ResidentFilterForm(request.GET, actor=request.user)
    try:
        content, _count = exporting.export_residents_xlsx(actor=request.user, filters=form.filters())
    except PermissionDenied as error:
        return refusal(request, error)
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="residents-{time.strftime("%Y%m%d")}.xlsx"'
    return response


def _detail_context(request, resident, revealed_field="", revealed_value=""):
    return {"resident": resident, "members": selectors.household_members(resident=resident),
            "can_reveal": request.user.has_perm(services.REVEAL_PERMISSION),
            "health_masked": _("recorded (hidden)") if resident.health_note_cipher else "",
            "revealed_field": revealed_field, "revealed_value": revealed_value}


@login_required
@require_GET
def resident_detail(request, pk):
    try:
        resident = selectors.resident_detail(actor=request.user, resident_id=pk)
    except NotFound:
        raise Http404 from None
    return render(request, "people/resident_detail.html", _detail_context(request, resident))


@never_cache
@login_required
@require_POST
def resident_reveal(request, pk):
    field = request.POST.get("field", "")
    try:
        value = services.reveal(actor=request.user, resident_id=pk, field=field,
                                purpose=request.POST.get("purpose", "")[:200])
        resident = selectors.resident_detail(actor=request.user, resident_id=pk)
    except NotFound:
        raise Http404 from None
    except PermissionDenied as exc:
        return render(request, "core/error.html", {"status": 403, "message": exc.message}, status=403)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("people:resident", pk=pk)
    response = render(request, "people/resident_detail.html", _detail_context(request, resident, field, value))
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def resident_lookup(request):
    """POST only for the search itself: an ID number in a query string would land in access logs."""
    form = LookupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            resident = services.find_by_id_number(actor=request.user, id_number=form.cleaned_data["id_number"])
        except NotFound as exc:
            form.add_error("id_number", exc.message)
        except DomainError as exc:
            form.add_error("id_number", exc.message)
        else:
            return redirect("people:resident", pk=resident.pk)
    return render(request, "people/resident_lookup.html", {"form": form})


# --- import: upload → validation report → confirm ---------------------------------------------------------

def _pending_dir() -> Path:
    path = Path(settings.DATA_DIR) / "pending-imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _stash(upload) -> str:
    """Keep an uploaded sheet until confirmed: encrypted on disk (it holds ID numbers), at most an hour."""
    for stale in _pending_dir().glob("*.bin"):
        if stale.stat().st_mtime < time.time() - 3600:
            stale.unlink(missing_ok=True)
    token = secrets.token_urlsafe(24)
    payload = crypto.encrypt(base64.b64encode(upload.read()).decode(), aad=_stash_place(token))
    (_pending_dir() / f"{token}.bin").write_text(payload)
    return token


def _stash_place(token: str) -> str:
    """The stashed file is bound to its token: one user's upload renamed to another's token does not open."""
    return f"people.pending_import|{token}"


def _unstash(token: str) -> bytes | None:
    path = _pending_dir() / f"{token}.bin"
    if not token.replace("-", "").replace("_", "").isalnum() or not path.exists():
        return None
    data = base64.b64decode(crypto.decrypt(path.read_text(), aad=_stash_place(token)))
    path.unlink(missing_ok=True)
    return data


@login_required
@require_http_methods(["GET", "POST"])
def resident_import(request):
    if request.method == "POST" and request.POST.get("confirm"):
        return _confirm_import(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    context = {"form": form}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        report = importing.import_residents_xlsx(actor=request.user, file=upload, dry_run=True,
                                                 filename=upload.name)
        context["report"] = report
        if report.ok and report.rows:
            upload.seek(0)
            token = _stash(upload)
            request.session["people_import"] = {"token": token, "filename": upload.name}
            context["token"] = token
    return render(request, "people/resident_import.html", context)


def _confirm_import(request):
    pending = request.session.pop("people_import", None) or {}
    token = request.POST.get("confirm", "")
    data = _unstash(token) if pending.get("token") == token else None
    if data is None:
        messages.error(request, _("The uploaded file has expired. Please upload it again."))
        return redirect("people:import")
    report = importing.import_residents_xlsx(actor=request.user, file=io.BytesIO(data), dry_run=False,
                                             filename=pending.get("filename", ""))
    if report.ok:
        messages.success(request, _("%(count)s residents imported.") % {"count": report.created})
        return redirect("people:residents")
    return render(request, "people/resident_import.html", {"form": ImportForm(), "report": report})


@login_required
@require_GET
def import_template(request):
    response = HttpResponse(importing.template_xlsx(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="residents-template.xlsx"'
    return response


@login_required
@require_GET
def staff_list(request):
    form = StaffFilterForm(request.GET, actor=request.user)
    page, query = _page(request, selectors.staff_for(actor=request.user, **form.filters()), per_page=100)
    return render(request, "people/staff_list.html", {"form": form, "page": page, "query": query,
                                                      "count": page.paginator.count})
