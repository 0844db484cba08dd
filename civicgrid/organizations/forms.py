"""Filters of the registry list (GET): kind, field, registration, status, grade, office, report status, search."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from civicgrid.organizations.models import Field, Kind, Organization, Rating, Registration
from civicgrid.territory.models import Level, Region

EMPTY = [("", "—")]


class RegistryFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or credit code"), required=False, max_length=100)
    kind = forms.ChoiceField(label=_("kind"), required=False, choices=EMPTY + list(Kind.choices))
    field = forms.ChoiceField(label=_("field"), required=False, choices=EMPTY + list(Field.choices))
    registration = forms.ChoiceField(label=_("registration"), required=False,
                                     choices=EMPTY + list(Registration.choices))
    status = forms.ChoiceField(label=pgettext_lazy("organization", "status"), required=False,
                               choices=EMPTY + list(Organization.Status.choices))
    min_rating = forms.TypedChoiceField(label=_("Grade at least"), required=False, coerce=int, empty_value=None,
                                        choices=EMPTY + list(Rating.choices))
    region = forms.ChoiceField(label=_("registering office"), required=False)
    report_year = forms.TypedChoiceField(label=_("Annual report year"), required=False, coerce=int, empty_value=None)
    report = forms.ChoiceField(label=_("Annual report"), required=False,
                               choices=EMPTY + [("filed", _("Filed")), ("missing", _("Not filed"))])

    def __init__(self, data, *, actor, years: list[int]):
        super().__init__(data)
        area = getattr(actor, "area_code", None)
        offices = Region.objects.filter(level__in=[Level.DISTRICT, Level.SUBDISTRICT])
        if area:
            offices = offices.filter(code__startswith=area[:9] if len(area) > 6 else area)
        self.fields["region"].choices = EMPTY + [(r.code, r.name) for r in offices.order_by("code")]
        self.fields["report_year"].choices = EMPTY + [(year, str(year)) for year in years]

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        report = data.get("report")
        return {"q": data.get("q") or "", "kind": data.get("kind") or "", "field": data.get("field") or "",
                "registration": data.get("registration") or "", "status": data.get("status") or "",
                "min_rating": data.get("min_rating"), "region_code": data.get("region") or "",
                "report_year": data.get("report_year"),
                "report_filed": None if not report else report == "filed"}
