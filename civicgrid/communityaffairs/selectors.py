"""Every read of community affairs, within the actor's jurisdiction."""

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from civicgrid.communityaffairs import figures, standards
from civicgrid.communityaffairs.models import (
    Appointment,
    AppointmentStatus,
    Assessment,
    AssessmentTemplate,
    Charter,
    CharterPost,
    Handling,
    Qualification,
    Room,
    ServiceItem,
    Stage,
    TrainingCourse,
)
from civicgrid.core.errors import NotFound, PermissionDenied
from civicgrid.core.scoping import area_of, covers
from civicgrid.territory.models import Level, Region


def communities(*, actor, within: str = "") -> list[Region]:
    """The communities the actor's area covers (a community worker: his own), optionally under `within`."""
    area = area_of(actor)
    if area is None:
        return []
    prefix = within if within and within.startswith(area) else area
    if within and not within.startswith(area) and not area.startswith(within):
        return []
    return list(Region.objects.filter(level=Level.COMMUNITY, code__startswith=prefix).order_by("code"))


def region_names(codes) -> dict[str, str]:
    return dict(Region.objects.filter(code__in=set(codes)).values_list("code", "name"))


def community(*, actor, code: str) -> Region:
    found = Region.objects.filter(level=Level.COMMUNITY, code=code).first()
    if found is None or not covers(actor, code):
        raise NotFound()
    return found


def charters(*, actor, code: str) -> QuerySet[Charter]:
    return Charter.objects.visible_to(actor).filter(region_code=code).prefetch_related("posts")


def get_charter(*, actor, charter_id: int) -> Charter:
    return Charter.objects.get_visible(actor, pk=charter_id)


def qualifications(*, actor, code: str = "") -> list[dict]:
    """The certificates of the workers the actor may see (under `code`): {"record", "state"} for today."""
    today = timezone.localdate()
    found = (Qualification.objects.visible_to(actor).within(code)
             .select_related("staff").order_by("region_code", "staff__name", "-issued_on"))
    return [{"record": row, "state": figures.certificate_state(row.expires_on, today)} for row in found]


def get_qualification(*, actor, qualification_id: int) -> Qualification:
    return Qualification.objects.get_visible(actor, pk=qualification_id)


def get_post(*, actor, post_id: int) -> CharterPost:
    return CharterPost.objects.select_related("charter").get_visible(actor, pk=post_id)


def rooms(*, actor, code: str) -> QuerySet[Room]:
    return Room.objects.visible_to(actor).filter(region_code=code)


def courses(*, actor) -> QuerySet[TrainingCourse]:
    return TrainingCourse.objects.visible_to(actor)


def get_course(*, actor, course_id: int) -> TrainingCourse:
    return TrainingCourse.objects.get_visible(actor, pk=course_id)


def catalogue(*, code: str) -> QuerySet[ServiceItem]:
    """The active items a community's window handles: its own and those of the areas above it (public guide)."""
    prefixes = [code[:n] for n in (6, 9, 12) if n <= len(code)]
    return ServiceItem.objects.filter(active=True, region_code__in=prefixes)


def get_item(*, item_id: int) -> ServiceItem:
    """An active catalogue item: the guide is public (事项清单 and 办事指南 are published by design)."""
    found = ServiceItem.objects.filter(pk=item_id, active=True).first()
    if found is None:
        raise NotFound()
    return found


def my_appointments(*, actor) -> QuerySet[Appointment]:
    if not getattr(actor, "is_authenticated", False):
        return Appointment.objects.none()
    return Appointment.objects.filter(user=actor).select_related("item").order_by("-starts_at")


def window_appointments(*, actor, code: str, day=None) -> QuerySet[Appointment]:
    """A community window's bookings from a day on (today by default), waiting or received."""
    day = day or timezone.localdate()
    return (Appointment.objects.visible_to(actor).filter(region_code=code, starts_at__date__gte=day)
            .exclude(status=AppointmentStatus.CANCELLED).select_related("item").order_by("starts_at")[:100])


