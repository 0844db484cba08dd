from django import template

from civicgrid.volunteering.hours import hours_text

register = template.Library()


@register.filter
def hours(minutes):
    """{{ record.minutes|hours }} → "1.5 小时": the one way service time is shown."""
    return hours_text(minutes)
