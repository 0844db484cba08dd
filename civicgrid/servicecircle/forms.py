from django import forms
from django.utils.translation import gettext_lazy as _

from civicgrid.servicecircle.models import Facility, Recommendation


class RunForm(forms.Form):
    region_code = forms.ChoiceField(label=_("Area"))
    categories = forms.MultipleChoiceField(label=_("Categories"), required=False, widget=forms.CheckboxSelectMultiple)
    walk_speed_m_s = forms.FloatField(label=_("Walking speed (m/s)"), min_value=0.3, max_value=3.0, initial=1.11)
    snap_limit_m = forms.FloatField(label=_("Snap limit (m)"), min_value=10, max_value=1000, initial=150)

    def __init__(self, *args, areas=(), categories=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region_code"].choices = list(areas)
        self.fields["categories"].choices = [(c.code, c.label) for c in categories]
        self.fields["categories"].initial = [c.code for c in categories if c.active]


class RecommendForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"))
    p = forms.IntegerField(label=_("New facilities"), min_value=1, max_value=50, initial=3)
    method = forms.ChoiceField(label=_("Method"), choices=Recommendation.Method.choices, initial="auto")
    use_facility_sites = forms.BooleanField(label=_("Use public facility sites as candidates"), required=False,
                                            initial=True)
    points = forms.CharField(label=_("Other candidate points (one “longitude,latitude” per line)"), required=False,
                             widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, run=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = list(run.category_labels().items()) if run is not None else []

    def clean_points(self):
        points = []
        for line in self.cleaned_data["points"].splitlines():
            line = line.strip().replace("，", ",")
            if not line:
                continue
            try:
                lon, lat = (float(v) for v in line.split(","))
            except ValueError as exc:
                raise forms.ValidationError(_("Write each point as longitude,latitude.")) from exc
            points.append([lon, lat])
        return points


class FacilityFilterForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"), required=False)
    source = forms.ChoiceField(label=_("Source"), required=False,
                               choices=[("", _("All sources")), *Facility.Source.choices])
    q = forms.CharField(label=_("Name or operator"), required=False, max_length=100)

    def __init__(self, *args, categories=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", _("All categories"))] + [(c.code, c.label) for c in categories]


class ImportForm(forms.Form):
    file = forms.FileField(label=_("File (CSV, GeoJSON or OSM)"))
    format = forms.ChoiceField(label=_("Format"), choices=[("csv", "CSV"), ("geojson", "GeoJSON"),
                                                          ("osm", "OpenStreetMap")])


class CompoundCheckForm(forms.Form):
    lon = forms.FloatField(label=_("Longitude"), min_value=-180, max_value=180)
    lat = forms.FloatField(label=_("Latitude"), min_value=-90, max_value=90)
    population = forms.IntegerField(label=_("Planned residents"), min_value=0, max_value=1_000_000, initial=1000)