def get_appointment(*, actor, appointment_id: int) -> Appointment:
    return Appointment.objects.get_visible(actor, pk=appointment_id)


def handlings(*, actor, code: str = "") -> QuerySet[Handling]:
    found = Handling.objects.visible_to(actor).select_related("item", "case", "handled_by")
    return found.within(code)


def get_handling(*, actor, handling_id: int) -> Handling:
    return Handling.objects.get_visible(actor, pk=handling_id)


def templates(*, actor) -> QuerySet[AssessmentTemplate]:
    return AssessmentTemplate.objects.visible_to(actor).prefetch_related("indicators")


def get_template(*, actor, template_id: int) -> AssessmentTemplate:
    return AssessmentTemplate.objects.get_visible(actor, pk=template_id)


def assessments(*, actor, year: int | None = None) -> QuerySet[Assessment]:
    found = Assessment.objects.visible_to(actor).select_related("template")
    return found.filter(year=year) if year else found


def get_assessment(*, actor, assessment_id: int) -> Assessment:
    return Assessment.objects.get_visible(actor, pk=assessment_id)


def may_rank(actor) -> bool:
    """Ranks are the reviewers' (subdistrict and district staff); a community sees its own assessment."""
    area = area_of(actor)
    return area is not None and len(area) <= 9


def ranking(*, actor, template_id: int, year: int) -> list[dict]:
    """Communities ranked by their latest total (district over subdistrict over self); ties share a rank."""
    if not may_rank(actor):
        raise PermissionDenied()
    rows: list[dict[str, Any]] = []
    for item in assessments(actor=actor, year=year).filter(template_id=template_id):
        total = next((t for t in (item.district_total, item.subdistrict_total, item.self_total) if t is not None),
                     None)
        if total is not None:
            rows.append({"assessment": item, "code": item.region_code, "total": total, "final":
                         item.stage == Stage.FINAL})
    names = region_names({row["code"] for row in rows})
    for row in rows:
        row["name"] = names.get(row["code"], row["code"])
    rows.sort(key=lambda r: -r["total"])
    rank, previous = 0, None
    for position, row in enumerate(rows, start=1):
        if row["total"] != previous:
            rank, previous = position, row["total"]
        row["rank"] = rank
    return rows


def overview(*, actor, code: str, year: int) -> dict:
    """One community's standardization at a glance."""
    community(actor=actor, code=code)
    found_handlings = handlings(actor=actor, code=code).filter(received_at__year=year)
    on_time, finished = figures.in_time(found_handlings)
    return {"staffing": figures.staffing([code])[code], "space": figures.spaces([code])[code],
            "training": figures.training([code], year)[code],
            "households_per_worker": figures.households_per_worker([code])[code],
            "households_standard": standards.value(standards.Key.HOUSEHOLDS_PER_WORKER),
            "in_time": figures.share(on_time, finished), "finished": finished}


def gap_list(*, actor, within: str = "") -> list[dict]:
    """Every covered community's space and staffing gaps, grouped by subdistrict (the gap list)."""
    found = communities(actor=actor, within=within)
    codes = [c.code for c in found]
    space, staff = figures.spaces(codes), figures.staffing(codes)
    subdistricts = dict(Region.objects.filter(code__in={c[:9] for c in codes}).values_list("code", "name"))
    groups: dict[str, dict] = {}
    for region in found:
        group = groups.setdefault(region.code[:9], {"code": region.code[:9], "name": subdistricts.get(region.code[:9],
                                                    ""), "rows": [], "space_gap": 0.0, "vacancies": 0, "over": 0})
        row = {"region": region, "space": space[region.code], "staffing": staff[region.code]}
        group["rows"].append(row)
        group["space_gap"] = round(group["space_gap"] + space[region.code].gap, 1)
        group["vacancies"] += staff[region.code].vacancies
        group["over"] += staff[region.code].over
    return list(groups.values())
