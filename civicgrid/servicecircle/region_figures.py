"""Service-circle coverage per region for the region pages and map (registered with core.registry from
ServiceCircleConfig.ready): the population-weighted mean coverage score of the residential places, from the
newest finished analysis that covers all the regions shown."""

from __future__ import annotations

from django.db.models import F, FloatField, Sum
from django.db.models.functions import Cast, Substr

from civicgrid.core.scoping import ancestor_prefixes
from civicgrid.servicecircle import selectors
from civicgrid.servicecircle.models import PlaceResult, Status


def coverage(actor, regions: list) -> dict[str, float | None]:
    if not regions:
        return {}
    parent = regions[0].code[: {6: 6, 9: 6, 12: 9, 15: 12}.get(len(regions[0].code), 6)]
    enclosing = {*ancestor_prefixes(regions[0].code), parent}
    run = (selectors.visible_runs(actor).filter(status=Status.DONE, region_code__in=enclosing)
           .order_by("-finished_at", "-id").first())
    if run is None:
        return {}
    length = len(regions[0].code)
    codes = [region.code for region in regions]
    rows = (PlaceResult.objects.visible_to(actor).filter(run=run, population__gt=0)
            .annotate(prefix=Substr("region_code", 1, length)).filter(prefix__in=codes)
            .values("prefix").annotate(weighted=Sum(F("score") * Cast("population", FloatField())),
                                       people=Sum("population")).order_by())
    found = {row["prefix"]: round(row["weighted"] / row["people"], 4) for row in rows if row["people"]}
    return {code: found.get(code) for code in codes}
