"""Case pages: resident reporting and following, patrol, dispatcher desk, unit desk, case page."""

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civicgrid.accounts.models import Role
from civicgrid.cases import duplicates, policy, routing, selectors, services, suggest
from civicgrid.cases.api import allowed_actions
from civicgrid.cases.forms import action_params, optional_float, optional_int
from civicgrid.cases.models import PUBLISHABLE_CHANNELS, Channel, Publication, Satisfaction, State
from civicgrid.core.errors import DomainError, NotFound, TooManyAttempts
from civicgrid.core.redirects import safe_next
from civicgrid.core.uploads import check_upload_size
from civicgrid.core.views import refusal
from civicgrid.territory.models import Level, Region

MAX_GRID_SHAPES = 400


def refusals_as_messages(view):
    @functools.wraps(view)
    def inner(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except NotFound as error:
            return refusal(request, error)
        except DomainError as error:
            messages.error(request, error.message)
            return redirect(safe_next(request, request.get_full_path()))

    return inner


def _map_data() -> dict:
    grids = Region.objects.filter(level=Level.GRID, boundary__isnull=False)
    shapes = grids if grids.count() <= MAX_GRID_SHAPES else \
        Region.objects.filter(level=Level.SUBDISTRICT, boundary__isnull=False)
    features = [{"type": "Feature", "geometry": r.boundary, "properties": {"name": r.name}}
                for r in shapes.only("name", "boundary")]
    from django.conf import settings

    return {"type": "FeatureCollection", "features": features, "tile_url": settings.TILE_URL}


@login_required
def photo(request, photo_id: int, size: str = "full"):
    """Photos are served only to those who may see their case (MEDIA_URL is not public)."""
    from django.http import FileResponse

    from civicgrid.cases.models import CasePhoto

    found = CasePhoto.objects.filter(pk=photo_id).first()
    if found is None:
        raise Http404
    try:
        selectors.get_case(actor=request.user, case_id=found.case_id)
    except NotFound:
        raise Http404 from None
    stored = found.thumbnail if size == "thumb" else found.image
    response = FileResponse(stored.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    return response


@login_required
def home(request):
    return render(request, "cases/home.html", {"is_unit": request.user.role == Role.HANDLING_UNIT})


@login_required
@refusals_as_messages
def report(request):
    patrol = request.user.role == Role.GRID
    if request.method == "POST":
        case = services.report_case(
            actor=request.user, channel=Channel.PATROL if patrol else Channel.RESIDENT,
            description=request.POST.get("description", ""), lon=optional_float(request.POST.get("lon")),
            lat=optional_float(request.POST.get("lat")), address=request.POST.get("address", ""),
            category_id=optional_int(request.POST.get("category_id")), phone=request.POST.get("phone", ""),
            urgent=request.POST.get("urgent") == "on", photos=request.FILES.getlist("photo")[:3],
            publish=not patrol and request.POST.get("publish") == "on")
        messages.success(request, _("Case %(number)s was reported.") % {"number": case.number})
        return redirect("cases:detail", case.pk)
    return render(request, "cases/report.html", {"patrol": patrol, "categories": selectors.subcategories(),
                                                 "map_data": _map_data()})


@login_required
def mine(request):
    cases = selectors.visible_cases(request.user).filter(reporter=request.user).select_related("category")
    return render(request, "cases/mine.html", {"cases": cases[:100],
                                               "joined": selectors.joined_cases(actor=request.user)})


def follow(request):
    case, status = None, 200
    if request.GET.get("number"):
        try:
            case = selectors.follow_by_phone(number=request.GET["number"], last4=request.GET.get("last4", ""))
        except NotFound:
            messages.error(request, _("No case matches this number and phone."))
        except TooManyAttempts as refused:
            messages.error(request, refused.message)
            status = 429
    return render(request, "cases/follow.html", {"case": case}, status=status)


@login_required
def detail(request, case_id: int):
    try:
        case = selectors.get_case(actor=request.user, case_id=case_id)
    except NotFound:
        raise Http404 from None
    actions = allowed_actions(request.user, case)
    context = {"case": case, "events": case.events.select_related("actor").prefetch_related("photos"),
               "photos": case.photos.all(), "actions": actions, "satisfactions": Satisfaction.choices}
    if {"dispatch", "redispatch", "register", "merge"} & set(actions):
        context.update(_dispatch_help(request.user, case))
    if _may_moderate(request.user, case):
        context["public_proposal"] = services.propose_public_text(case)
    return render(request, "cases/detail.html", context)


def _may_moderate(actor, case) -> bool:
    return (case.channel in PUBLISHABLE_CHANNELS and case.publication != Publication.PRIVATE
            and policy.may(actor, "moderate", case))


@login_required
@require_POST
def moderate(request, case_id: int):
    back = reverse("cases:detail", args=[case_id])
    try:
        case = services.moderate_publication(actor=request.user, case_id=case_id,
                                             decision=request.POST.get("decision", ""),
                                             public_description=request.POST.get("public_description", "")[:4000])
    except NotFound as error:
        return refusal(request, error)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(back)
    messages.success(request, _("Publication: %(state)s") % {"state": case.get_publication_display()})
    return redirect(back)


def _dispatch_help(actor, case) -> dict:
    found = None if case.category_id else suggest.suggest(case.description)
    category = case.category or (found.category if found else None)
    return {"categories": selectors.subcategories(), "units": selectors.units(), "suggested_category": category,
            "suggestion_source": found.source if found else "",
            "suggested_unit": routing.route(category, case.region_code),
            "duplicates": duplicates.candidates(case, scope=selectors.visible_cases(actor))}


@login_required
@require_POST
def act(request, case_id: int):
    back = reverse("cases:detail", args=[case_id])
    try:
        case = services.perform(actor=request.user, case_id=case_id, action=request.POST.get("action", ""),
                                **action_params(request.POST))
    except NotFound as error:
        return refusal(request, error)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(back)
    messages.success(request, _("Done: %(state)s") % {"state": State(case.state).label})
    return redirect(back)


@login_required
def desk(request):
    if request.user.role not in (Role.DISTRICT, Role.SUBDISTRICT, Role.COMMUNITY) and not request.user.is_superuser:
        raise Http404
    state = request.GET.get("state") or ""
    cases = selectors.list_cases(actor=request.user, state=state or None,
                                 category_id=optional_int(request.GET.get("category")),
                                 urgent=True if request.GET.get("urgent") else None,
                                 overdue=True if request.GET.get("overdue") else None, q=request.GET.get("q"))
    if request.GET.get("publication") == Publication.PENDING:
        cases = cases.filter(publication=Publication.PENDING)
    elif not state:
        cases = cases.filter(state__in=[State.REPORTED, State.REGISTERED])
    page = Paginator(cases, 30).get_page(request.GET.get("page"))
    cats = suggest.active_subcategories()
    rows = [(case, suggest.suggest(case.description, cats) if not case.category_id else None) for case in page]
    return render(request, "cases/desk.html", {"page": page, "rows": rows, "states": State.choices, "state": state,
                                               "categories": selectors.subcategories(), "units": selectors.units(),
                                               "accuracy": _accuracy()})


def _accuracy():
    from django.core.cache import cache

    result = cache.get("cases:suggest-accuracy")
    if result is None:
        result = suggest.accuracy(limit=5000)
        cache.set("cases:suggest-accuracy", result, 3600)
    return result


@login_required
@require_POST
def bulk(request):
    action = request.POST.get("action", "")
    done, failed = 0, 0
    for case_id in request.POST.getlist("case")[:100]:
        try:
            services.perform(actor=request.user, case_id=int(case_id), action=action, **action_params(request.POST))
            done += 1
        except (DomainError, ValueError):
            failed += 1
    messages.info(request, _("%(done)d done, %(failed)d refused.") % {"done": done, "failed": failed})
    return redirect("cases:desk")


@login_required
def unit_desk(request):
    return render(request, "cases/unit_desk.html", {"cases": selectors.unit_queue(actor=request.user)[:200]})


@login_required
def patrol(request):
    return render(request, "cases/patrol.html", {"cases": selectors.verification_queue(actor=request.user)[:200]})


@login_required
@refusals_as_messages
def hotline_import(request):
    report = None
    if request.method == "POST" and request.FILES.get("file"):
        upload = request.FILES["file"]
        check_upload_size(upload.size)
        report = services.import_hotline(actor=request.user, name=upload.name, data=upload.read())
    return render(request, "cases/import.html", {"report": report})
