from django.db import models
from django.utils.translation import gettext_lazy as _

from civicgrid.core.scoping import ScopedManager


class Level(models.TextChoices):
    DISTRICT = "district", _("District")
    SUBDISTRICT = "subdistrict", _("Subdistrict")
    COMMUNITY = "community", _("Community")
    GRID = "grid", _("Grid")


CODE_LENGTH = {Level.DISTRICT: 6, Level.SUBDISTRICT: 9, Level.COMMUNITY: 12, Level.GRID: 15}
LEVEL_BY_LENGTH = {length: level for level, length in CODE_LENGTH.items()}
CHILD_LEVEL = {Level.DISTRICT: Level.SUBDISTRICT, Level.SUBDISTRICT: Level.COMMUNITY, Level.COMMUNITY: Level.GRID}


class Region(models.Model):
    """A node of the district → subdistrict → community → grid tree. `code` is a materialized path."""

    code = models.CharField(_("code"), max_length=15, unique=True)
    name = models.CharField(_("name"), max_length=100)
    level = models.CharField(_("level"), max_length=16, choices=Level.choices, db_index=True)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    boundary = models.JSONField(_("boundary (GeoJSON, WGS-84)"), null=True, blank=True)
    boundary_generated = models.BooleanField(_("boundary is generated"), default=False)
    center_lon = models.FloatField(null=True, blank=True)
    center_lat = models.FloatField(null=True, blank=True)
    area_km2 = models.FloatField(_("area (km²)"), null=True, blank=True)
    population = models.PositiveIntegerField(_("population"), default=0)
    households = models.PositiveIntegerField(_("households"), default=0)
    geometry_version = models.PositiveIntegerField(default=0)


    objects = ScopedManager(region="code")
    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(level=Level.DISTRICT, code__regex=r"^\d{6}$")
                    | models.Q(level=Level.SUBDISTRICT, code__regex=r"^\d{9}$")
                    | models.Q(level=Level.COMMUNITY, code__regex=r"^\d{12}$")
                    | models.Q(level=Level.GRID, code__regex=r"^\d{15}$")
                ),
                name="region_code_matches_level",
            ),
        ]

    def __str__(self):
        return f"{self.name}（{self.code}）"


class PlaceKind(models.TextChoices):
    COMMODITY_HOUSING = "commodity_housing", _("Commodity housing compound")
    OLD_COMPOUND = "old_compound", _("Old compound")
    PUBLIC_RENTAL = "public_rental", _("Public rental housing")
    RESETTLEMENT = "resettlement", _("Resettlement housing")
    UNIT_COMPOUND = "unit_compound", _("Work-unit compound")
    BUNGALOW = "bungalow", _("Bungalow area")
    OFFICE_BUILDING = "office_building", _("Office building")
    SHOP = "shop", _("Shop")
    FACILITY_SITE = "facility_site", _("Public facility site")


RESIDENTIAL_KINDS = {PlaceKind.COMMODITY_HOUSING, PlaceKind.OLD_COMPOUND, PlaceKind.PUBLIC_RENTAL,
                     PlaceKind.RESETTLEMENT, PlaceKind.UNIT_COMPOUND, PlaceKind.BUNGALOW}


class Place(models.Model):
    """A compound, building, shop or facility site inside one grid."""

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=32, choices=PlaceKind.choices, db_index=True)
    grid = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="places",
                             limit_choices_to={"level": Level.GRID})
    region_code = models.CharField(max_length=15, db_index=True, editable=False)
    lon = models.FloatField(_("longitude"))
    lat = models.FloatField(_("latitude"))
    geometry = models.JSONField(_("outline (GeoJSON)"), null=True, blank=True)
    geometry_generated = models.BooleanField(_("geometry is generated"), default=False)
    gates = models.JSONField(_("gates"), default=list, blank=True,
                             help_text=_("Where people walk in and out: [[longitude, latitude], …] (WGS-84)"))
    address = models.CharField(_("address"), max_length=200, blank=True)
    households = models.PositiveIntegerField(_("households"), default=0)
    population = models.PositiveIntegerField(_("population"), default=0)
    built_year = models.PositiveSmallIntegerField(_("year built"), null=True, blank=True)


    objects = ScopedManager()
    class Meta:
        ordering = ["region_code", "name"]
        verbose_name = _("place")
        verbose_name_plural = _("places")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.region_code = self.grid.code
        super().save(*args, **kwargs)


class Street(models.Model):
    """A named street or road of a district (a line), the street part of an address: `鲁谷路74号` → 鲁谷路.

    District-wide reference data: `region_code` is the district code and staff anywhere inside see it."""

    name = models.CharField(_("name"), max_length=100, db_index=True)
    region_code = models.CharField(_("district code"), max_length=6, db_index=True)
    geometry = models.JSONField(_("centre line (GeoJSON LineString, WGS-84)"))
    lon = models.FloatField(_("longitude of the midpoint"))
    lat = models.FloatField(_("latitude of the midpoint"))
    generated = models.BooleanField(_("generated (not a surveyed street)"), default=False)
    source = models.CharField(_("source"), max_length=200, blank=True)

    objects = ScopedManager(region="region_code", shared_down=True)

    class Meta:
        ordering = ["region_code", "name", "id"]
        verbose_name = _("street")
        verbose_name_plural = _("streets")

    def __str__(self):
        return self.name
