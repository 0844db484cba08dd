"""Every read of cases takes the actor and scopes by jurisdiction: area staff see their subtree, a handling
unit sees cases dispatched to it, a resident sees his own (and those he follows). Out of scope is 404."""

from datetime import date

from django.db import models
from django.db.models import Q, QuerySet, Value, When

from civicgrid.accounts.models import Role
from civicgrid.cases.models import (
    OPEN_STATES,
    Case,
    CaseEvent,
    Category,
    HandlingUnit,
    Open311Client,
    State,
    pk_from_number,
)
from civicgrid.core.context import current_request_info
from civicgrid.core.errors import NotFound
from civicgrid.core.scoping import ScopedQuerySet
from civicgrid.core.throttle import FailureThrottle
from civicgrid.territory.models import Level, Region


def visible_cases(actor) -> ScopedQuerySet:
    """Area staff see their subtree; residents what they reported or follow; units what was dispatched to them."""
    return Case.objects.visible_to(actor)


def get_case(*, actor, case_id: int) -> Case:
    case = (visible_cases(actor).select_related("category", "category__parent", "unit", "first_receiver", "reporter")
            .filter(pk=case_id).first())
    if case is None:
        raise NotFound()
    return case


def list_cases(*, actor, state: str | None = None, category_id: int | None = None, unit_id: int | None = None,
               region: str | None = None, urgent: bool | None = None, overdue: bool | None = None,
               q: str | None = None, reported_from: date | None = None,
               reported_to: date | None = None) -> QuerySet[Case]:
    """The actor's cases filtered as the desks ask; `reported_from`/`reported_to` are inclusive local dates."""
    cases = visible_cases(actor).select_related("category", "category__parent", "unit")
    if reported_from:
        cases = cases.filter(reported_on__gte=reported_from)
    if reported_to:
        cases = cases.filter(reported_on__lte=reported_to)
    if state:
        cases = cases.filter(state=state)
    if category_id:
        cases = cases.filter(Q(category_id=category_id) | Q(category_top_id=category_id))
    if unit_id:
        cases = cases.filter(unit_id=unit_id)
    if region:
        cases = cases.within(region)
    if urgent is not None:
        cases = cases.filter(urgent=urgent)
    if overdue is not None:
        cases = cases.filter(overdue=overdue)
    if q:
        cases = cases.filter(description__icontains=q[:100])
    return cases.order_by("-urgent", "-reported_at")


def open_queue(*, actor, state: str | None = None, category_id: int | None = None, region: str | None = None,
               overdue: bool | None = None) -> QuerySet[Case]:
    """Every open case in the actor's area, new reports first, then the newest: a grid worker's or a community's
    whole queue (not only what waits for them). `region` narrows to a community or grid inside the area."""
    cases = list_cases(actor=actor, category_id=category_id, region=region, overdue=overdue)
    cases = cases.filter(state=state) if state in OPEN_STATES else cases.filter(state__in=OPEN_STATES)
    new_first = models.Case(When(state=State.REPORTED, then=Value(0)), default=Value(1),
                            output_field=models.IntegerField())
    return cases.annotate(new_first=new_first).order_by("new_first", "-urgent", "-reported_at")


def joined_cases(*, actor) -> list[dict]:
    """The cases the actor joined from the duplicate prompt, with what the prompt showed of them and no more
    (joined followers are not in `visible_cases`: this reads the actor's own follow rows)."""
    from civicgrid.cases.public import stage_label

    if not actor.is_authenticated:
        return []
    cases = Case.objects.filter(followers__user=actor, followers__joined=True).select_related("category")
    return [{"number": c.number, "category": c.category.name if c.category else "", "stage": stage_label(c),
             "reported_on": c.reported_on} for c in cases.order_by("-reported_at")[:100]]


def dispatch_queue(*, actor) -> QuerySet[Case]:
    return list_cases(actor=actor).filter(state__in=[State.REPORTED, State.REGISTERED])


def unit_queue(*, actor) -> QuerySet[Case]:
    if actor.role != Role.HANDLING_UNIT:
        return Case.objects.none()
    return list_cases(actor=actor).filter(state__in=[State.DISPATCHED, State.HANDLING]).order_by("deadline")


def verification_queue(*, actor) -> QuerySet[Case]:
    return list_cases(actor=actor).filter(state=State.REPLIED)


def timeline(*, actor, case_id: int) -> QuerySet[CaseEvent]:
    case = get_case(actor=actor, case_id=case_id)
    return case.events.select_related("actor").prefetch_related("photos")


def categories() -> QuerySet[Category]:
    return Category.objects.filter(active=True).select_related("parent", "default_unit")


def subcategories() -> QuerySet[Category]:
    return categories().filter(parent__isnull=False).order_by("code")


def units() -> QuerySet[HandlingUnit]:
    return HandlingUnit.objects.all()


FOLLOW_THROTTLE = FailureThrottle("cases.follow", limit=5, window_s=3600)
FOLLOW_THROTTLE_PER_CLIENT = FailureThrottle("cases.follow.client", limit=30, window_s=3600)


