"""Every write of street assets: the import (create or update by code, all or nothing) and state changes."""

import math

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civicgrid.accounts.models import Role
from civicgrid.assets import importing
from civicgrid.assets.classes import BY_CODE, code_problem
from civicgrid.assets.models import Asset, AssetState
from civicgrid.assets.owners import known_owner_units
from civicgrid.core import audit
from civicgrid.core.errors import Conflict, DomainError, PermissionDenied, ValidationFailed
from civicgrid.core.scoping import covers
from civicgrid.territory.locate import locate_code

IMPORT_ROLES = {Role.DISTRICT, Role.SUBDISTRICT}
FIELDS = ("kind", "name", "owner_unit", "owner_name", "lon", "lat", "region_code", "address", "state")
MESSAGES = {
    "invalid_asset_code": gettext_lazy("The asset code must have 16 digits (division code, class, sequence number)."),
    "asset_code_kind_mismatch": gettext_lazy("Digits 7 to 10 of the asset code must be its class."),
}


def _text(row: dict, field: str, limit: int) -> str:
    value = str(row.get(field) if row.get(field) is not None else "").strip()
    if len(value) > limit:
        raise ValidationFailed(_("Too long."), code="too_long", field=field)
    return value


def _number(row: dict, field: str) -> float:
    try:
        value = float(row.get(field))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ValidationFailed(_("A number is expected."), code="invalid_coordinate", field=field) from None
    if not math.isfinite(value):
        raise ValidationFailed(_("A number is expected."), code="invalid_coordinate", field=field)
    return value


def _identity(row: dict) -> tuple[str, str]:
    if row.get("_geometry_type", "Point") != "Point":
        raise ValidationFailed(_("Each feature must be a Point."), code="not_a_point", field="geometry")
    kind, code = _text(row, "kind", 4), _text(row, "code", 16)
    if kind not in BY_CODE:
        raise ValidationFailed(_("Unknown asset class."), code="unknown_asset_kind", field="kind")
    problem = code_problem(code, kind)
    if problem:
        raise ValidationFailed(MESSAGES[problem], code=problem, field="code")
    return code, kind


def clean_row(row: dict, *, actor, owners: set[str] | None) -> dict:
    """The asset's fields from one row; raises ValidationFailed naming the field."""
    code, kind = _identity(row)
    owner = _text(row, "owner_unit", 32)
    if owner and owners is not None and owner not in owners:
        raise ValidationFailed(_("Unknown owner unit code."), code="unknown_owner_unit", field="owner_unit")
    lon, lat = _number(row, "lon"), _number(row, "lat")
    grid = locate_code(lon, lat) if -180 <= lon <= 180 and -90 <= lat <= 90 else None
    if not grid:
        raise ValidationFailed(_("The point is outside every grid of the district."), code="outside_district",
                               field="lon")
    if actor is not None and not covers(actor, grid):
        raise ValidationFailed(_("The point is outside your area."), code="outside_your_area", field="lon")
    state = _text(row, "state", 10) or AssetState.IN_USE
    if state not in AssetState.values:
        raise ValidationFailed(_("Unknown state."), code="unknown_state", field="state")
    return {"code": code, "kind": kind, "name": _text(row, "name", 100), "owner_unit": owner,
            "owner_name": _text(row, "owner_name", 100), "lon": lon, "lat": lat, "region_code": grid,
            "address": _text(row, "address", 200), "state": state}


class _Rollback(Exception):
    """Raised inside the import's transaction to undo it when any row was refused."""


def ensure_may_import(actor) -> None:
    if actor is not None and not (actor.is_superuser or actor.role in IMPORT_ROLES):
        raise PermissionDenied()


def _error(line: int, error: DomainError) -> dict:
    return {"line": line, "field": error.field or "", "code": error.code, "message": str(error.message)}


def _apply(actor, rows, errors: list[dict]) -> tuple[int, int]:
    owners, seen, created, updated = known_owner_units(), set(), 0, 0
    existing = {a.code: a for a in Asset.objects.select_for_update().filter(
        code__in=[str(r.get("code") or "").strip() for _line, r in rows])}
    for line, row in rows:
        try:
            fields = clean_row(row, actor=actor, owners=owners)
            if fields["code"] in seen:
                raise ValidationFailed(_("The code appears twice in the file."), code="duplicate_code", field="code")
            seen.add(fields["code"])
            asset = existing.get(fields["code"])
            if asset is not None and actor is not None and not covers(actor, asset.region_code):
                raise ValidationFailed(_("This asset belongs to another area."), code="outside_your_area",
                                       field="code")
        except DomainError as error:
            errors.append(_error(line, error))
            continue
        if asset is None:
            Asset(**fields).save()
            created += 1
        elif any(getattr(asset, f) != fields[f] for f in FIELDS):
            for f in FIELDS:
                setattr(asset, f, fields[f])
            asset.save()
            updated += 1
    return created, updated


def import_assets(*, actor, name: str, data: bytes) -> dict:
    """{"created", "updated", "unchanged", "errors": [{line, field, code, message}]}: with any error nothing is
    written. Rows are matched by code: a known code updates that asset, a new one creates it."""
    ensure_may_import(actor)
    try:
        rows = importing.read_rows(name, data)
    except importing.UnreadableFile as error:
        raise ValidationFailed(_("The file cannot be read."), code="unreadable_file", field="file",
                               details=[str(error)]) from None
    errors: list[dict] = []
    try:
        with transaction.atomic():
            created, updated = _apply(actor, rows, errors)
            if errors:
                raise _Rollback()
            audit.record(actor=actor, action="assets.import", target_type="assets.asset",
                         detail={"file": name[:100], "rows": len(rows), "created": created, "updated": updated})
    except _Rollback:
        return {"created": 0, "updated": 0, "unchanged": 0, "errors": errors}
    except IntegrityError:  # another import created one of these codes meanwhile: nothing of this one was kept
        raise Conflict(_("Another import wrote some of these assets at the same time: upload the file again."),
                       code="concurrent_import") from None
    return {"created": created, "updated": updated, "unchanged": len(rows) - created - updated, "errors": []}


@transaction.atomic
def set_state(*, actor, code: str, state: str) -> Asset:
    asset = Asset.objects.select_for_update().get_managed(actor, code=code)
    if state not in AssetState.values:
        raise ValidationFailed(_("Unknown state."), code="unknown_state", field="state")
    before, asset.state = asset.state, state
    asset.save(update_fields=["state", "updated_at"])
    audit.record(actor=actor, action="assets.state", target=asset, region_code=asset.region_code,
                 detail={"before": before, "after": state})
    return asset
