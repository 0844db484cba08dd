"""Service-circle data: facility categories (reference data), facilities, walking networks, analysis runs
with their per-place and per-community results, and site recommendations."""

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from civicgrid.core.scoping import ScopedManager


class CircleLevel(models.TextChoices):
    MIN5 = "5min", _("5-minute life circle")
    MIN10 = "10min", _("10-minute life circle")
    MIN15 = "15min", _("15-minute life circle")
    CONVENIENCE = "convenience", _("Convenience living circle")


def category_label(name: str, name_en: str = "") -> str:
    """The Chinese name, or the English one when the page is in English and one is recorded."""
    return name_en if name_en and (get_language() or "").startswith("en") else name


class Category(models.Model):
    """A kind of facility and the walking distance within which residents should reach one."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=60)
    name_en = models.CharField(_("English name"), max_length=80, blank=True)
    level = models.CharField(_("life-circle level"), max_length=16, choices=CircleLevel.choices)
    walk_distance_m = models.PositiveIntegerField(_("walking distance (m)"))
    source = models.TextField(_("source"), blank=True)
    active = models.BooleanField(_("used in analyses"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("facility category")
        verbose_name_plural = _("facility categories")
        constraints = [
            models.CheckConstraint(condition=models.Q(walk_distance_m__gte=50, walk_distance_m__lte=5000),
                                   name="servicecircle_category_distance_range"),
        ]

    def __str__(self):
        return self.name

    @property
    def label(self) -> str:
        return category_label(self.name, self.name_en)


class Facility(models.Model):
    class Source(models.TextChoices):
        MANUAL = "manual", _("Entered by hand")
        CSV = "csv", _("CSV import")
        GEOJSON = "geojson", _("GeoJSON import")
        OSM = "osm", _("OpenStreetMap import")
        DEMO = "demo", _("Generated demo data")

    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="facilities",
                                 verbose_name=_("category"))
    name = models.CharField(_("name"), max_length=200)
    region_code = models.CharField(_("region code"), max_length=15, db_index=True)
    lon = models.FloatField(_("longitude"))
    lat = models.FloatField(_("latitude"))
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    opening_hours = models.CharField(_("opening hours"), max_length=100, blank=True)
    operator = models.CharField(_("operator"), max_length=200, blank=True)
    source = models.CharField(_("source"), max_length=16, choices=Source.choices, default=Source.MANUAL)
    external_id = models.CharField(_("external id"), max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)


    objects = ScopedManager()
    class Meta:
        ordering = ["region_code", "name", "id"]
        verbose_name = _("facility")
        verbose_name_plural = _("facilities")
        constraints = [
            models.UniqueConstraint(fields=["source", "external_id"], condition=~models.Q(external_id=""),
                                    name="servicecircle_facility_external_once"),
            models.CheckConstraint(condition=models.Q(lon__gte=-180, lon__lte=180, lat__gte=-90, lat__lte=90),
                                   name="servicecircle_facility_lonlat"),
        ]

    def __str__(self):
        return self.name

    @property
    def generated(self) -> bool:
        return self.source == self.Source.DEMO


class Network(models.Model):
    """The walking network of a district, stored as an engine .npz file under DATA_DIR/servicecircle/."""

    district_code = models.CharField(_("district code"), max_length=6, unique=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    source = models.CharField(_("source"), max_length=300)
    generated = models.BooleanField(_("generated (not a real street network)"), default=False)
    n_nodes = models.PositiveIntegerField(default=0)
    n_edges = models.PositiveIntegerField(default=0)
    crs = models.CharField(max_length=20, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    built_at = models.DateTimeField(_("built at"))
    components = models.JSONField(default=dict, blank=True,
                                  help_text="{count, main_nodes, other_nodes, largest: [vertex counts], dropped: []}")
    rules = models.JSONField(default=dict, blank=True, help_text="the walking rules the network was built with")
    warnings = models.JSONField(default=list, blank=True, help_text="warnings accepted at import (e.g. --force)")


    objects = ScopedManager(region="district_code", shared_down=True)
    class Meta:
        verbose_name = _("walking network")
        verbose_name_plural = _("walking networks")

    def __str__(self):
        return f"{self.district_code} v{self.version}"


class Status(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class AnalysisRun(models.Model):
    """One coverage analysis of the residential places of a region, with the inputs it used."""

    region_code = models.CharField(_("region"), max_length=15, db_index=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.QUEUED)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    network_version = models.PositiveIntegerField(_("network version"), default=0)
    network_source = models.CharField(_("network source"), max_length=300, blank=True)
    network_generated = models.BooleanField(default=False)
    categories = models.JSONField(_("categories"), default=list,
                                  help_text="[{code, name, level, walk_distance_m}] as used")
    walk_speed_m_s = models.FloatField(_("walking speed (m/s)"))
    snap_limit_m = models.FloatField(_("snap limit (m)"))
    summary = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)


    objects = ScopedManager(shared_down=True)
    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("analysis run")
        verbose_name_plural = _("analysis runs")

    def __str__(self):
        return f"#{self.pk} {self.region_code}"

    @property
    def category_codes(self) -> list[str]:
        return [c["code"] for c in self.categories]

    def category_labels(self) -> dict[str, str]:
        return {c["code"]: category_label(c["name"], c.get("name_en", "")) for c in self.categories}


class PlaceResult(models.Model):
    """Coverage of one residential place: distance to the nearest facility per category (None: not reached)."""

    run = models.ForeignKey(AnalysisRun, on_delete=models.CASCADE, related_name="place_results")
    place = models.ForeignKey("territory.Place", on_delete=models.CASCADE, related_name="+")
    region_code = models.CharField(max_length=15, db_index=True)
    population = models.PositiveIntegerField(default=0)
    snapped = models.BooleanField(default=True)
    snap_distance_m = models.FloatField(null=True, blank=True, help_text="straight line from the place to its street")
    connected = models.BooleanField(default=True, help_text="its street is part of the main walking network")
    component_size = models.PositiveIntegerField(null=True, blank=True,
                                                 help_text="vertices of the network piece its street belongs to")
    distances = models.JSONField(default=dict)
    missing = models.JSONField(default=list)
    score = models.FloatField(default=0.0)


    objects = ScopedManager()
    class Meta:
        ordering = ["region_code", "id"]
        constraints = [models.UniqueConstraint(fields=["run", "place"], name="servicecircle_place_result_once")]
        verbose_name = _("compound coverage result")
        verbose_name_plural = _("compound coverage results")

    def __str__(self):
        return f"{self.run_id}/{self.place_id}"


class CommunityResult(models.Model):
    """Population-weighted coverage of one community; score = mean share of categories within reach."""

    run = models.ForeignKey(AnalysisRun, on_delete=models.CASCADE, related_name="community_results")
    community_code = models.CharField(max_length=12, db_index=True)
    name = models.CharField(max_length=100, blank=True)
    population = models.PositiveIntegerField(default=0)
    places = models.PositiveIntegerField(default=0)
    covered = models.JSONField(default=dict)
    uncovered = models.JSONField(default=dict)
    score = models.FloatField(null=True, blank=True)


    objects = ScopedManager(region="community_code", shared_down=True)
    class Meta:
        ordering = ["community_code"]
        constraints = [models.UniqueConstraint(fields=["run", "community_code"],
                                               name="servicecircle_community_result_once")]
        verbose_name = _("community coverage result")
        verbose_name_plural = _("community coverage results")

    def __str__(self):
        return f"{self.run_id}/{self.community_code}"


class Recommendation(models.Model):
    """Where to put p new facilities of a category so that most uncovered residents reach one."""

    class Method(models.TextChoices):
        AUTO = "auto", _("Automatic (exact when small)")
        GREEDY = "greedy", _("Greedy")
        EXACT = "exact", _("Exact (integer program)")

    run = models.ForeignKey(AnalysisRun, on_delete=models.CASCADE, related_name="recommendations")
    region_code = models.CharField(max_length=15, db_index=True)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="+")
    p = models.PositiveSmallIntegerField(_("new facilities"))
    method = models.CharField(_("method"), max_length=8, choices=Method.choices, default=Method.AUTO)
    method_used = models.CharField(max_length=8, blank=True)
    candidate_points = models.JSONField(default=list, blank=True, help_text="user-given [lon, lat] points")
    use_facility_sites = models.BooleanField(_("use public facility sites"), default=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    n_candidates = models.PositiveIntegerField(default=0)
    population_before = models.FloatField(default=0)
    population_total = models.FloatField(default=0)
    new_population = models.FloatField(default=0)
    error = models.TextField(blank=True)


    objects = ScopedManager(shared_down=True)
    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("site recommendation")
        verbose_name_plural = _("site recommendations")

    def __str__(self):
        return f"#{self.pk} {self.category_id} × {self.p}"


class RecommendedSite(models.Model):
    recommendation = models.ForeignKey(Recommendation, on_delete=models.CASCADE, related_name="sites")
    rank = models.PositiveSmallIntegerField()
    label = models.CharField(max_length=200)
    place = models.ForeignKey("territory.Place", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    lon = models.FloatField()
    lat = models.FloatField()
    gain = models.FloatField(help_text="population newly covered by adding this site after the ones ranked above")


    objects = ScopedManager(through="recommendation")
    class Meta:
        ordering = ["recommendation", "rank"]
        verbose_name = _("recommended site")
        verbose_name_plural = _("recommended sites")

    def __str__(self):
        return f"{self.rank}. {self.label}"
