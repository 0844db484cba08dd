"""The upload page district and subdistrict staff import street assets with."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from civicgrid.assets import services
from civicgrid.assets.importing import COLUMNS
from civicgrid.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from civicgrid.core.uploads import check_upload_size
from civicgrid.core.views import refusal


@login_required
def import_page(request):
    report, problem = None, None
    try:
        services.ensure_may_import(request.user)
        if request.method == "POST" and request.FILES.get("file"):
            upload = request.FILES["file"]
            check_upload_size(upload.size)
            report = services.import_assets(actor=request.user, name=upload.name or "", data=upload.read())
    except (PermissionDenied, NotFound) as error:
        return refusal(request, error)
    except (ValidationFailed, Conflict) as error:
        problem = error
    return render(request, "assets/import.html", {"report": report, "problem": problem, "columns": ", ".join(COLUMNS)})
