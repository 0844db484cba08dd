"""Background computation of analyses and recommendations (enqueued on commit by the services).
Both are idempotent: a run that is not queued any more is left as it is, except when this is the task's
recovery from a worker that died while running it (core.leases): then the run it left "running" is reopened."""

from huey.contrib.djhuey import HUEY, db_task

from civicgrid.core import leases
from civicgrid.servicecircle import recovery, services


@db_task()
def run_analysis(run_id: int) -> str:
    if leases.recovery_attempt():
        recovery.reopen_lost_run(run_id=run_id)
    return services.execute_run(run_id=run_id)


@db_task()
def run_recommendation(recommendation_id: int) -> str:
    if leases.recovery_attempt():
        recovery.reopen_lost_recommendation(recommendation_id=recommendation_id)
    return services.execute_recommendation(recommendation_id=recommendation_id)


@leases.on_abandon(HUEY._registry.task_to_string(run_analysis.task_class))
def _give_up_run(args: tuple, kwargs: dict, reason: str) -> None:
    recovery.fail_lost_run(run_id=kwargs.get("run_id", args[0] if args else 0), reason=reason)


@leases.on_abandon(HUEY._registry.task_to_string(run_recommendation.task_class))
def _give_up_recommendation(args: tuple, kwargs: dict, reason: str) -> None:
    recovery.fail_lost_recommendation(recommendation_id=kwargs.get("recommendation_id", args[0] if args else 0),
                                      reason=reason)
