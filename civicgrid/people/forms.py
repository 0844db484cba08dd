from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from civicgrid.core.errors import ValidationFailed
from civicgrid.core.uploads import MB, check_upload_size
from civicgrid.people.models import Resident, SpecialGroup, StaffBody
from civicgrid.territory.picker import region_steps


class RegionStepsMixin:
    """The region filter in steps (subdistrict → community → grid) instead of one select of every grid."""

    data: Any

    def _steps(self, actor) -> None:
        self.region_steps = region_steps(actor, self.data)

    def region(self) -> str | None:
        return self.region_steps.chosen or None


class ResidentFilterForm(RegionStepsMixin, forms.Form):
    group = forms.ChoiceField(label=_("Special group"), required=False,
                              choices=[("", _("All"))] + list(SpecialGroup.choices))
    gender = forms.ChoiceField(label=_("Gender"), required=False,
                               choices=[("", _("All"))] + list(Resident.Gender.choices))
    age_min = forms.IntegerField(label=_("Age from"), required=False, min_value=0, max_value=150)
    age_max = forms.IntegerField(label=_("Age to"), required=False, min_value=0, max_value=150)
    q = forms.CharField(label=pgettext_lazy("person", "Name"), required=False, max_length=50)

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self._steps(actor)

    def filters(self) -> dict:
        """Selector keyword arguments from the valid fields; invalid ones are ignored."""
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        data = {name: cleaned.get(name) for name in self.fields if name not in self.errors}
        return {"region": self.region(), "group": data.get("group") or None,
                "gender": data.get("gender") or None, "age_min": data.get("age_min"),
                "age_max": data.get("age_max"), "q": data.get("q") or None}


class StaffFilterForm(RegionStepsMixin, forms.Form):
    body = forms.ChoiceField(label=_("Body"), required=False, choices=[("", _("All"))] + list(StaffBody.choices))

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self._steps(actor)

    def filters(self) -> dict:
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        return {"region": self.region(), "body": cleaned.get("body") or None}


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
