"""Parked cases whose review date has come: one reminder per review date to the first receiver. Idempotent."""

from django.db import transaction
from django.utils import timezone

from civicgrid.cases import events
from civicgrid.cases.models import Case, CaseEvent, State
from civicgrid.core import audit


def remind_park_reviews(*, today=None) -> int:
    today = today or timezone.localdate()
    reminded = 0
    due = Case.objects.filter(state=State.PARKED, park_review_on__lte=today).values_list("pk", flat=True)
    for case_id in due[:1000]:
        with transaction.atomic():
            case = Case.objects.select_for_update().filter(pk=case_id, state=State.PARKED).first()
            if case is None or case.park_review_on is None:
                continue
            review_on = case.park_review_on.isoformat()
            if CaseEvent.objects.filter(case=case, kind="park_review", data__review_on=review_on).exists():
                continue
            event = CaseEvent.objects.create(case=case, kind="park_review", from_state=case.state,
                                             to_state=case.state, at=timezone.now(), data={"review_on": review_on})
            events.park_review(case, event)
            audit.record(actor=None, action="cases.park_review", target=case, region_code=case.region_code)
            reminded += 1
    return reminded
