from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from civicgrid.core.errors import ValidationFailed
from civicgrid.core.uploads import MB, check_upload_size
from civicgrid.people import selectors
from civicgrid.people.models import Resident, SpecialGroup, StaffBody
from civicgrid.territory.models import Level


def region_choices(actor) -> list:
    choices: list = [("", _("All"))]
    for region in selectors.regions_for(actor=actor):
        indent = "\u3000" if region.level == Level.GRID else ""
        choices.append((region.code, f"{indent}{region.name}"))
    return choices


class ResidentFilterForm(forms.Form):
    region = forms.ChoiceField(label=_("Community / grid"), required=False)
    group = forms.ChoiceField(label=_("Special group"), required=False,
                              choices=[("", _("All"))] + list(SpecialGroup.choices))
    gender = forms.ChoiceField(label=_("Gender"), required=False,
                               choices=[("", _("All"))] + list(Resident.Gender.choices))
    age_min = forms.IntegerField(label=_("Age from"), required=False, min_value=0, max_value=150)
    age_max = forms.IntegerField(label=_("Age to"), required=False, min_value=0, max_value=150)
    q = forms.CharField(label=pgettext_lazy("person", "Name"), required=False, max_length=50)

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = region_choices(actor)

    def filters(self) -> dict:
        """Selector keyword arguments from the valid fields; invalid ones are ignored."""
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        data = {name: cleaned.get(name) for name in self.fields if name not in self.errors}
        return {"region": data.get("region") or None, "group": data.get("group") or None,
                "gender": data.get("gender") or None, "age_min": data.get("age_min"),
                "age_max": data.get("age_max"), "q": data.get("q") or None}


class StaffFilterForm(forms.Form):
    region = forms.ChoiceField(label=_("Community / grid"), required=False)
    body = forms.ChoiceField(label=_("Body"), required=False, choices=[("", _("All"))] + list(StaffBody.choices))

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = region_choices(actor)

    def filters(self) -> dict:
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        return {"region": cleaned.get("region") or None, "body": cleaned.get("body") or None}


class LookupForm(forms.Form):
    id_number = forms.CharField(label=_("ID number"), max_length=30)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Excel file (.xlsx)"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            check_upload_size(upload.size, limit=10 * MB)
        except ValidationFailed as exc:
            raise forms.ValidationError(exc.message, code=exc.code) from None
        return upload
