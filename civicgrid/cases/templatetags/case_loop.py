"""Template pieces of the closed loop, each rendered from one line of an existing page: the case page's panel
(requests, call-back), the dispatcher desk's requests and parked cases, the statistics by channel, rates as
percentages."""

from django import template
from django.utils import timezone

from civicgrid.cases import policy, selectors, stats
from civicgrid.cases.events import STAFF
from civicgrid.cases.models import Case
from civicgrid.cases.models_loop import CallBackState, FollowUp, RequestKind
from civicgrid.cases.services import callback, requests
from civicgrid.core.errors import NotFound
from civicgrid.core.templatetags import numbers as numbers_tags

register = template.Library()


register.filter("percent", numbers_tags.percent)  # one rule for rates on every page: core's (79.7%)


def _base(context) -> dict:
    return {"request": context.get("request"), "csrf_token": context.get("csrf_token")}


@register.inclusion_tag("cases/_case_loop.html", takes_context=True)
def case_loop_panel(context, case: Case) -> dict:
    """For staff and units only: a reporter sees the outcome, not the internal requests."""
    actor = context["request"].user
    if not (actor.is_superuser or getattr(actor, "role", "") in STAFF):
        return {}
    pending, task, history = selectors.loop_records(case)
    may_ask = (policy.is_unit_member(actor, case) and case.state in requests.ASKABLE_STATES and pending is None)
    return {**_base(context), "case": case, "pending": pending, "task": task, "may_ask": may_ask,
            "kinds": RequestKind.choices, "min_date": timezone.localdate().isoformat(),
            "may_decide": pending is not None and policy.in_area(actor, case, policy.DISPATCH_ROLES),
            "may_call_back": task is not None and callback.may_call_back(actor, case),
            "may_approve": (task is not None and task.followup == FollowUp.EXPLAIN_PENDING
                            and callback.may_approve(actor, case)),
            "history": history}


@register.inclusion_tag("cases/_desk_requests.html", takes_context=True)
def desk_requests(context) -> dict:
    actor = context["request"].user
    return {**_base(context), **selectors.desk_loop_lists(actor=actor), "today": timezone.localdate(),
            "callbacks": callback.queue(actor=actor).filter(state=CallBackState.PENDING).count()}


@register.inclusion_tag("cases/_stats_channels.html", takes_context=True)
def channel_breakdown(context) -> dict:
    actor, start, end = context["request"].user, context["start"], context["end"]
    try:
        result = stats.report(actor=actor, start=start, end=end, by="channel")
    except NotFound:
        return {"report": None}
    return {"report": result, "units": requests.counts_by_unit(actor=actor, start=start, end=end)}
