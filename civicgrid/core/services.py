"""Generic audited writes for records edited in the Django admin (reference data, users, clients).

`save_audited` and `delete_audited` run one transaction: read the row as stored, write, read it again and record
an audit event whose detail holds the before/after of the changed fields. Many-to-many fields are compared as
sorted labels; permissions as `app_label.codename`, and any permission gained or lost is named in
`granted`/`revoked`. Secrets (password hashes, key hashes) are never copied into the log.
"""

from collections.abc import Callable, Iterable
from datetime import date, datetime, time
from decimal import Decimal

from django.contrib.auth.models import Permission
from django.db import models, transaction

from civicgrid.core import audit
from civicgrid.core.models import AuditEvent

SECRET_FIELDS = frozenset({"password", "key_hash"})
MASK = "***"
PermissionReader = Callable[[models.Model], set[str]]


def permission_label(permission: Permission) -> str:
    return f"{permission.content_type.app_label}.{permission.codename}"


def _label(related: models.Model) -> str:
    if isinstance(related, Permission):
        return permission_label(related)
    natural_key = getattr(related, "natural_key", None)
    return ".".join(map(str, natural_key())) if natural_key else str(related.pk)


def _plain(value):
    """A JSON-safe copy of a stored value (the audit detail is JSON)."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict | list):
        return value
    return str(value)


def _split(model: type[models.Model], names: Iterable[str]) -> tuple[list, list]:
    """The concrete and many-to-many model fields among `names` (form-only fields are ignored)."""
    concrete, many = [], []
    for name in names:
        try:
            field = model._meta.get_field(name)
        except Exception:  # noqa: S112 - a form field that is not a model field (password1, usable_password…)
            continue
        if field.many_to_many and not field.auto_created:
            many.append(field)
        elif getattr(field, "concrete", False) and not field.auto_created:
            concrete.append(field)
    return concrete, many


def _values(obj: models.Model | None, concrete, many) -> dict:
    if obj is None:
        return {}
    values = {f.name: MASK if f.name in SECRET_FIELDS else _plain(getattr(obj, f.attname)) for f in concrete}
    for field in many:
        related = getattr(obj, field.name).all()
        if field.related_model is Permission:
            related = related.select_related("content_type")
        values[field.name] = sorted(_label(item) for item in related)
    return values


def _stored(obj: models.Model) -> models.Model | None:
    if obj.pk is None:
        return None
    return type(obj)._base_manager.select_for_update().filter(pk=obj.pk).first()


def _permission_changes(before: set[str], after: set[str]) -> dict:
    granted, revoked = sorted(after - before), sorted(before - after)
    return {key: value for key, value in (("granted", granted), ("revoked", revoked)) if value}


def save_audited(*, actor, obj: models.Model, fields: Iterable[str], write: Callable[[], None],
                 permissions: PermissionReader | None = None) -> AuditEvent:
    """Save `obj` through `write` (which saves the row and its relations) and record `admin.create` or
    `admin.update` with the before/after of `fields`. `permissions(obj)`, if given, returns the permissions the
    object confers (a user's effective permissions, a group's), and the event names those gained or lost."""
    concrete, many = _split(type(obj), fields)
    with transaction.atomic():
        stored = _stored(obj)
        before = _values(stored, concrete, many)
        held_before = permissions(stored) if permissions and stored is not None else set()
        write()
        after = _values(type(obj)._base_manager.get(pk=obj.pk), concrete, many)
        changed = [name for name in after if stored is None or before.get(name) != after[name]]
        detail = {"before": {name: before[name] for name in changed if name in before},
                  "after": {name: after[name] for name in changed}}
        if permissions:
            detail.update(_permission_changes(held_before, permissions(obj)))
        return audit.record(actor=actor, action="admin.update" if stored is not None else "admin.create",
                            target=obj, region_code=_region_of(obj), detail=detail)


def delete_audited(*, actor, obj: models.Model) -> AuditEvent:
    """Delete `obj` and record `admin.delete` with every field it had."""
    model = type(obj)
    concrete = [f for f in model._meta.concrete_fields if not f.primary_key]
    many = list(model._meta.many_to_many)
    with transaction.atomic():
        stored = _stored(obj) or obj
        before = _values(stored, concrete, many)
        target_type, target_id, region = model._meta.label_lower, str(obj.pk), _region_of(stored)
        stored.delete()
        return audit.record(actor=actor, action="admin.delete", target_type=target_type, target_id=target_id,
                            region_code=region, detail={"before": before, "after": {}})


def _region_of(obj: models.Model) -> str:
    value = getattr(obj, "region_code", "")
    return value if isinstance(value, str) else ""
