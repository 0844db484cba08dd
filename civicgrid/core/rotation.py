"""Key rotation over every registered encrypted column (`civicgrid reencrypt`).

Every token is rewritten under the active key in the bound format and every blind index recomputed with
the active index key. Rows are walked by primary key in batches, one transaction per batch (audited with
it), so an interrupted run continues where it stopped and a second run finds every value current.
A value that does not decrypt where it is (tampered, or copied from another row) is counted as failed and
left as it is.
"""

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import asdict, dataclass

from django.db import models, transaction

from civicgrid.core import audit, crypto
from civicgrid.core.encrypted import EncryptedField, registered, seal


@dataclass
class ColumnReport:
    column: str
    done: int = 0
    current: int = 0
    failed: int = 0

    def add(self, counts: dict[str, int]) -> None:
        self.done += counts.get("done", 0)
        self.current += counts.get("current", 0)
        self.failed += counts.get("failed", 0)


def missing_keys() -> dict[str, str]:
    """{column label: a key id its tokens use that is not configured} — what `reencrypt` would need."""
    known = crypto.key_ids()
    missing = {}
    for field in registered():
        queryset = field.model._default_manager.exclude(**{field.cipher_field: ""})
        for key_id in known:
            queryset = queryset.exclude(**{f"{field.cipher_field}__startswith": f"{key_id}$"}).exclude(
                **{f"{field.cipher_field}__startswith": f"{crypto.BOUND_PREFIX}{key_id}$"})
        token = queryset.values_list(field.cipher_field, flat=True).first()
        if token is not None:
            missing[field.label] = crypto.key_id_of(token)
    return missing


def reencrypt_all(*, actor=None, batch: int = 1000) -> list[ColumnReport]:
    """Re-seal every registered column under the active key. ConfigurationError if a token's key is missing."""
    reports = {field.label: ColumnReport(field.label) for field in registered()}
    for model, fields in _by_model().items():
        for batch_counts in _reencrypt_model(model, fields, batch=batch, actor=actor):
            for label, counts in batch_counts.items():
                reports[label].add(counts)
    result = list(reports.values())
    with transaction.atomic():
        audit.record(actor=actor, action="core.reencrypt", detail={
            "key": crypto.active_key().key_id, "columns": [asdict(r) for r in result]})
    return result


def _by_model() -> dict[type[models.Model], list[EncryptedField]]:
    grouped: dict[type[models.Model], list[EncryptedField]] = defaultdict(list)
    for field in registered():
        grouped[field.model].append(field)
    return grouped


def _reencrypt_model(model: type[models.Model], fields: list[EncryptedField], *, batch: int,
                     actor) -> Iterator[dict[str, dict[str, int]]]:
    """One {column label: {outcome: count}} per committed batch."""
    columns = {"pk", fields[0].row_key_field}
    for field in fields:
        columns.update(filter(None, (field.cipher_field, field.index_field)))
    last_pk = None
    while True:
        with transaction.atomic():
            queryset = model._default_manager.select_for_update().only(*columns).order_by("pk")
            if last_pk is not None:
                queryset = queryset.filter(pk__gt=last_pk)
            rows = list(queryset[:batch])
            if not rows:
                return
            counts, changed = _reseal_rows(rows, fields)
            if changed:
                model._default_manager.bulk_update(changed, sorted(columns - {"pk"}), batch_size=batch)
                audit.record(actor=actor, action="core.reencrypt.batch", detail={
                    "table": model._meta.db_table, "rows": len(changed), "last_pk": str(rows[-1].pk)})
        last_pk = rows[-1].pk
        yield counts


def _reseal_rows(rows: list[models.Model],
                 fields: list[EncryptedField]) -> tuple[dict[str, dict[str, int]], list[models.Model]]:
    counts: dict[str, dict[str, int]] = {f.label: defaultdict(int) for f in fields}
    changed = []
    for row in rows:
        outcomes = [_reseal(row, field) for field in fields]
        for field, outcome in zip(fields, outcomes, strict=True):
            if outcome:
                counts[field.label][outcome] += 1
        if "done" in outcomes:
            changed.append(row)
    return counts, changed


def _reseal(row: models.Model, field: EncryptedField) -> str | None:
    """'done', 'current', 'failed', or None for an empty value."""
    token = getattr(row, field.cipher_field)
    if not token:
        return None
    row_key = getattr(row, field.row_key_field)
    try:
        value = crypto.decrypt(token, aad=field.aad(row_key) if row_key is not None else None)
    except crypto.DecryptionFailed:
        return "failed"
    if _is_current(row, field, token, value):
        return "current"
    seal(row, field.name, value)
    return "done"


def _is_current(row: models.Model, field: EncryptedField, token: str, value: str) -> bool:
    if not crypto.is_bound(token) or crypto.key_id_of(token) != crypto.active_key().key_id:
        return False
    return field.index_field is None or getattr(row, field.index_field) == crypto.blind_index(value)
