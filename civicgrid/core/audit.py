"""Writing and verifying the hash-chained audit log. `record` must run inside the caller's transaction."""

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from civicgrid.core.context import current_request_info
from civicgrid.core.models import AuditChainHead, AuditEvent

_HASHED_FIELDS = ("seq", "at", "actor_id", "actor_name", "actor_role", "action", "target_type", "target_id",
                  "region_code", "ip", "correlation_id", "outcome", "detail", "prev_hash")


def _link_hash(event: AuditEvent) -> str:
    values = {name: getattr(event, name) for name in _HASHED_FIELDS}
    values["at"] = event.at.astimezone(UTC).isoformat(timespec="microseconds")
    canonical = json.dumps(values, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _locked_head() -> AuditChainHead:
    head = AuditChainHead.objects.select_for_update().filter(id=1).first()
    if head is None:  # first event ever (or a flushed test database)
        AuditChainHead.objects.get_or_create(id=1)
        head = AuditChainHead.objects.select_for_update().get(id=1)
    return head


def record(*, actor, action: str, target=None, target_type: str = "", target_id: str = "",
           region_code: str = "", outcome: str = AuditEvent.Outcome.SUCCESS, detail: dict | None = None) -> AuditEvent:
    """Append one event. Call it inside the transaction of the change it describes."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record must be called inside a transaction")
    info = current_request_info()
    if target is not None:
        target_type = target_type or target._meta.label_lower
        target_id = target_id or str(target.pk)
    head = _locked_head()
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    event = AuditEvent(
        seq=head.last_seq + 1,
        at=timezone.now(),
        actor_id=actor.pk if authenticated else None,
        actor_name=actor.get_username() if authenticated else "",
        actor_role=getattr(actor, "role", "") if authenticated else "",
        action=action,
        target_type=target_type,
        target_id=str(target_id),
        region_code=region_code,
        ip=info.ip,
        correlation_id=info.correlation_id,
        outcome=outcome,
        detail=detail or {},
        prev_hash=head.last_hash,
    )
    event.hash = _link_hash(event)
    event.save()
    AuditChainHead.objects.filter(id=1).update(last_seq=event.seq, last_hash=event.hash)
    return event


@dataclass
class VerifyResult:
    ok: bool
    checked: int
    problems: list[str]


def verify(*, batch: int = 5000) -> VerifyResult:
    """Walk the chain from the purge anchor to the head; report every broken link."""
    head = AuditChainHead.objects.filter(id=1).first() or AuditChainHead()
    problems: list[str] = []
    expected_seq, expected_prev, checked = head.anchor_seq + 1, head.anchor_hash, 0
    queryset = AuditEvent.objects.filter(seq__gt=head.anchor_seq).order_by("seq")
    last_seq = head.anchor_seq
    while True:
        rows = list(queryset.filter(seq__gt=last_seq)[:batch])
        if not rows:
            break
        for event in rows:
            if event.seq != expected_seq:
                problems.append(f"events {expected_seq}..{event.seq - 1} are missing")
            if event.prev_hash != expected_prev:
                problems.append(f"event {event.seq} does not follow its predecessor")
            if _link_hash(event) != event.hash:
                problems.append(f"event {event.seq} was altered")
            expected_seq, expected_prev, checked = event.seq + 1, event.hash, checked + 1
        last_seq = rows[-1].seq
    if head.last_seq != expected_seq - 1 or head.last_hash != expected_prev:
        problems.append(f"the chain ends at {expected_seq - 1} but the head says {head.last_seq}: events were removed")
    if AuditEvent.objects.filter(seq__lte=head.anchor_seq).exists():
        problems.append("events older than the purge anchor remain")
    return VerifyResult(ok=not problems, checked=checked, problems=problems)


def purge(*, actor=None, now=None) -> int:
    """Delete events older than the retention period, moving the anchor to the last deleted link."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.AUDIT_RETENTION_DAYS)
    with transaction.atomic():
        head = _locked_head()
        last_old = AuditEvent.objects.filter(at__lt=cutoff).order_by("-seq").first()
        if last_old is None:
            return 0
        doomed = AuditEvent.objects.filter(seq__lte=last_old.seq)
        count = doomed.count()
        doomed._raw_delete(doomed.db)  # bypasses the append-only guard on purpose
        head.anchor_seq, head.anchor_hash = last_old.seq, last_old.hash
        head.save(update_fields=["anchor_seq", "anchor_hash"])
        record(actor=actor, action="audit.purge", detail={"deleted": count, "up_to_seq": last_old.seq,
                                                          "cutoff": cutoff.isoformat()})
        return count
