"""Service-circle runs and recommendations whose worker died (core.leases): run again, or failed with the reason.

A run claimed by a worker is "running"; if that worker is killed the run would stay "running" forever.
When the reaper re-queues the task, `reopen_*` puts the run back to "queued" so the task claims it again;
when the reaper gives up, `fail_*` records why. Both are writes with their audit event (services rules).
"""

from django.db import transaction
from django.utils import timezone

from civicgrid.core import audit
from civicgrid.servicecircle.models import AnalysisRun, Recommendation, Status


def reopen_lost_run(*, run_id: int) -> bool:
    return _reopen(AnalysisRun, run_id, "servicecircle.run.recover")


def reopen_lost_recommendation(*, recommendation_id: int) -> bool:
    return _reopen(Recommendation, recommendation_id, "servicecircle.recommendation.recover")


def fail_lost_run(*, run_id: int, reason: str) -> bool:
    return _fail(AnalysisRun, run_id, reason, "servicecircle.run.fail")


def fail_lost_recommendation(*, recommendation_id: int, reason: str) -> bool:
    return _fail(Recommendation, recommendation_id, reason, "servicecircle.recommendation.fail")


def _reopen(model, pk: int, action: str) -> bool:
    with transaction.atomic():
        row = model.objects.select_for_update().filter(pk=pk, status=Status.RUNNING).first()
        if row is None:
            return False
        model.objects.filter(pk=pk).update(status=Status.QUEUED)
        audit.record(actor=None, action=action, target=row, region_code=row.region_code,
                     detail={"reason": "worker lost while running it"})
    return True


def _fail(model, pk: int, reason: str, action: str) -> bool:
    with transaction.atomic():
        row = model.objects.select_for_update().filter(pk=pk, status__in=(Status.QUEUED, Status.RUNNING)).first()
        if row is None:
            return False
        model.objects.filter(pk=pk).update(status=Status.FAILED, error=reason, finished_at=timezone.now())
        audit.record(actor=None, action=action, target=row, region_code=row.region_code,
                     outcome="failure", detail={"error": reason})
    return True
