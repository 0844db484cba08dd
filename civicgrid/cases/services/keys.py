"""Open311 api_keys: shown once, stored as SHA-256, revocable with immediate effect.

A key is looked up in the database on every request (one indexed lookup next to the case it creates): no process
remembers a key's validity, so a revocation holds on the very next request in every process."""

import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from civicgrid.cases.models import Open311Client
from civicgrid.core import audit
from civicgrid.core.errors import NotFound
from civicgrid.core.prepared import Prepared

_CLIENT_FIELDS = tuple(field.attname for field in Open311Client._meta.concrete_fields)
# built once per process: the ORM's SQL building cost more than the indexed lookup itself
_ACTIVE_CLIENT = Prepared(
    lambda key_hash: Open311Client.objects.filter(key_hash=key_hash, revoked_at__isnull=True).values(*_CLIENT_FIELDS),
    key_hash="")


def hash_key(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def issue_open311_key(*, actor, name: str) -> tuple[Open311Client, str]:
    raw = "o311_" + secrets.token_urlsafe(24)
    client = Open311Client.objects.create(name=name[:100], prefix=raw[5:13], key_hash=hash_key(raw))
    audit.record(actor=actor, action="cases.open311_key.issue", target=client, detail={"name": client.name})
    return client, raw


@transaction.atomic
def revoke_open311_key(*, actor, prefix: str = "", client_id: int | None = None) -> Open311Client:
    """Revoke the active key with this prefix (the command line) or this client id (the admin action)."""
    active = Open311Client.objects.select_for_update().filter(revoked_at__isnull=True)
    client = active.filter(pk=client_id).first() if client_id is not None else active.filter(prefix=prefix).first()
    if client is None or not (prefix or client_id is not None):
        raise NotFound()
    client.revoked_at = timezone.now()
    client.save(update_fields=["revoked_at"])
    audit.record(actor=actor, action="cases.open311_key.revoke", target=client,
                 detail={"name": client.name, "prefix": client.prefix})
    return client


def client_for_key(raw: str) -> Open311Client | None:
    if not raw or len(raw) > 100:
        return None
    rows = _ACTIVE_CLIENT.run(key_hash=hash_key(raw))  # key_hash is unique: one row at most
    if not rows:
        return None
    return Open311Client.from_db("default", _CLIENT_FIELDS, [rows[0][name] for name in _CLIENT_FIELDS])
