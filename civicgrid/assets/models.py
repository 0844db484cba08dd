"""Street assets (城市部件): manhole covers, street lamps, signs, trees, bins, benches … with the unit that owns
them. A case may name one; routing then sends it to the owner unit before any category rule."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from civicgrid.assets.classes import KIND_CHOICES
from civicgrid.core.scoping import ScopedManager


class AssetState(models.TextChoices):
    IN_USE = "in_use", _("In use")
    DAMAGED = "damaged", _("Damaged")
    REMOVED = "removed", _("Removed")


class Asset(models.Model):
    """`code` follows GB/T 30428.2 (see classes.py); `owner_unit` is the code of the handling unit that owns and
    maintains it (权属单位), `owner_name` its name as the source data gives it."""

    code = models.CharField(_("asset code"), max_length=16, unique=True)
    kind = models.CharField(_("class"), max_length=4, choices=KIND_CHOICES, db_index=True)
    name = models.CharField(_("name"), max_length=100, blank=True)
    owner_unit = models.CharField(_("owner unit code"), max_length=32, blank=True, db_index=True)
    owner_name = models.CharField(_("owner unit"), max_length=100, blank=True)
    lon = models.FloatField(_("longitude"))
    lat = models.FloatField(_("latitude"))
    region_code = models.CharField(_("grid code"), max_length=15, db_index=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=AssetState.choices, default=AssetState.IN_USE)
    generated = models.BooleanField(_("generated (demo data)"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(region="region_code")

    class Meta:
        ordering = ["code"]
        verbose_name = _("street asset")
        verbose_name_plural = _("street assets")
        indexes = [models.Index(fields=["lat", "lon"])]
        constraints = [
            models.CheckConstraint(condition=Q(lon__gte=-180, lon__lte=180, lat__gte=-90, lat__lte=90),
                                   name="assets_asset_lonlat"),
        ]

    def __str__(self):
        return f"{self.code} {self.get_kind_display()}"

    def clean(self):
        """The grid follows the point (the admin edits lon/lat; the import sets region_code itself)."""
        from civicgrid.territory.locate import locate_code

        grid = locate_code(self.lon, self.lat) if self.lon is not None and self.lat is not None else None
        if not grid:
            raise ValidationError({"lon": _("The point is outside every grid of the district.")})
        self.region_code = grid
