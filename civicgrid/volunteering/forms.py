"""HTML forms for the volunteering pages."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from civicgrid.territory.models import Level, Region
from civicgrid.volunteering.models import HelpRequest, Offer, Skill, TargetGroup

WEEKDAYS = [(0, _("Monday")), (1, _("Tuesday")), (2, _("Wednesday")), (3, _("Thursday")), (4, _("Friday")),
            (5, _("Saturday")), (6, _("Sunday"))]
LOCAL = "datetime-local"


class RegisterForm(forms.Form):
    name = forms.CharField(label=pgettext_lazy("person", "Name"), max_length=50)
    id_number = forms.CharField(label=_("ID number"), max_length=30)
    phone = forms.CharField(label=_("Mobile phone"), max_length=20)
    region_code = forms.ChoiceField(label=_("Community"))
    skills = forms.MultipleChoiceField(label=_("Skills"), choices=Skill.choices, required=False,
                                       widget=forms.CheckboxSelectMultiple)
    available_weekdays = forms.TypedMultipleChoiceField(label=_("Available on"), choices=WEEKDAYS, coerce=int,
                                                        required=False, widget=forms.CheckboxSelectMultiple)
    consent = forms.BooleanField(label=_("I agree that my service records and contact details are kept to run "
                                         "volunteer services."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region_code"].choices = list(
            Region.objects.filter(level=Level.COMMUNITY).values_list("code", "name"))


class ActivityForm(forms.Form):
    team = forms.ChoiceField(label=_("Team"))
    title = forms.CharField(label=_("Title"), max_length=200)
    place_name = forms.CharField(label=pgettext_lazy("activity", "Place"), max_length=200, required=False)
    target_groups = forms.MultipleChoiceField(label=_("Target groups"), choices=TargetGroup.choices, required=False,
                                              widget=forms.CheckboxSelectMultiple)
    starts_at = forms.DateTimeField(label=_("Shift starts"), widget=forms.DateTimeInput(attrs={"type": LOCAL}))
    ends_at = forms.DateTimeField(label=_("Shift ends"), widget=forms.DateTimeInput(attrs={"type": LOCAL}))
    capacity = forms.IntegerField(label=pgettext_lazy("shift", "Places"), min_value=1, max_value=10000, initial=10)

    def __init__(self, *args, teams=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].choices = [(t.pk, t.name) for t in teams]


class OfferForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), choices=Offer.Kind.choices)
    points = forms.IntegerField(label=_("Points"), min_value=1, max_value=100000)
    stock = forms.IntegerField(label=_("Stock"), min_value=0, max_value=1000000)
    valid_from = forms.DateField(label=_("Valid from"), widget=forms.DateInput(attrs={"type": "date"}))
    valid_until = forms.DateField(label=_("Valid until"), widget=forms.DateInput(attrs={"type": "date"}))


class ShopForm(forms.Form):
    username = forms.CharField(label=_("Partner-shop account"), max_length=150)
    name = forms.CharField(label=_("Shop name"), max_length=100)
    region_code = forms.CharField(label=_("Community code"), max_length=12)
    address = forms.CharField(label=_("Address"), max_length=200, required=False)


class HelpForm(forms.Form):
    resident_id = forms.IntegerField(label=_("Resident number"), min_value=1)
    kind = forms.ChoiceField(label=_("Help needed"), choices=HelpRequest.Kind.choices)
    description = forms.CharField(label=_("Description"), max_length=500)
    needed_at = forms.DateTimeField(label=_("Needed at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
