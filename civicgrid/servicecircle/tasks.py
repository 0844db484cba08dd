"""Background computation of analyses and recommendations (enqueued on commit by the services).
Both are idempotent: a run that is not queued any more is left as it is."""

from huey.contrib.djhuey import db_task

from civicgrid.servicecircle import services


@db_task()
def run_analysis(run_id: int) -> str:
    return services.execute_run(run_id=run_id)


@db_task()
def run_recommendation(recommendation_id: int) -> str:
    return services.execute_recommendation(recommendation_id=recommendation_id)
