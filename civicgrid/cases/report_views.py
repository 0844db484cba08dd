"""The report page: a refused report comes back with everything entered (photos kept server-side) and each
error beside its field."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from civicgrid.accounts.models import Role
from civicgrid.cases import report_uploads, selectors, services
from civicgrid.cases.errors import InvalidPhoto
from civicgrid.cases.forms import optional_float, optional_int
from civicgrid.cases.models import Channel
from civicgrid.cases.views import _map_data
from civicgrid.core.errors import DomainError

FIELDS = ("description", "category_id", "lon", "lat", "address", "phone", "publish", "urgent", "asset")
# the form field an error belongs beside (services name the service's argument)
SLOTS = {"lon": "pin", "lat": "pin", "category": "category_id", "photos": "photo", "asset_code": "form"}


def _report(request, patrol: bool, uploads):
    post = request.POST
    return services.report_case(
        actor=request.user, channel=Channel.PATROL if patrol else Channel.RESIDENT,
        description=post.get("description", ""), lon=optional_float(post.get("lon")),
        lat=optional_float(post.get("lat")), address=post.get("address", ""),
        category_id=optional_int(post.get("category_id")), phone=post.get("phone", ""),
        urgent=post.get("urgent") == "on", photos=uploads, publish=not patrol and post.get("publish") == "on",
        asset_code=post.get("asset", ""))


def _keep(request, new) -> tuple[str, list[str], str]:
    """(token, kept names, photo error) for the retry of a report refused for another field."""
    try:
        token = report_uploads.keep(request.user, new) if new else request.POST.get("photo_token", "")
    except InvalidPhoto as error:  # refused before the service reached the photos
        return "", [], str(error.message)
    return token, report_uploads.kept(request.user, token), ""


@login_required
def report(request):
    patrol = request.user.role == Role.GRID
    values: dict = {}
    errors: dict = {}
    token, kept = "", []
    status = 200
    if request.method == "POST":
        values = {name: request.POST.get(name, "") for name in FIELDS}
        new = request.FILES.getlist("photo")[:report_uploads.MAX_PHOTOS]
        kept = [] if new else report_uploads.kept(request.user, request.POST.get("photo_token", ""))
        try:
            case = _report(request, patrol, new or report_uploads.files(kept))
        except DomainError as error:
            slot = SLOTS.get(error.field or "", error.field or "form")
            errors[slot] = error.message
            if slot != "photo":
                token, kept, photo_error = _keep(request, new)
                if photo_error:
                    errors["photo"] = photo_error
            status = 422
        else:
            report_uploads.discard(kept)
            messages.success(request, _("Case %(number)s was reported.") % {"number": case.number})
            return redirect("cases:detail", case.pk)
    return render(request, "cases/report.html", {
        "patrol": patrol, "categories": selectors.subcategories(), "map_data": _map_data(), "values": values,
        "errors": errors, "photo_token": token, "kept_photos": len(kept)}, status=status)
