"""Training courses and sign-in (certificates are in services/qualifications.py)."""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civicgrid.communityaffairs.models import Attendance, TrainingCourse
from civicgrid.communityaffairs.services.common import managed_area, number, text
from civicgrid.core import audit
from civicgrid.core.errors import NotFound, ValidationFailed
from civicgrid.core.scoping import covers
from civicgrid.people.models import StaffMember


def create_course(*, actor, region: str, title: str, held_on: date, hours) -> TrainingCourse:
    code = managed_area(actor, region)
    course = TrainingCourse(region_code=code, title=text(title, field="title", low=2, high=200), held_on=held_on,
                            hours=number(hours, field="hours", low=0.5, high=200))
    with transaction.atomic():
        course.full_clean()
        course.save()
        audit.record(actor=actor, action="communityaffairs.course.create", target=course, region_code=code,
                     detail={"hours": str(course.hours), "held_on": str(held_on)})
    return course


def _attendee(actor, course: TrainingCourse, staff_id: int | None) -> StaffMember:
    """The organizer signs in a worker of his area; a worker with an account signs himself in."""
    if staff_id is None:
        staff = StaffMember.objects.filter(user=actor).first() if getattr(actor, "is_authenticated", False) else None
        if staff is None or not covers(actor, course.region_code) and not staff.region_code.startswith(
                course.region_code):
            raise NotFound()
        return staff
    staff = StaffMember.objects.get_managed(actor, pk=staff_id)
    if not staff.region_code.startswith(course.region_code):
        raise ValidationFailed(_("This worker is outside the course's area."), code="outside_course_area",
                               field="staff")
    return staff


def sign_in(*, actor, course_id: int, staff_id: int | None = None) -> Attendance:
    """Record a worker's attendance (once; signing in again returns the same record)."""
    course = TrainingCourse.objects.get_visible(actor, pk=course_id)
    staff = _attendee(actor, course, staff_id)
    with transaction.atomic():
        found, made = Attendance.objects.get_or_create(course=course, staff=staff, defaults={
            "region_code": staff.region_code, "signed_at": timezone.now(), "recorded_by": actor})
        if made:
            audit.record(actor=actor, action="communityaffairs.course.sign_in", target=found,
                         region_code=staff.region_code, detail={"course": course.pk, "staff": staff.pk})
    return found
