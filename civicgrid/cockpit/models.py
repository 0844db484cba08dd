"""The cockpit's own records: rollups of what modules publish as cockpit sources (per day and grid, and per month
and grid, totals and mixes), the district's targets, and the monthly reports it generated. The cockpit writes
nothing else."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from civicgrid.core.scoping import ScopedManager

MEASURE_SLOTS = 14
MEASURE_FIELDS = tuple(f"m{i}" for i in range(MEASURE_SLOTS))


class RollupRow(models.Model):
    """One source's measures for one grid over one day or month. `dim`/`key` '' are the totals; a mix row (e.g.
    dim "category") carries its count in m0 (and in `records`). A source's measures map to m0, m1, … in the order it
    declared them."""

    source = models.CharField(max_length=24)
    grid_code = models.CharField(max_length=15)
    dim = models.CharField(max_length=16, blank=True)
    key = models.CharField(max_length=32, blank=True)
    label = models.CharField(max_length=100, blank=True)
    records = models.PositiveIntegerField(default=0)  # how many records the row sums up (finds cells a record left)
    m0 = models.PositiveIntegerField(default=0)
    m1 = models.PositiveIntegerField(default=0)
    m2 = models.PositiveIntegerField(default=0)
    m3 = models.PositiveIntegerField(default=0)
    m4 = models.PositiveIntegerField(default=0)
    m5 = models.PositiveIntegerField(default=0)
    m6 = models.PositiveIntegerField(default=0)
    m7 = models.PositiveIntegerField(default=0)
    m8 = models.PositiveIntegerField(default=0)
    m9 = models.PositiveIntegerField(default=0)
    m10 = models.PositiveIntegerField(default=0)
    m11 = models.PositiveIntegerField(default=0)
    m12 = models.PositiveIntegerField(default=0)
    m13 = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True


class DayRollup(RollupRow):
    day = models.DateField()

    objects = ScopedManager(region="grid_code")

    class Meta:
        verbose_name = _("daily cockpit rollup")
        verbose_name_plural = _("daily cockpit rollups")
        indexes = [models.Index(fields=["source", "dim", "day", "grid_code"], name="cockpit_day_source_day")]

    def __str__(self):
        return f"{self.source} {self.day} {self.grid_code}"


class MonthRollup(RollupRow):
    month = models.DateField()  # the first day of the month

    objects = ScopedManager(region="grid_code")

    class Meta:
        verbose_name = _("monthly cockpit rollup")
        verbose_name_plural = _("monthly cockpit rollups")
        indexes = [models.Index(fields=["source", "dim", "month", "grid_code"], name="cockpit_month_source_month")]

    def __str__(self):
        return f"{self.source} {self.month:%Y-%m} {self.grid_code}"


class RollupCursor(models.Model):
    """Up to when one source's rollup reflects its records' changes."""

    source = models.CharField(max_length=24, primary_key=True)
    refreshed_until = models.DateTimeField(null=True, blank=True)
    measures = models.JSONField(default=list)  # the measures the rows were written with

    class Meta:
        verbose_name = _("cockpit rollup cursor")
        verbose_name_plural = _("cockpit rollup cursors")

    def __str__(self):
        return f"{self.source} {self.refreshed_until}"


class Target(models.Model):
    """The target the district set for one KPI in one region."""

    kpi = models.CharField(_("key figure"), max_length=48)
    region_code = models.CharField(_("region"), max_length=15)
    value = models.FloatField(_("target"))
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+", verbose_name=_("set by"))
    set_at = models.DateTimeField(_("set at"), auto_now=True)

    objects = ScopedManager(shared_down=True)

    class Meta:
        ordering = ["kpi", "region_code"]
        verbose_name = _("cockpit target")
        verbose_name_plural = _("cockpit targets")
        constraints = [models.UniqueConstraint(fields=["kpi", "region_code"], name="cockpit_target_once")]

    def __str__(self):
        return f"{self.kpi} {self.region_code} {self.value}"


class MonthlyReport(models.Model):
    """The monthly report of one region (the district or a subdistrict), kept as generated."""

    region_code = models.CharField(_("region"), max_length=15, db_index=True)
    month = models.DateField(_("month"))  # the first day of the month reported on
    generated_at = models.DateTimeField(_("generated at"), auto_now_add=True)
    figures = models.JSONField(default=dict)
    xlsx = models.BinaryField(editable=False)
    pdf = models.BinaryField(editable=False)

    objects = ScopedManager()

    class Meta:
        ordering = ["-month", "region_code"]
        verbose_name = _("monthly report")
        verbose_name_plural = _("monthly reports")
        constraints = [models.UniqueConstraint(fields=["region_code", "month"], name="cockpit_report_once")]

    def __str__(self):
        return f"{self.region_code} {self.month:%Y-%m}"
