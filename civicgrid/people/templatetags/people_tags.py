from datetime import date

from django import template

from civicgrid.people.services import age_on

register = template.Library()


@register.filter
def age(birth_date):
    return age_on(birth_date, date.today()) if birth_date else ""
