"""A reporter joins an open case of the same category near the pin instead of opening a new one.

The joiner becomes a follower marked `joined`: updates reach them (in the inbox, or by SMS for an Open311
reporter who gave only a phone), but joining shows them nothing more of the case than the prompt did; the
scoping rule (`cases.models._case_owner`) leaves joined followers out. Only a case that `duplicates.nearby`
would show for that pin and category can be joined: any other answers 404, as if absent."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from civicgrid.cases import duplicates
from civicgrid.cases.models import Case, Follower
from civicgrid.core import audit
from civicgrid.core.encrypted import seal
from civicgrid.core.errors import NotFound, ValidationFailed
from civicgrid.core.personal import mask_phone, normalize_phone


def _nearby_case(case_id: int, category_id: int | None, lon: float | None, lat: float | None) -> Case:
    if category_id is None or lon is None or lat is None:
        raise NotFound()
    for case, _distance in duplicates.nearby(category_id=category_id, lon=lon, lat=lat):
        if case.pk == case_id:
            return case
    raise NotFound()


@transaction.atomic
def join_case(*, actor, case_id: int, category_id: int | None, lon: float | None, lat: float | None,
              phone: str = "") -> Case:
    """`actor` a signed-in reporter, or None for an Open311 reporter, who must then give a phone for updates."""
    case = _nearby_case(case_id, category_id, lon, lat)
    user = actor if actor is not None and actor.is_authenticated else None
    if user is None:
        if not phone.strip():
            raise ValidationFailed(_("Give a phone number to get the updates of the case you join."),
                                   code="phone_required", field="phone")
        number = normalize_phone(phone)
        follower = Follower(case=case, joined=True, phone_masked=mask_phone(number))
        seal(follower, "phone", number)
        follower.save()
    elif case.reporter_id == user.pk or Follower.objects.filter(case=case, user=user).exists():
        return case  # already following: nothing to write
    else:
        try:
            with transaction.atomic():
                Follower.objects.create(case=case, user=user, joined=True)
        except IntegrityError:  # a double submit that lost the race: followed once, as wanted
            return case
    audit.record(actor=user, action="cases.join", target=case, region_code=case.region_code,
                 detail={"by_phone": user is None})
    return case
