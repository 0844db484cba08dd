"""Every read of organizations: takes the actor and applies the jurisdiction scope."""

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from civicgrid.organizations.models import AnnualReport, Organization, Registration


def eligibility_problems(org: Organization, *, min_rating: int, year: int, on: date | None = None) -> list[str]:
    """Why `org` may not take part in a purchase of `year` (empty when it may): it must be active and
    registered (登记, not only filed), hold a grade of at least `min_rating` (1–5, i.e. 1A–5A) unexpired on `on`
    (default today), and have filed its annual report for the previous year. Procurement adds its own rules."""
    day = on or timezone.localdate()
    problems = []
    if org.status != Organization.Status.ACTIVE:
        problems.append(_("The organization is not active (%(status)s).") % {"status": org.get_status_display()})
    if org.registration != Registration.REGISTERED:
        problems.append(_("The organization is only filed with its community, not registered."))
    if min_rating:
        problems.extend(_rating_problems(org, min_rating=min_rating, day=day))
    if not AnnualReport.objects.filter(organization=org, year=year - 1, status__in=AnnualReport.FILED).exists():
        problems.append(_("The annual report for %(year)d has not been filed.") % {"year": year - 1})
    return problems


def _rating_problems(org: Organization, *, min_rating: int, day: date) -> list[str]:
    wanted = {"grade": f"{min_rating}A"}
    if not org.rating:
        return [_("The organization has no assessment grade; %(grade)s or better is required.") % wanted]
    if org.rating < min_rating:
        return [_("The organization's grade %(have)s is below the required %(grade)s.")
                % {"have": org.rating_label, **wanted}]
    if org.rating_valid_on(day) is None:
        return [_("The organization's grade %(have)s expired on %(date)s.")
                % {"have": org.rating_label, "date": org.rating_expires_on}]
    return []
