"""12345 hotline orders imported in batches (CSV, xlsx or JSON): every row is checked first; one bad row
and nothing is imported, the report lists each problem by row and field."""

import csv
import io
import json
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from civicgrid.accounts.models import Role
from civicgrid.cases.models import Case, Category, Channel
from civicgrid.cases.services.intake import report_case
from civicgrid.core import audit, uploads
from civicgrid.core.errors import DomainError, PermissionDenied, ValidationFailed

COLUMNS = ("order_no", "received_at", "description", "phone", "lon", "lat", "address", "category", "urgent",
           "asset_code")
IMPORT_ROLES = {Role.DISTRICT, Role.SUBDISTRICT}
MAX_ROWS = 20_000


def _rows_from(name: str, data: bytes) -> list[dict]:
    lower = name.lower()
    uploads.check_upload_size(len(data))
    if lower.endswith(".xlsx"):
        values = list(uploads.xlsx_rows(data, max_rows=MAX_ROWS))
        header = [str(h or "").strip() for h in values[0]] if values else []
        return [dict(zip(header, row, strict=False)) for row in values[1:] if any(v is not None for v in row)]
    if lower.endswith(".json"):
        rows = json.loads(data.decode("utf-8-sig"))
        if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
            raise ValueError("a JSON list of objects is expected")
    else:
        rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    uploads.check_row_count(len(rows), max_rows=MAX_ROWS)
    return rows


def _coordinate(row: dict, field: str) -> float | None:
    value = row.get(field)
    try:
        return None if value in (None, "") else float(value)
    except (ValueError, TypeError):
        raise ValidationFailed(code="invalid_value", field=field) from None


def _when(value) -> datetime:
    if isinstance(value, datetime):
        return value if timezone.is_aware(value) else timezone.make_aware(value)
    parsed = parse_datetime(str(value or "").strip())
    if parsed is None:
        raise ValueError("received_at")
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)


def _row_kwargs(row: dict, categories: dict[str, int]) -> dict:
    code = str(row.get("category") or "").strip()
    if code and code not in categories:
        raise ValidationFailed(code="unknown_category", field="category")
    order_no = str(row.get("order_no") or "").strip()
    if not order_no:
        raise ValidationFailed(code="order_no_required", field="order_no")
    try:
        received = _when(row.get("received_at"))
    except (ValueError, TypeError):
        raise ValidationFailed(code="invalid_value", field="received_at") from None
    lon, lat = _coordinate(row, "lon"), _coordinate(row, "lat")
    return {"channel": Channel.HOTLINE, "description": str(row.get("description") or ""), "lon": lon, "lat": lat,
            "address": str(row.get("address") or ""), "category_id": categories.get(code),
            "phone": str(row.get("phone") or ""), "external_id": order_no, "reported_at": received,
            "urgent": str(row.get("urgent") or "").strip().lower() in ("1", "true", "yes", "是"),
            "asset_code": str(row.get("asset_code") or "").strip()}


class _Rollback(Exception):
    pass


def import_hotline(*, actor, name: str, data: bytes) -> dict:
    """Returns {"created": n, "unchanged": n, "errors": [{row, field, code, message}]}; with any error nothing is
    kept. An order number already imported is left as it is (re-importing a batch changes nothing)."""
    if not (actor.is_superuser or actor.role in IMPORT_ROLES):
        raise PermissionDenied()
    try:
        rows = _rows_from(name, data)
    except (ValueError, UnicodeDecodeError, KeyError, OSError) as error:
        raise ValidationFailed(code="unreadable_file", field="file", details=[str(error)[:200]]) from None
    categories = dict(Category.objects.values_list("code", "pk"))
    errors: list[dict] = []
    seen: set[str] = set()
    try:
        with transaction.atomic():
            created, unchanged = _import_rows(actor, rows, categories, errors, seen)
            if errors:
                raise _Rollback()
            audit.record(actor=actor, action="cases.hotline_import",
                         detail={"file": name[:100], "rows": created, "unchanged": unchanged})
    except _Rollback:
        return {"created": 0, "unchanged": 0, "errors": errors}
    return {"created": created, "unchanged": unchanged, "errors": []}


def _import_rows(actor, rows, categories, errors, seen) -> tuple[int, int]:
    created, unchanged = 0, 0
    known = set(Case.objects.filter(external_id__in=[str(r.get("order_no") or "").strip() for r in rows])
                .values_list("external_id", flat=True))
    for number, row in enumerate(rows, start=2):
        try:
            order_no = str(row.get("order_no") or "").strip()
            if order_no and order_no in seen:
                raise ValidationFailed(code="duplicate_order", field="order_no")
            seen.add(order_no)
            if order_no and order_no in known:
                unchanged += 1
                continue
            kwargs = _row_kwargs(row, categories)
            with transaction.atomic():
                report_case(actor=actor, **kwargs)
            created += 1
        except DomainError as error:
            errors.append({"row": number, "field": error.field or "", "code": error.code,
                           "message": str(error.message)})
    return created, unchanged
