"""Open311 api_keys: shown once, stored as SHA-256, revocable."""

import hashlib
import secrets
import threading
import time

from django.db import transaction
from django.utils import timezone

from civicgrid.cases.models import Open311Client
from civicgrid.core import audit
from civicgrid.core.errors import NotFound

# Accepted keys are remembered per process for a short while: under load every POST would otherwise look its key
# up. A revocation is immediate in the revoking process and takes at most CACHE_SECONDS elsewhere.
CACHE_SECONDS = 30.0
_accepted: dict[str, tuple[float, Open311Client]] = {}
_lock = threading.Lock()


def hash_key(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def issue_open311_key(*, actor, name: str) -> tuple[Open311Client, str]:
    raw = "o311_" + secrets.token_urlsafe(24)
    client = Open311Client.objects.create(name=name[:100], prefix=raw[5:13], key_hash=hash_key(raw))
    audit.record(actor=actor, action="cases.open311_key.issue", target=client, detail={"name": client.name})
    return client, raw


@transaction.atomic
def revoke_open311_key(*, actor, prefix: str) -> Open311Client:
    client = Open311Client.objects.select_for_update().filter(prefix=prefix, revoked_at__isnull=True).first()
    if client is None:
        raise NotFound()
    with _lock:
        _accepted.clear()
    client.revoked_at = timezone.now()
    client.save(update_fields=["revoked_at"])
    audit.record(actor=actor, action="cases.open311_key.revoke", target=client)
    return client


def client_for_key(raw: str) -> Open311Client | None:
    if not raw or len(raw) > 100:
        return None
    digest, now = hash_key(raw), time.monotonic()
    with _lock:
        remembered = _accepted.get(digest)
    if remembered and now - remembered[0] < CACHE_SECONDS:
        return remembered[1]
    client = Open311Client.objects.filter(key_hash=digest, revoked_at__isnull=True).first()
    if client is not None:
        with _lock:
            _accepted[digest] = (now, client)
    return client
