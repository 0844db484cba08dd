"""Case pages: resident reporting and following, patrol, dispatcher desk, unit desk, case page."""

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civicgrid.accounts.models import Role
from civicgrid.cases import desks, duplicates, policy, routing, selectors, services, suggest, timeline
from civicgrid.cases.api import allowed_actions
from civicgrid.cases.forms import action_params, filter_date, optional_int
from civicgrid.cases.models import OPEN_STATES, PUBLISHABLE_CHANNELS, Publication, Satisfaction, State
from civicgrid.core.errors import DomainError, NotFound, TooManyAttempts
from civicgrid.core.redirects import safe_next
from civicgrid.core.uploads import check_upload_size
from civicgrid.core.views import refusal
from civicgrid.territory.models import Level, Region
from civicgrid.territory.picker import region_steps
from civicgrid.territory.selectors import place_names

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
    for_resident = request.user.role == Role.RESIDENT
    events = case.events.select_related("actor")
    context = {"case": case, "photos": case.photos.all(), "actions": actions, "satisfactions": Satisfaction.choices,
               "for_resident": for_resident, "place": place_names(grid_code=case.region_code),
               "steps": timeline.steps(case, events, for_resident=for_resident, reporter_id=case.reporter_id),
               "case_point": {"lon": case.lon, "lat": case.lat}}
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
            "suggested_unit": routing.route(category, case.region_code, case.asset),
            "duplicates": duplicates.candidates(case, scope=selectors.visible_cases(actor))}


@login_required
@require_POST
def act(request, case_id: int):
    back = reverse("cases:detail", args=[case_id])
    try:
        case = services.perform(actor=request.user, case_id=case_id, action=request.POST.get("action", ""),
                                photos=request.FILES.getlist("photo"), **action_params(request.POST))
    except NotFound as error:
        return refusal(request, error)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(back)
    if request.POST.get("action") == "rate":
        messages.success(request, _("Thank you: your rating was recorded."))
    else:
        messages.success(request, _("Done: %(state)s") % {"state": State(case.state).label})
    return redirect(back)


def _queue_context(request, page, region: str) -> dict:
    """What every desk shows around its list: clocks per case, the queue map, the filter values."""
    page_rows = desks.rows(page)
    return {"page": page, "queue": page_rows, "queue_map": desks.queue_map(request.user, page_rows, region=region),
            "categories": selectors.subcategories(), "query": _query_without_page(request)}


def _query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@login_required
def desk(request):
    if request.user.role not in (Role.DISTRICT, Role.SUBDISTRICT, Role.COMMUNITY) and not request.user.is_superuser:
        raise Http404
    state = request.GET.get("state") or ""
    steps = region_steps(request.user, request.GET)
    cases = selectors.list_cases(actor=request.user, state=state or None,
                                 category_id=optional_int(request.GET.get("category")), region=steps.chosen or None,
                                 urgent=True if request.GET.get("urgent") else None,
                                 overdue=True if request.GET.get("overdue") else None, q=request.GET.get("q"),
                                 reported_from=filter_date(request.GET.get("reported_from")),
                                 reported_to=filter_date(request.GET.get("reported_to")))
    if request.GET.get("publication") == Publication.PENDING:
        cases = cases.filter(publication=Publication.PENDING)
    elif request.GET.get("overdue") and not state:
        cases = cases.filter(state__in=OPEN_STATES)  # overdue cases are being handled, not new
    elif not state:
        cases = cases.filter(state__in=[State.REPORTED, State.REGISTERED])
    page = Paginator(cases, 30).get_page(request.GET.get("page"))
    cats = suggest.active_subcategories()
    suggestions = {case.pk: suggest.suggest(case.description, cats) for case in page if not case.category_id}
    context = _queue_context(request, page, steps.chosen)
    context.update({"rows": [(case, suggestions.get(case.pk), tick) for case, tick in context["queue"]],
                    "states": State.choices, "state": state, "region_steps": steps, "units": selectors.units(),
                    "accuracy": _accuracy()})
    return render(request, "cases/desk.html", context)


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


UNIT_STATES = (State.DISPATCHED, State.HANDLING)


@login_required
def unit_desk(request):
    """The unit's cases by deadline, filtered by state, category and overdue."""
    state = request.GET.get("state") or ""
    cases = selectors.unit_queue(actor=request.user)
    if state in UNIT_STATES:
        cases = cases.filter(state=state)
    if category_id := optional_int(request.GET.get("category")):
        cases = cases.filter(Q(category_id=category_id) | Q(category_top_id=category_id))
    if request.GET.get("overdue"):
        cases = cases.filter(overdue=True)
    page = Paginator(cases, 50).get_page(request.GET.get("page"))
    context = _queue_context(request, page, "")
    context.update({"states": [(s, State(s).label) for s in UNIT_STATES], "state": state})
    return render(request, "cases/unit_desk.html", context)


@login_required
def patrol(request):
    """The grid desk: every open case of the grid (a community worker: of the community), new reports first."""
    if request.user.role not in (Role.GRID, Role.COMMUNITY):
        raise Http404
    state = request.GET.get("state") or ""
    steps = region_steps(request.user, request.GET)
    cases = selectors.open_queue(actor=request.user, state=state or None,
                                 category_id=optional_int(request.GET.get("category")), region=steps.chosen or None,
                                 overdue=True if request.GET.get("overdue") else None)
    page = Paginator(cases, 30).get_page(request.GET.get("page"))
    context = _queue_context(request, page, steps.chosen)
    context.update({"states": [(s, State(s).label) for s in OPEN_STATES], "state": state, "region_steps": steps,
                    "to_verify": selectors.verification_queue(actor=request.user).count()})
    return render(request, "cases/patrol.html", context)


@login_required
@refusals_as_messages
def hotline_import(request):
    report = None
    if request.method == "POST" and request.FILES.get("file"):
        upload = request.FILES["file"]
        check_upload_size(upload.size)
        report = services.import_hotline(actor=request.user, name=upload.name, data=upload.read())
    return render(request, "cases/import.html", {"report": report})
