"""The registry of honorary community directors (社区名誉主任) and what they bring."""

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from civicgrid.consultation.models import Contribution, HonoraryDirector
from civicgrid.consultation.services.common import managed_community, text_between
from civicgrid.core import audit
from civicgrid.core.errors import ValidationFailed


@transaction.atomic
def add_director(*, actor, community: str, name: str, affiliation: str = "", term_start: date,
                 term_end: date) -> HonoraryDirector:
    code = managed_community(actor, community)
    if term_start is None or term_end is None or term_end < term_start:
        raise ValidationFailed(_("The term must end after it starts."), code="invalid_term", field="term_end")
    director = HonoraryDirector.objects.create(region_code=code, name=text_between(name, field="name", low=1, high=50),
                                               affiliation=(affiliation or "").strip()[:100], term_start=term_start,
                                               term_end=term_end)
    audit.record(actor=actor, action="consultation.director.add", target=director, region_code=code)
    return director


@transaction.atomic
def add_contribution(*, actor, director_id: int, kind: str, on: date, text: str) -> Contribution:
    director = HonoraryDirector.objects.get_managed(actor, pk=director_id)
    if kind not in Contribution.Kind.values:
        raise ValidationFailed(code="invalid_kind", field="kind")
    if on is None:
        raise ValidationFailed(_("Give the date."), code="invalid_date", field="on")
    made = Contribution.objects.create(director=director, kind=kind, on=on,
                                       text=text_between(text, field="text", high=300))
    audit.record(actor=actor, action="consultation.director.contribution", target=made,
                 region_code=director.region_code, detail={"kind": kind})
    return made