def follow_by_phone(*, number: str, last4: str) -> Case:
    """The public follow page: case number + last four phone digits. Anything else looks absent.

    Four digits are only 10,000 guesses: after 5 misses on one case number (or 30 from one address) within an
    hour the page refuses, even the right answer."""
    pk, client = pk_from_number(number), current_request_info().ip
    number = str(pk) if pk is not None else number.strip()[:32]
    FOLLOW_THROTTLE.check(number)
    FOLLOW_THROTTLE_PER_CLIENT.check(client)
    case = None
    if pk is not None and len(last4) == 4 and last4.isdigit():
        case = Case.objects.select_related("category", "unit").filter(pk=pk).first()
    if case is None or not case.phone_masked or not case.phone_masked.endswith(last4):
        FOLLOW_THROTTLE.failed(number)
        FOLLOW_THROTTLE_PER_CLIENT.failed(client)
        raise NotFound()
    return case


def published_cases(*, category_id: int | None = None, states=None) -> QuerySet[Case]:
    """Public by decision: published by staff, and only from the channels residents report through (the channel
    test repeats a database constraint on purpose: a hotline order must never show, whatever its flags)."""
    cases = Case.objects.published().select_related("category", "unit")
    if category_id:
        cases = cases.filter(Q(category_id=category_id) | Q(category_top_id=category_id))
    if states:
        cases = cases.filter(state__in=states)
    return cases.order_by("-reported_at")


def get_published_case(*, number: str) -> Case:
    pk = pk_from_number(number)
    case = published_cases().filter(pk=pk).first() if pk else None
    if case is None:
        raise NotFound()
    return case


def open311_cases(*, client: Open311Client | None) -> QuerySet[Case]:
    """What an Open311 reader may list: published cases, plus its own cases when its key grants private reading."""
    readable = Case.objects.published()
    if client is not None and client.may_read_own_private:
        readable = readable | Case.objects.filter(open311_client=client)
    return readable


def community_names(region_codes) -> dict[str, str]:
    """Community code (12 digits) → name, for the grids given: the most exact place a public answer shows."""
    codes = {code[:12] for code in region_codes}
    return dict(Region.objects.filter(code__in=codes).values_list("code", "name"))


def subdistrict_outlines() -> dict:
    """Subdistrict boundaries as GeoJSON, the background of the public map (they name no one)."""
    regions = Region.objects.filter(level=Level.SUBDISTRICT, boundary__isnull=False).only("name", "boundary")
    return {"type": "FeatureCollection",
            "features": [{"type": "Feature", "geometry": r.boundary, "properties": {"name": r.name}} for r in regions]}


# --- the closed loop (requests, call-backs): what the case panel and the dispatcher desk list ---------------------

def loop_records(case: Case):
    """(the unit's pending request, the call-back task that is not cancelled, the last 10 requests) of a case the
    reader already sees."""
    from civicgrid.cases.models import CaseRequest
    from civicgrid.cases.models_loop import CallBack, CallBackState, RequestState

    pending = (CaseRequest.objects.filter(case=case, state=RequestState.PENDING, unit_id=case.unit_id)
               .select_related("unit").first())
    task = CallBack.objects.filter(case=case).exclude(state=CallBackState.CANCELLED).first()
    return pending, task, CaseRequest.objects.filter(case=case).select_related("unit")[:10]


def desk_loop_lists(*, actor) -> dict:
    """The dispatcher desk's pending requests, parked cases, approved extensions and explanations to approve."""
    from django.db.models import F

    from civicgrid.cases.models import CaseRequest
    from civicgrid.cases.models_loop import CallBack, FollowUp, RequestKind, RequestState
    from civicgrid.cases.services.requests import ASKABLE_STATES

    pending = (CaseRequest.objects.visible_to(actor)
               .filter(state=RequestState.PENDING, case__unit_id=F("unit_id"), case__state__in=ASKABLE_STATES)
               .select_related("case", "unit").order_by("created_at")[:50])
    parked = (Case.objects.visible_to(actor).filter(state=State.PARKED).order_by("park_review_on")
              .only("pk", "park_reason", "park_review_on", "region_code", "description")[:50])
    extended = (CaseRequest.objects.visible_to(actor)
                .filter(kind=RequestKind.EXTENSION, state=RequestState.APPROVED, case__deadline=F("new_deadline"),
                        case__state__in=ASKABLE_STATES)
                .select_related("case", "unit").order_by("new_deadline")[:50])
    explanations = (CallBack.objects.visible_to(actor).filter(followup=FollowUp.EXPLAIN_PENDING)
                    .select_related("case")[:50])
    return {"pending": pending, "parked": parked, "explanations": explanations, "extended": extended}


def reported_count(*, category_code: str, regions: list[str], since: date) -> int:
    """Cases of one category reported in these regions since a day (system figure for another module)."""
    return Case.objects.within_any(regions).filter(category__code=category_code, reported_on__gte=since).count()
