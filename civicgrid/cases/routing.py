"""Category + location → handling unit, and the deadlines that follow from the category."""

from datetime import datetime

from civicgrid.cases.models import Case, Category, HandlingUnit, RoutingRule, TimeUnit
from civicgrid.core.workcalendar import add_working_days, add_working_hours

URGENT_LIMIT_HOURS = 4
RESPONSE_HOURS = 2
URGENT_RESPONSE_HOURS = 0.5


def asset_owner(asset) -> HandlingUnit | None:
    """The handling unit that owns a street asset (its `owner_unit` code), if that unit exists."""
    if asset is None or not asset.owner_unit:
        return None
    return HandlingUnit.objects.filter(code=asset.owner_unit).first()


def route(category: Category | None, region_code: str, asset=None) -> HandlingUnit | None:
    """The owner unit of the named street asset first; then the rule with the longest matching region prefix for
    the category, then its major category; otherwise the category's default unit, then the major category's."""
    owner = asset_owner(asset)
    if owner is not None:
        return owner
    if category is None:
        return None
    for cat in filter(None, (category, category.parent)):
        rules = [r for r in RoutingRule.objects.filter(category=cat).select_related("unit")
                 if region_code.startswith(r.region_prefix)]
        if rules:
            return max(rules, key=lambda r: len(r.region_prefix)).unit
    for cat in filter(None, (category, category.parent)):
        if cat.default_unit_id:
            return cat.default_unit
    return None


def deadline_for(case: Case, start: datetime) -> datetime:
    category = case.category
    limit, unit = (category.time_limit, category.time_unit) if category else (5, TimeUnit.DAYS)
    if case.urgent:
        hours = limit * 8 if unit == TimeUnit.DAYS else limit
        return add_working_hours(start, min(hours, URGENT_LIMIT_HOURS))
    if unit == TimeUnit.HOURS:
        return add_working_hours(start, limit)
    return add_working_days(start, limit)


def response_due_for(case: Case, start: datetime) -> datetime:
    return add_working_hours(start, URGENT_RESPONSE_HOURS if case.urgent else RESPONSE_HOURS)
