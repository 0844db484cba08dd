"""`{{ share|percent }}` → 79.7%, `{{ count|thousands }}` → 560,000 (see civicgrid.core.numbers)."""

from django import template

from civicgrid.core import numbers

register = template.Library()


@register.filter
def percent(value):
    try:
        return numbers.percent(None if value is None or value == "" else float(value))
    except (TypeError, ValueError):
        return numbers.MISSING


@register.filter
def thousands(value, decimals=0):
    try:
        return numbers.thousands(value, int(decimals))
    except (TypeError, ValueError):
        return numbers.MISSING
